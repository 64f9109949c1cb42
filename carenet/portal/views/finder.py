"""The public service finder: search the directory of one municipality, no sign-in needed."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from carenet.core.capacity import with_live_places
from carenet.directory.models import SOURCE_LANGUAGE
from carenet.directory.selectors import (
    FINDER_PAGE_SIZE,
    directory_version,
    finder_search,
    finder_service,
    finder_suggestions,
)

from ..forms import FinderForm
from .common import public_municipality

# The full-page map shows the best results at once, as the finder did before it had pages.
FINDER_MAP_RESULTS = 100


def _language() -> str:
    return (get_language() or SOURCE_LANGUAGE)[:2]


def _page_number(request: HttpRequest) -> int:
    """The page asked for; anything that is not a page number is the first page (as ``Paginator.get_page``)."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _search(request: HttpRequest, municipality: Any, language: str, *, per_page: int) -> dict[str, Any]:
    """The finder's search from the query string: the form, one page of results as a list and as map points,
    and suggestions when nothing matched (shared by the list and the full-page map)."""
    params = request.GET.copy()
    params.pop("page", None)
    form = FinderForm(params or None, municipality=municipality, language=language)
    rows: list[dict[str, Any]] = []
    total = 0
    number = _page_number(request)
    searched = bool(params)
    if not searched or form.is_valid():
        data = form.cleaned_data if searched else {}
        point = (data["lat"], data["lon"]) if data.get("lat") is not None and data.get("lon") is not None else None
        criteria = {
            "municipality": municipality,
            "query": data.get("q") or "",
            "need": getattr(data.get("need"), "pk", None),
            "group": getattr(data.get("group"), "pk", None),
            "age": data.get("age"),
            "area": data.get("area") or "",
            "point": point,
            "radius_km": data.get("radius"),
            "open_now": bool(data.get("open_now")),
            "language": language,
            "limit": per_page,
        }
        total, rows = finder_search(**criteria, offset=(number - 1) * per_page)
        if not rows and total:  # past the last page: the last page
            number = (total - 1) // per_page + 1
            total, rows = finder_search(**criteria, offset=(number - 1) * per_page)
    page = Paginator(range(total), per_page).get_page(number)
    base_url = reverse("finder:search", args=[municipality.slug])
    items = []
    points = []
    for row in rows:
        url = reverse("finder:service", args=[municipality.slug, row["id"]])
        name = row["name_translated"] or row["name"]
        organisation = row["organisation_name"]
        items.append(
            {
                "id": row["id"],
                "url": url,
                "name": name,
                "name_fallback": language != SOURCE_LANGUAGE and bool(row["name"]) and not row["name_translated"],
                "organisation": organisation,
                # a provider that is its own service (a centre of a directorate) is shown by its directorate
                "provider": row["parent_name"] if organisation == row["name"] and row["parent_name"] else organisation,
                "distance_km": row["distance_km"],
                "locations": row["locations"],
                "terms": row["terms"],
            }
        )
        for loc in row["locations"]:
            if loc["latitude"] is not None and loc["longitude"] is not None:
                points.append(
                    {
                        "lat": loc["latitude"],
                        "lon": loc["longitude"],
                        "name": name,
                        "url": url,
                        "approx": loc["coordinates_approximate"],
                    }
                )
    suggestions = []
    if searched and not items:
        query = form.cleaned_data.get("q", "") if form.is_valid() else params.get("q", "")
        suggestions = [
            {
                "name": row["term"].name_in(language),
                "url": f"{base_url}?{row['param']}={row['term'].pk}",
                "services": row["services"],
            }
            for row in finder_suggestions(municipality=municipality, query=query)
        ]
    return {
        "municipality": municipality,
        "form": form,
        "items": items,
        "total": total,
        "page": page,
        "points": points,
        "searched": searched,
        "suggestions": suggestions,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "language": language,
        "query_string": params.urlencode(),
    }


def _cache_seconds() -> int:
    """How long a rendered finder page is kept: the public directory's answer cache lifetime (the HSDS API's;
    0 turns both off)."""
    return int(getattr(settings, "CARENET_HSDS_CACHE_SECONDS", 600))


def _content(request: HttpRequest, municipality: Any, template: str, *, per_page: int) -> str:
    """The page's content (form, results, pages, map markers, suggestions), rendered once per directory data
    version, language and query string: it depends on nothing else (no user, no CSRF token: the search form
    is a GET), and every write to what it shows changes the version (``directory_version``, as the HSDS answer
    cache), so it is never stale. "Open now" depends on the clock: never cached."""
    language = _language()

    def build() -> str:
        return render_to_string(template, _search(request, municipality, language, per_page=per_page))

    seconds = _cache_seconds()
    if seconds <= 0 or "open_now" in request.GET:
        return build()
    parts = (template, str(municipality.pk), str(directory_version(municipality=municipality)), language)
    key = "finder:" + hashlib.sha256("\n".join((*parts, request.GET.urlencode())).encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        content = build()
        cache.set(key, content, seconds)
    return mark_safe(content)  # our own template's output, rendered with autoescaping


def finder(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    content = _content(request, municipality, "portal/finder/_search.html", per_page=FINDER_PAGE_SIZE)
    return render(request, "portal/finder/search.html", {"municipality": municipality, "content": content})


def finder_map(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The same search on a map filling the page; the results stay available as a list beside it."""
    municipality = public_municipality(request)
    content = _content(request, municipality, "portal/finder/_map.html", per_page=FINDER_MAP_RESULTS)
    return render(request, "portal/finder/map.html", {"municipality": municipality, "content": content})


DAY_LABELS = {
    "MO": _("Monday"),
    "TU": _("Tuesday"),
    "WE": _("Wednesday"),
    "TH": _("Thursday"),
    "FR": _("Friday"),
    "SA": _("Saturday"),
    "SU": _("Sunday"),
}


def service_page(request: HttpRequest, municipality_slug: str, service_id: str) -> HttpResponse:
    municipality = public_municipality(request)
    service = finder_service(municipality=municipality, service_id=service_id)
    with_live_places([service], municipality=municipality)
    language = _language()
    schedules = [
        {
            "days": [DAY_LABELS[d] for d in s.days()],
            "opens_at": s.opens_at,
            "closes_at": s.closes_at,
            "description": s.description,
        }
        for s in service.schedules.all()
    ]
    locations = [sal.location for sal in service.service_at_locations.all()]
    return render(
        request,
        "portal/finder/service.html",
        {
            "municipality": municipality,
            "service": service,
            "name": service.text_in("name", language),
            "name_fallback": not service.is_translated("name", language),
            "description": service.text_in("description", language),
            "description_fallback": not service.is_translated("description", language),
            "application_process": service.text_in("application_process", language),
            "eligibility": service.text_in("eligibility_description", language),
            "schedules": schedules,
            "locations": locations,
            "points": [
                {
                    "lat": loc.latitude,
                    "lon": loc.longitude,
                    "name": loc.name,
                    "url": "",
                    "approx": loc.coordinates_approximate,
                }
                for loc in locations
                if loc.latitude is not None and loc.longitude is not None
            ],
            "terms": [a.taxonomy_term.name_in(language) for a in service.attributes.all()],
            "has_direct_contact": bool(
                service.phones.all()
                or service.email
                or service.url
                or any(c.email or c.phone for c in service.contacts.all())
                or any(loc.phones.all() for loc in locations)
                or service.organisation.phone
                or service.organisation.email
            ),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "source_language": SOURCE_LANGUAGE,
        },
    )

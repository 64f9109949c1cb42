"""The public service finder: search the directory of one municipality, no sign-in needed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from carenet.core.capacity import with_live_places
from carenet.directory.models import SOURCE_LANGUAGE
from carenet.directory.selectors import finder_search, finder_service, finder_suggestions

from ..forms import FinderForm
from .common import public_municipality


def _language() -> str:
    return (get_language() or SOURCE_LANGUAGE)[:2]


def _search(request: HttpRequest, municipality: Any, language: str) -> dict[str, Any]:
    """The finder's search from the query string: the form, the results as a list and as map points, and
    suggestions when nothing matched (shared by the list and the full-page map)."""
    form = FinderForm(request.GET or None, municipality=municipality, language=language)
    results: list[dict[str, Any]] = []
    searched = bool(request.GET)
    if not searched or form.is_valid():
        data = form.cleaned_data if searched else {}
        point = (data["lat"], data["lon"]) if data.get("lat") is not None and data.get("lon") is not None else None
        results = finder_search(
            municipality=municipality,
            query=data.get("q") or "",
            need=getattr(data.get("need"), "pk", None),
            group=getattr(data.get("group"), "pk", None),
            age=data.get("age"),
            area=data.get("area") or "",
            point=point,
            radius_km=data.get("radius"),
            open_now=bool(data.get("open_now")),
        )
    items = []
    points = []
    for row in results:
        service = row["service"]
        url = reverse("finder:service", args=[municipality.slug, service.pk])
        name = service.text_in("name", language)
        items.append(
            {
                "service": service,
                "url": url,
                "name": name,
                "name_fallback": not service.is_translated("name", language),
                "description": service.text_in("description", language),
                "description_fallback": not service.is_translated("description", language),
                "distance_km": row["distance_km"],
                "locations": row["locations"],
                "terms": [
                    a.taxonomy_term.name_in(language)
                    for a in service.attributes.all()
                    if a.taxonomy_term.taxonomy.code in ("carenet-needs", "carenet-target-groups")
                ],
            }
        )
        for loc in row["locations"]:
            if loc.latitude is not None and loc.longitude is not None:
                points.append(
                    {
                        "lat": loc.latitude,
                        "lon": loc.longitude,
                        "name": name,
                        "url": url,
                        "approx": loc.coordinates_approximate,
                    }
                )
    suggestions = []
    if searched and not items:
        query = form.cleaned_data.get("q", "") if form.is_valid() else request.GET.get("q", "")
        suggestions = [
            {
                "name": row["term"].name_in(language),
                "url": f"{reverse('finder:search', args=[municipality.slug])}?{row['param']}={row['term'].pk}",
                "services": row["services"],
            }
            for row in finder_suggestions(municipality=municipality, query=query)
        ]
    return {
        "municipality": municipality,
        "form": form,
        "items": items,
        "points": points,
        "searched": searched,
        "suggestions": suggestions,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "language": language,
        "query_string": request.GET.urlencode(),
    }


def finder(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = public_municipality(request)
    return render(request, "portal/finder/search.html", _search(request, municipality, _language()))


def finder_map(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    """The same search on a map filling the page; the results stay available as a list beside it."""
    municipality = public_municipality(request)
    return render(request, "portal/finder/map.html", _search(request, municipality, _language()))


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

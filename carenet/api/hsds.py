"""Public, read-only Open Referral HSDS 3.0 API (/api/hsds/…), and the datapackage export.

Tenant: ``/api/hsds/<municipality>/…``; on ``/api/hsds/…`` a signed-in staff user reads their own
municipality, anyone else the whole open-data feed (or ``?municipality=<slug>``).
Text comes in ``?lang=`` (or the request language), falling back to Romanian.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from carenet.api.hsds_cache import cached_answer
from carenet.core.models import Municipality
from carenet.core.selectors import municipality_by_slug, municipality_id_by_slug
from carenet.directory import hsds
from carenet.directory.models import Taxonomy, TaxonomyTerm
from carenet.directory.selectors import (
    filter_services,
    public_organisations,
    public_service_at_locations,
    public_services,
    ranked_page,
)

MAX_PER_PAGE = 200
LANGUAGES = {"ro", "ru", "hu", "uk", "en"}


def _tenant_id(request: Request, municipality_slug: str | None) -> Any:
    """The id of the municipality the answer is about (None: the whole open-data feed)."""
    slug = municipality_slug or request.query_params.get("municipality")
    if slug:
        return municipality_id_by_slug(slug)  # one plain-SQL read: a cached answer needs nothing more
    user = request.user
    if user.is_authenticated and getattr(user, "municipality_id", None):
        return user.municipality_id
    return None


def _tenant(request: Request, municipality_id: Any) -> Municipality | None:
    if municipality_id is None:
        return None
    user = request.user
    if user.is_authenticated and getattr(user, "municipality_id", None) == municipality_id:
        return user.municipality  # already read by TenantMiddleware
    return Municipality.objects.get(pk=municipality_id)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or (get_language() or "ro")[:2]
    return lang if lang in LANGUAGES else "ro"


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: _("Must be a whole number.")}) from None
    if not low <= value <= high:
        raise exceptions.ValidationError(
            {name: _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}}
        )
    return value


def _bool(request: Request, name: str) -> bool:
    raw = (request.query_params.get(name) or "").lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise exceptions.ValidationError({name: _("Must be true or false.")})


def _uuid_param(request: Request, name: str) -> list[str]:
    import uuid

    values = [v for raw in request.query_params.getlist(name) for v in raw.split(",") if v]
    for value in values:
        try:
            uuid.UUID(value)
        except ValueError:
            raise exceptions.ValidationError({name: _("Must be a UUID.")}) from None
    return values


def _modified_after(request: Request) -> Any:
    raw = request.query_params.get("modified_after")
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        day = parse_date(raw)
        if day is not None:
            from datetime import datetime, time

            from django.utils import timezone

            value = timezone.make_aware(datetime.combine(day, time.min))
    if value is None:
        raise exceptions.ValidationError({"modified_after": _("Must be an ISO 8601 date or date-time.")})
    if value.tzinfo is None:
        from django.utils import timezone

        value = timezone.make_aware(value)
    return value


def _bounds(request: Request) -> tuple[int, int]:
    return _int(request, "page", 1, 1, 1_000_000), _int(request, "per_page", 50, 1, MAX_PER_PAGE)


def _envelope(page: int, per_page: int, total: int, contents: list[Any]) -> dict[str, Any]:
    pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": contents,
    }


def _page(request: Request, qs: QuerySet[Any], serialise: Any) -> dict[str, Any]:
    page, per_page = _bounds(request)
    total = qs.count()
    rows = list(qs[(page - 1) * per_page : page * per_page])
    return _envelope(page, per_page, total, [serialise(row) for row in rows])


def _public(view: Any) -> Any:
    """A public, read-only HSDS endpoint: ``view(request, municipality, **kwargs)`` returns the JSON data;
    answers are cached by municipality and data version (hsds_cache.cached_answer)."""
    # HSDS responses are plain JSON validated against the official compiled schemas (tests), not DRF serializers.
    documented = extend_schema(responses=OpenApiTypes.OBJECT, tags=["HSDS 3.0 (public)"])

    @functools.wraps(view)
    def answer(request: Request, municipality_slug: str | None = None, **kwargs: Any) -> Any:
        municipality_id = _tenant_id(request, municipality_slug)
        return cached_answer(
            request, municipality_id, lambda: view(request, _tenant(request, municipality_id), **kwargs)
        )

    endpoint = documented(
        api_view(["GET"])(permission_classes([AllowAny])(throttle_classes([AnonRateThrottle])(answer)))
    )
    endpoint.reads_its_own_municipality = True  # type: ignore[attr-defined]  # TenantMiddleware: no slug lookup
    return endpoint


@_public
def services(request: Request, municipality: Municipality | None) -> dict[str, Any]:
    full = _bool(request, "full")
    lang = _lang(request)
    search = (request.query_params.get("search") or "")[:200]
    qs = filter_services(
        public_services(municipality=municipality),
        municipality=municipality,
        search=search,
        taxonomy_term_ids=_uuid_param(request, "taxonomy_term_id"),
        taxonomy_id=next(iter(_uuid_param(request, "taxonomy_id")), None),
        organisation_id=next(iter(_uuid_param(request, "organization_id")), None),
        modified_after=_modified_after(request),
    )
    page, per_page = _bounds(request)
    offset = (page - 1) * per_page
    rows: list[Any]
    if not full:
        total, rows = hsds.service_list_page(qs, offset=offset, limit=per_page, lang=lang)
    elif search:
        # the ids of every match in rank order, in one scan (the total), then this page's services
        total, ids = ranked_page(qs, offset=offset, limit=per_page)
        by_id = hsds.with_hsds_relations(public_services(municipality=municipality), full=True).in_bulk(ids)
        rows = [by_id[i] for i in ids if i in by_id]
    else:
        total = qs.count()
        rows = list(hsds.with_hsds_relations(qs, full=True)[offset : offset + per_page])
    return _envelope(page, per_page, total, [hsds.service_json(s, lang, full=full) for s in rows])


@_public
def service(request: Request, municipality: Municipality | None, service_id: str) -> dict[str, Any]:
    qs = hsds.with_hsds_relations(public_services(municipality=municipality), full=True)
    obj = qs.filter(pk=service_id).first()
    if obj is None:
        raise Http404
    return hsds.service_json(obj, _lang(request), full=True)


@_public
def organizations(request: Request, municipality: Municipality | None) -> dict[str, Any]:
    qs = public_organisations(municipality=municipality).select_related("directory_profile").order_by("name", "id")
    search = (request.query_params.get("search") or "")[:200]
    if search:
        qs = qs.filter(name__icontains=search)
    lang = _lang(request)
    return _page(request, qs, lambda o: hsds.organisation_json(o, lang))


@_public
def organization(request: Request, municipality: Municipality | None, organization_id: str) -> dict[str, Any]:
    qs = public_organisations(municipality=municipality).select_related("directory_profile", "municipality")
    obj = qs.prefetch_related("programs", "services").filter(pk=organization_id).first()
    if obj is None:
        raise Http404
    return hsds.organisation_json(obj, _lang(request), full=True)


@_public
def service_at_locations(request: Request, municipality: Municipality | None) -> dict[str, Any]:
    qs = public_service_at_locations(municipality=municipality).select_related(
        "location", "service", "service__organisation", "service__organisation__directory_profile", "service__program"
    )
    for term_id in _uuid_param(request, "taxonomy_term_id"):
        qs = qs.filter(service__attributes__taxonomy_term_id=term_id)
    lang = _lang(request)
    return _page(request, qs.order_by("service__name", "id"), lambda sal: hsds.service_at_location_json(sal, lang))


@_public
def taxonomies(request: Request, municipality: Municipality | None) -> dict[str, Any]:
    return _page(request, Taxonomy.objects.order_by("name"), hsds.taxonomy_json)


@_public
def taxonomy_terms(request: Request, municipality: Municipality | None) -> dict[str, Any]:
    qs = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "code")
    taxonomy_ids = _uuid_param(request, "taxonomy_id")
    if taxonomy_ids:
        qs = qs.filter(taxonomy_id__in=taxonomy_ids)
    search = (request.query_params.get("search") or "")[:200]
    if search:
        qs = qs.filter(name__icontains=search)
    lang = _lang(request)
    return _page(request, qs, lambda t: hsds.term_json(t, lang, detail=True))


def export_datapackage(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    from carenet.audit.services import audit_export
    from carenet.directory.datapackage import export_zip

    municipality = municipality_by_slug(municipality_slug)
    content, rows = export_zip(municipality=municipality)
    audit_export(actor=request.user, municipality=municipality, what="hsds.datapackage", rows=rows, purpose="open data")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="hsds-{municipality.slug}.zip"'
    return response


def _routes(prefix: str, suffix: str) -> list[Any]:
    return [
        path(f"{prefix}services", services, name=f"hsds-services{suffix}"),
        path(f"{prefix}services/<uuid:service_id>", service, name=f"hsds-service{suffix}"),
        path(f"{prefix}organizations", organizations, name=f"hsds-organizations{suffix}"),
        path(f"{prefix}organizations/<uuid:organization_id>", organization, name=f"hsds-organization{suffix}"),
        path(f"{prefix}service_at_locations", service_at_locations, name=f"hsds-service-at-locations{suffix}"),
        path(f"{prefix}taxonomies", taxonomies, name=f"hsds-taxonomies{suffix}"),
        path(f"{prefix}taxonomy_terms", taxonomy_terms, name=f"hsds-taxonomy-terms{suffix}"),
    ]


urlpatterns = [
    *_routes("", ""),
    *_routes("<slug:municipality_slug>/", "-tenant"),
    path("<slug:municipality_slug>/datapackage.zip", export_datapackage, name="hsds-datapackage"),
]

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
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from carenet.api.hsds_cache import cached_answer
from carenet.api.throttles import ClientAnonThrottle
from carenet.core.models import Municipality
from carenet.core.selectors import municipality_by_slug, municipality_id_by_slug
from carenet.directory import hsds
from carenet.directory.selectors import (
    filter_service_at_locations,
    filter_services,
    public_organisations,
    public_service_at_locations,
    public_services,
    public_taxonomies,
    public_taxonomy_terms,
    ranked_page,
)

MAX_PER_PAGE = 200
LANGUAGES = {"ro", "ru", "hu", "uk", "en"}
HSDS_VERSION = "3.0"
HSDS_PROFILE = "https://docs.openreferral.org/en/3.0/"
FORMATS = ("json", "ndjson")
# CareNet's own parameters, beside each endpoint's HSDS ones (openapi.json): the language and the municipality.
COMMON_PARAMETERS = frozenset({"lang", "municipality", "format"})
PAGED = frozenset({"page", "per_page"})


class HsdsNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation without its ``?format=`` override: on this API ``format`` is HSDS's own
    parameter (``json`` or ``ndjson``); the media type comes from the Accept header only."""

    class settings:  # read as api_settings by DefaultContentNegotiation
        URL_FORMAT_OVERRIDE = None


def _check_parameters(request: Request, allowed: frozenset[str]) -> None:
    """A parameter this endpoint does not know is a 400 naming it: a client must never believe it filtered."""
    unknown = sorted(set(request.query_params) - allowed - COMMON_PARAMETERS)
    if unknown:
        raise exceptions.ValidationError({name: _("Unknown parameter for this endpoint.") for name in unknown})


def _format(request: Request) -> str:
    value = request.query_params.get("format") or "json"
    if value not in FORMATS:
        raise exceptions.ValidationError({"format": _("Must be one of: %(values)s.") % {"values": ", ".join(FORMATS)}})
    return value


def _tenant_id(request: Request, municipality_slug: str | None) -> Any:
    """The id of the municipality the answer is about (None: the whole open-data feed)."""
    slug = municipality_slug or request.query_params.get("municipality")
    if slug:
        return municipality_id_by_slug(slug=slug)  # one plain-SQL read: a cached answer needs nothing more
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


class _TenantId:
    """The id of the municipality an answer is about (None: the whole open-data feed), for a view that may
    need no more of it (``_public(by_id=True)``): ``municipality(request)`` reads it (once)."""

    def __init__(self, municipality_id: Any) -> None:
        self.id = municipality_id
        self._read: Any = self

    def municipality(self, request: Request) -> Municipality | None:
        if self._read is self:
            self._read = _tenant(request, self.id)
        return self._read


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


class _Stream:
    """Every result of a list, one JSON object a line (HSDS ``format=ndjson``: no pagination)."""

    def __init__(self, rows: Any, serialise: Any) -> None:
        self.rows, self.serialise = rows, serialise

    def lines(self) -> Any:
        import json

        from django.core.serializers.json import DjangoJSONEncoder

        for row in self.rows:
            yield json.dumps(self.serialise(row), cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"


def _ndjson(request: Request) -> bool:
    return request.query_params.get("format") == "ndjson"


def _page(request: Request, qs: QuerySet[Any], serialise: Any) -> Any:
    if _ndjson(request):
        return _Stream(qs.iterator(chunk_size=500), serialise)
    page, per_page = _bounds(request)
    total = qs.count()
    rows = list(qs[(page - 1) * per_page : page * per_page])
    return _envelope(page, per_page, total, [serialise(row) for row in rows])


def _cors(response: Any) -> Any:
    """The public feed is read-only open data: any site's browser client may read it (no credentials)."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag"
    return response


def _public(*parameters: str, paged: bool = False, by_id: bool = False) -> Any:
    """A public, read-only HSDS endpoint taking these query ``parameters`` (openapi.json) and no other:
    ``view(request, municipality, **kwargs)`` returns the JSON data (a list may return a ``_Stream`` for
    ``format=ndjson``); JSON answers are cached by municipality and data version (hsds_cache.cached_answer).
    ``by_id``: the view is given a ``_TenantId`` instead of the municipality, and reads it if it needs it."""
    allowed = frozenset(parameters) | (PAGED if paged else frozenset())

    def decorate(view: Any) -> Any:
        # HSDS responses are plain JSON validated against the official compiled schemas (tests), not DRF serializers.
        documented = extend_schema(
            responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
            tags=["HSDS 3.0 (public)"],
        )

        def tenant(request: Request, municipality_id: Any) -> Any:
            # ``by_id``: the view reads the municipality (``_tenant``) only when it needs more than its id
            return _TenantId(municipality_id) if by_id else _tenant(request, municipality_id)

        @functools.wraps(view)
        def answer(request: Request, municipality_slug: str | None = None, **kwargs: Any) -> Any:
            _check_parameters(request, allowed)
            municipality_id = _tenant_id(request, municipality_slug)
            if _format(request) == "ndjson":
                result = view(request, tenant(request, municipality_id), **kwargs)
                stream = result if isinstance(result, _Stream) else _Stream([result], lambda row: row)
                return _cors(StreamingHttpResponse(stream.lines(), content_type="application/x-ndjson"))
            return _cors(
                cached_answer(
                    request, municipality_id, lambda: view(request, tenant(request, municipality_id), **kwargs)
                )
            )

        endpoint = documented(
            api_view(["GET"])(permission_classes([AllowAny])(throttle_classes([ClientAnonThrottle])(answer)))
        )
        endpoint.cls.content_negotiation_class = HsdsNegotiation
        endpoint.reads_its_own_municipality = True  # type: ignore[attr-defined]  # TenantMiddleware: no slug lookup
        return endpoint

    return decorate


FILTERS = ("search", "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after")


@_public()
def root(request: Request, municipality: Municipality | None) -> dict[str, Any]:
    """HSDS 3.0's required root: the version, the profile and where this API's openapi.json is."""
    return {
        "version": HSDS_VERSION,
        "profile": HSDS_PROFILE,
        "openapi_url": request.build_absolute_uri("/api/hsds/openapi.json"),
    }


def openapi(request: HttpRequest) -> HttpResponse:
    """HSDS 3.0's openapi.json (vendored, byte for byte): the API this feed implements."""
    from carenet.directory.hsds import OPENAPI_PATH

    return _cors(HttpResponse(OPENAPI_PATH.read_bytes(), content_type="application/json"))


@_public(*FILTERS, "minimal", "full", paged=True, by_id=True)
def services(request: Request, tenant: _TenantId) -> Any:
    full = _bool(request, "full")
    minimal = _bool(request, "minimal")
    lang = _lang(request)
    search = (request.query_params.get("search") or "")[:200]
    filters = {
        "search": search,
        "taxonomy_term_ids": _uuid_param(request, "taxonomy_term_id"),
        "taxonomy_ids": _uuid_param(request, "taxonomy_id"),
        "organisation_ids": _uuid_param(request, "organization_id"),
        "modified_after": _modified_after(request),
    }
    if not (full or minimal or _ndjson(request)):
        # the default list and search, the answer asked most: one hand-written statement, rows straight to JSON
        page, per_page = _bounds(request)
        total, contents = hsds.service_search_page(
            municipality_id=tenant.id, **filters, offset=(page - 1) * per_page, limit=per_page, lang=lang
        )
        return _envelope(page, per_page, total, contents)
    municipality = tenant.municipality(request)
    qs = filter_services(services=public_services(municipality=municipality), municipality=municipality, **filters)
    if minimal:
        return _page(request, qs, hsds.service_minimal_json)
    if _ndjson(request):
        return _Stream(
            hsds.with_hsds_relations(qs, full=full).iterator(chunk_size=200),
            lambda s: hsds.service_json(s, lang, full=full),
        )
    page, per_page = _bounds(request)
    offset = (page - 1) * per_page
    rows: list[Any]
    if search:
        # the ids of every match in rank order, in one scan (the total), then this page's services
        total, ids = ranked_page(services=qs, offset=offset, limit=per_page)
        by_id = hsds.with_hsds_relations(public_services(municipality=municipality), full=True).in_bulk(ids)
        rows = [by_id[i] for i in ids if i in by_id]
    else:
        total = qs.count()
        rows = list(hsds.with_hsds_relations(qs, full=True)[offset : offset + per_page])
    return _envelope(page, per_page, total, [hsds.service_json(s, lang, full=full) for s in rows])


@_public()
def service(request: Request, municipality: Municipality | None, service_id: str) -> dict[str, Any]:
    qs = hsds.with_hsds_relations(public_services(municipality=municipality), full=True)
    obj = qs.filter(pk=service_id).first()
    if obj is None:
        raise Http404
    return hsds.service_json(obj, _lang(request), full=True)


def _organisations(municipality: Municipality | None, *, nested: bool) -> QuerySet[Any]:
    qs = public_organisations(municipality=municipality).select_related("directory_profile", "municipality")
    if nested:
        qs = qs.prefetch_related(*hsds.ORGANISATION_PREFETCH)
    return qs


def _organisation_services(request: Request, municipality: Municipality | None, org: Any, lang: str) -> list[Any]:
    """``full_service``: the organisation's services fully nested (else their one-to-one fields)."""
    qs = hsds.with_hsds_relations(public_services(municipality=municipality), full=True)
    return [hsds.service_json(s, lang, full=True, with_organisation=False) for s in qs.filter(organisation=org)]


@_public("search", "full_service", "full", paged=True)
def organizations(request: Request, municipality: Municipality | None) -> Any:
    full, full_service = _bool(request, "full"), _bool(request, "full_service")
    qs = _organisations(municipality, nested=full or full_service).order_by("name", "id")
    search = (request.query_params.get("search") or "")[:200]
    if search:
        qs = qs.filter(name__icontains=search)
    lang = _lang(request)

    def serialise(o: Any) -> dict[str, Any]:
        data = hsds.organisation_json(o, lang, full=full or full_service)
        if full_service:
            data["services"] = _organisation_services(request, municipality, o, lang)
        return data

    return _page(request, qs, serialise)


@_public("full_service")
def organization(request: Request, municipality: Municipality | None, organization_id: str) -> dict[str, Any]:
    obj = _organisations(municipality, nested=True).filter(pk=organization_id).first()
    if obj is None:
        raise Http404
    lang = _lang(request)
    data = hsds.organisation_json(obj, lang, full=True)
    if _bool(request, "full_service"):
        data["services"] = _organisation_services(request, municipality, obj, lang)
    return data


def _proximity(request: Request) -> float | None:
    raw = request.query_params.get("proximity")
    if not raw:
        return None
    try:
        metres = float(raw)
    except ValueError:
        raise exceptions.ValidationError({"proximity": _("Must be a distance in metres.")}) from None
    if not math.isfinite(metres) or not 0 < metres <= 1_000_000:
        raise exceptions.ValidationError({"proximity": _("Must be between 1 and 1,000,000 metres.")})
    if not request.query_params.get("postcode"):
        raise exceptions.ValidationError({"proximity": _("Needs a postcode to measure from.")})
    return metres


@_public(*FILTERS, "full", "postcode", "proximity", paged=True)
def service_at_locations(request: Request, municipality: Municipality | None) -> Any:
    full = _bool(request, "full")
    proximity = _proximity(request)
    try:
        qs = filter_service_at_locations(
            service_at_locations=public_service_at_locations(municipality=municipality),
            municipality=municipality,
            search=(request.query_params.get("search") or "")[:200],
            taxonomy_term_ids=_uuid_param(request, "taxonomy_term_id"),
            taxonomy_ids=_uuid_param(request, "taxonomy_id"),
            organisation_ids=_uuid_param(request, "organization_id"),
            modified_after=_modified_after(request),
            postcode=(request.query_params.get("postcode") or "")[:20],
            proximity_m=proximity,
        )
    except LookupError:
        raise exceptions.ValidationError(
            {"postcode": _("No location with this postcode is known: its centre cannot be placed.")}
        ) from None
    lang = _lang(request)
    if full:
        qs = hsds.with_sal_relations(qs)
    return _page(request, qs, lambda sal: hsds.service_at_location_json(sal, lang, full=full))


@_public()
def service_at_location(request: Request, municipality: Municipality | None, sal_id: str) -> dict[str, Any]:
    qs = hsds.with_sal_relations(public_service_at_locations(municipality=municipality))
    obj = qs.filter(pk=sal_id).first()
    if obj is None:
        raise Http404
    return hsds.service_at_location_json(obj, _lang(request), full=True)


@_public("search", paged=True)
def taxonomies(request: Request, municipality: Municipality | None) -> Any:
    qs = public_taxonomies(municipality=municipality, search=(request.query_params.get("search") or "")[:200])
    return _page(request, qs, hsds.taxonomy_json)


@_public()
def taxonomy(request: Request, municipality: Municipality | None, taxonomy_id: str) -> dict[str, Any]:
    obj = public_taxonomies(municipality=municipality).filter(pk=taxonomy_id).first()
    if obj is None:
        raise Http404
    return hsds.taxonomy_json(obj)


@_public("search", "taxonomy_id", "top_only", "parent_id", paged=True)
def taxonomy_terms(request: Request, municipality: Municipality | None) -> Any:
    parents = _uuid_param(request, "parent_id")
    qs = public_taxonomy_terms(
        municipality=municipality,
        taxonomy_ids=_uuid_param(request, "taxonomy_id"),
        search=(request.query_params.get("search") or "")[:200],
        top_only=_bool(request, "top_only"),
        parent_id=parents[0] if parents else None,
    )
    lang = _lang(request)
    return _page(request, qs, lambda t: hsds.term_json(t, lang, detail=True))


@_public()
def taxonomy_term(request: Request, municipality: Municipality | None, term_id: str) -> dict[str, Any]:
    obj = public_taxonomy_terms(municipality=municipality).filter(pk=term_id).first()
    if obj is None:
        raise Http404
    return hsds.term_json(obj, _lang(request), detail=True)


def export_datapackage(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    from carenet.audit.services import audit_export
    from carenet.directory.datapackage import export_zip

    municipality = municipality_by_slug(slug=municipality_slug)
    content, rows = export_zip(municipality=municipality)
    audit_export(actor=request.user, municipality=municipality, what="hsds.datapackage", rows=rows, purpose="open data")
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="hsds-{municipality.slug}.zip"'
    return response


def _routes(prefix: str, suffix: str) -> list[Any]:
    return [
        path(prefix, root, name=f"hsds-root{suffix}"),
        path(f"{prefix}services", services, name=f"hsds-services{suffix}"),
        path(f"{prefix}services/<uuid:service_id>", service, name=f"hsds-service{suffix}"),
        path(f"{prefix}organizations", organizations, name=f"hsds-organizations{suffix}"),
        path(f"{prefix}organizations/<uuid:organization_id>", organization, name=f"hsds-organization{suffix}"),
        path(f"{prefix}service_at_locations", service_at_locations, name=f"hsds-service-at-locations{suffix}"),
        path(
            f"{prefix}service_at_locations/<uuid:sal_id>", service_at_location, name=f"hsds-service-at-location{suffix}"
        ),
        path(f"{prefix}taxonomies", taxonomies, name=f"hsds-taxonomies{suffix}"),
        path(f"{prefix}taxonomies/<uuid:taxonomy_id>", taxonomy, name=f"hsds-taxonomy{suffix}"),
        path(f"{prefix}taxonomy_terms", taxonomy_terms, name=f"hsds-taxonomy-terms{suffix}"),
        path(f"{prefix}taxonomy_terms/<uuid:term_id>", taxonomy_term, name=f"hsds-taxonomy-term{suffix}"),
    ]


urlpatterns = [
    path("openapi.json", openapi, name="hsds-openapi"),
    *_routes("", ""),
    *_routes("<slug:municipality_slug>/", "-tenant"),
    path("<slug:municipality_slug>/datapackage.zip", export_datapackage, name="hsds-datapackage"),
]

"""Reads of the directory, already scoped to what the user (or the public) may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carenet.core.models import Municipality
from carenet.core.policy import actor_of
from carenet.core.roles import Role

from .models import (
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from .permissions import services_visible_to


def service_list(*, user: Any, query: str = "", mine: bool = False) -> QuerySet[Service]:
    qs = services_visible_to(user).select_related("organisation")
    if mine:
        actor = actor_of(user)
        managed = actor.organisation_ids(Role.PROVIDER_MANAGER)
        qs = qs.filter(Q(organisation_id__in=managed) | Q(organisation__parent_id__in=managed))
    if query:
        return filter_services(qs, municipality=actor_of(user).municipality_id, search=query)
    return qs.order_by("organisation__name", "name")


def service_get(*, user: Any, service_id: Any) -> Service:
    """404 (not 403) for another tenant's id: its existence is not confirmed."""
    return get_object_or_404(
        services_visible_to(user).select_related("organisation", "organisation__parent"), pk=service_id
    )


def location_get(*, user: Any, location_id: Any) -> Any:
    from .permissions import locations_visible_to

    return get_object_or_404(locations_visible_to(user).select_related("organisation"), pk=location_id)


def stale_services(*, municipality: Municipality | Any) -> list[Service]:
    """Services older than their update frequency (never verified first), for the freshness report."""
    now = timezone.now()
    services = (
        Service.objects.for_tenant(municipality)
        .exclude(status=ServiceStatus.DEFUNCT)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    return [s for s in services if s.last_verified_at is None or s.verification_due < now]


def freshness_summary(*, municipality: Municipality | Any) -> list[dict[str, Any]]:
    """Per organisation: services, how many are overdue, the oldest verification."""
    rows: dict[Any, dict[str, Any]] = {}
    now = timezone.now()
    for service in (
        Service.objects.for_tenant(municipality).exclude(status=ServiceStatus.DEFUNCT).select_related("organisation")
    ):
        row = rows.setdefault(
            service.organisation_id,
            {"organisation": service.organisation, "total": 0, "stale": 0, "oldest": None},
        )
        row["total"] += 1
        if service.last_verified_at is None or service.verification_due < now:
            row["stale"] += 1
        if service.last_verified_at and (row["oldest"] is None or service.last_verified_at < row["oldest"]):
            row["oldest"] = service.last_verified_at
    return sorted(rows.values(), key=lambda r: (-r["stale"], r["organisation"].name))


def taxonomies_for(municipality: Municipality | None) -> QuerySet[Taxonomy]:
    country = getattr(municipality, "country", None)
    qs = Taxonomy.objects.all()
    if country:
        qs = qs.filter(Q(country="") | Q(country=country))
    return qs.order_by("name")


def terms_of(code: str) -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(taxonomy__code=code).order_by("name")


def service_detail_prefetch(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("organisation", "organisation__parent", "program").prefetch_related(
        Prefetch("attributes", queryset=ServiceAttribute.plain.select_related("taxonomy_term__taxonomy")),
        Prefetch("service_at_locations", queryset=ServiceAtLocation.plain.select_related("location")),
        Prefetch("schedules", queryset=Schedule.plain.order_by("byday", "opens_at")),
        "phones",
        "contacts",
        "cost_options",
        "required_documents",
        "funding",
        "service_areas",
    )


# --- public reads (HSDS feed, service finder) -----------------------------------------------------


def directory_version(*, municipality: Municipality | Any) -> int:
    """The version of what the public HSDS feed of ``municipality`` (or its id; None: every municipality) shows:
    its counter plus the shared taxonomies' one, which only grow (carenet.directory.services.directory_changed).
    Read on every cached HSDS answer, so in plain SQL (an ORM query costs several times more to build)."""
    from django.db import connections, router

    from .models import DataVersion

    connection = connections[router.db_for_read(DataVersion)]  # the database the answer's rows come from
    sql = f"SELECT SUM(version) FROM {connection.ops.quote_name(DataVersion._meta.db_table)}"  # noqa: S608
    params: list[str] = []
    if municipality is not None:
        sql += " WHERE scope IN (%s, %s)"
        params = [DataVersion.scope_of(municipality), DataVersion.SHARED]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0] or 0)


def public_services(*, municipality: Municipality | None) -> QuerySet[Service]:
    """Directory records are public. Without a municipality this is the open-data feed of every
    tenant (public data only, read-only): the one deliberate cross-tenant read."""
    if municipality is None:
        return Service.objects.all_tenants()
    return Service.objects.for_tenant(municipality)


def public_service_at_locations(*, municipality: Municipality | None) -> QuerySet[ServiceAtLocation]:
    if municipality is None:
        return ServiceAtLocation.objects.all_tenants()
    return ServiceAtLocation.objects.for_tenant(municipality)


def public_organisations(*, municipality: Municipality | None) -> QuerySet[Any]:
    from carenet.core.models import Organisation

    qs = Organisation.objects.all_tenants() if municipality is None else Organisation.objects.for_tenant(municipality)
    return qs.filter(is_active=True, is_provider=True, is_generic=False)


def _narrow_by_words(qs: QuerySet[Service], words: list[str], municipality: Any) -> QuerySet[Service]:
    """Every query word must start a word of the service's text.

    The rarest word (counted on the covering index ``search_token_tenant_prefix``) selects the
    candidates by primary key; the other words are checked on those rows only
    (docs/decisions/0005-directory-search.md).
    """
    from .models import SearchToken
    from .text import prefix_upper_bound

    tokens_qs = SearchToken.plain.all()
    if municipality is not None:
        tokens_qs = tokens_qs.filter(municipality_id=getattr(municipality, "pk", municipality))
    ranges = {}
    for word in words:
        bound = prefix_upper_bound(word)
        ranges[word] = tokens_qs.filter(token__gte=word, **({"token__lt": bound} if bound else {}))
    rarest = min(words, key=lambda w: ranges[w].count()) if len(words) > 1 else words[0]
    qs = qs.filter(pk__in=ranges[rarest].values("service_id"))
    for word in words:
        if word != rarest:
            # " word" at a word start (search_text is space-separated, normalised)
            qs = qs.filter(Q(search_text__startswith=word) | Q(search_text__contains=" " + word))
    return qs


def ranked_page(qs: QuerySet[Service], *, offset: int, limit: int) -> tuple[int, list[Any]]:
    """Total and one page of ids of a search, from ONE scan of the matches (not count + page)."""
    ids = list(qs.values_list("pk", flat=True))
    return len(ids), ids[offset : offset + limit]


def filter_services(
    qs: QuerySet[Service],
    *,
    municipality: Any = None,
    search: str = "",
    taxonomy_term_ids: list[Any] | None = None,
    taxonomy_id: Any = None,
    organisation_id: Any = None,
    modified_after: Any = None,
) -> QuerySet[Service]:
    """HSDS query parameters. Search: every word (normalised, diacritics-insensitive) must occur;
    services whose name holds the words rank first (docs/decisions/0005-directory-search.md)."""
    from django.db.models import Case, IntegerField, Value, When

    from .text import normalise, tokens

    for term_id in taxonomy_term_ids or []:
        qs = qs.filter(attributes__taxonomy_term_id=term_id)
    if taxonomy_id:
        qs = qs.filter(attributes__taxonomy_term__taxonomy_id=taxonomy_id).distinct()
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if modified_after:
        qs = qs.filter(updated_at__gt=modified_after)
    words = tokens(search)
    if words:
        qs = _narrow_by_words(qs, words, municipality)
        phrase = normalise(search)
        # rank: the whole phrase in a name, then how many of the words are in a name
        score: Any = Case(
            When(search_name__contains=phrase, then=Value(len(words) + 1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for word in words:
            score = score + Case(
                When(search_name__contains=word, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        qs = qs.annotate(rank=score).order_by("-rank", "name", "id")
    else:
        qs = qs.order_by("name", "id")
    return qs


# --- the public service finder --------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    import math

    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def finder_search(
    *,
    municipality: Municipality,
    query: str = "",
    need: Any = None,
    group: Any = None,
    age: int | None = None,
    area: str = "",
    point: tuple[float, float] | None = None,
    radius_km: float | None = None,
    open_now: bool = False,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Active services of one municipality matching the citizen's criteria, nearest or best first."""
    from zoneinfo import ZoneInfo

    qs = filter_services(
        public_services(municipality=municipality).exclude(status=ServiceStatus.DEFUNCT),
        municipality=municipality,
        search=query,
        taxonomy_term_ids=[t for t in (need, group) if t],
    )
    if age is not None:
        qs = qs.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=age)).filter(
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=age)
        )
    if area:
        qs = qs.filter(service_areas__name=area)
    if open_now:
        now = timezone.localtime(timezone=ZoneInfo(municipality.time_zone))
        day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][now.weekday()]
        open_ids = (
            Schedule.objects.for_tenant(municipality)
            .filter(byday__contains=day, opens_at__lte=now.time(), closes_at__gt=now.time())
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=now.date()))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=now.date()))
            .values("service_id")
        )
        qs = qs.filter(pk__in=open_ids)
    if point is not None and radius_km:
        # bounding box in the database, exact distance below
        dlat = radius_km / 111.0
        qs = qs.filter(
            service_at_locations__location__latitude__range=(point[0] - dlat, point[0] + dlat),
        ).distinct()
    qs = qs.select_related("organisation", "organisation__parent").prefetch_related(
        Prefetch("service_at_locations", queryset=ServiceAtLocation.plain.select_related("location")),
        Prefetch("attributes", queryset=ServiceAttribute.plain.select_related("taxonomy_term__taxonomy")),
        "schedules",
    )
    results = []
    for service in qs[: limit * 3 if point else limit]:
        locations = [sal.location for sal in service.service_at_locations.all()]
        distance = None
        if point is not None:
            distances = [
                haversine_km(point[0], point[1], loc.latitude, loc.longitude)
                for loc in locations
                if loc.latitude is not None and loc.longitude is not None
            ]
            distance = min(distances) if distances else None
            if radius_km and (distance is None or distance > radius_km):
                continue
        results.append({"service": service, "locations": locations, "distance_km": distance})
    if point is not None:
        results.sort(key=lambda r: (r["distance_km"] is None, r["distance_km"] or 0))
    return results[:limit]


def finder_service(*, municipality: Municipality, service_id: Any) -> Service:
    """One public service of this municipality; another tenant's id is a 404."""
    return get_object_or_404(
        service_detail_prefetch(public_services(municipality=municipality).exclude(status=ServiceStatus.DEFUNCT)),
        pk=service_id,
    )


def service_area_names(*, municipality: Municipality) -> list[str]:
    from .models import ServiceArea

    return sorted(set(ServiceArea.objects.for_tenant(municipality).values_list("name", flat=True)))

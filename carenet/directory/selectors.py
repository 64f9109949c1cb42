"""Reads of the directory, already scoped to what the user (or the public) may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carenet.core.models import Municipality
from carenet.core.policy import actor_of
from carenet.core.roles import Role
from carenet.geo.geometry import haversine_km

from .models import (
    SOURCE_LANGUAGE,
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
        return filter_services(services=qs, municipality=actor_of(user).municipality_id, search=query)
    return qs.order_by("organisation__name", "name")


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


def taxonomies_for(*, municipality: Municipality | None) -> QuerySet[Taxonomy]:
    country = getattr(municipality, "country", None)
    qs = Taxonomy.objects.all()
    if country:
        qs = qs.filter(Q(country="") | Q(country=country))
    qs = qs.filter(Q(municipality__isnull=True) | Q(municipality=municipality))
    return qs.order_by("name")


def _uuids(ids: Any) -> list[str]:
    import uuid

    valid = []
    for value in ids:
        try:
            valid.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return valid


def taxonomies_usable(*, municipality: Municipality | Any, ids: Any) -> set[str]:
    """Of the taxonomy ``ids`` (any text), those a municipality uses as they are: shared reference data and its
    own (those it imported) — never a taxonomy another municipality imported."""
    held = Q(municipality__isnull=True) | Q(municipality=municipality)
    return {str(i) for i in Taxonomy.objects.filter(held, pk__in=_uuids(ids)).values_list("id", flat=True)}


def taxonomy_terms_usable(*, municipality: Municipality | Any, ids: Any) -> set[str]:
    """Of the term ``ids`` (any text), the terms of the taxonomies ``taxonomies_usable`` gives."""
    held = Q(taxonomy__municipality__isnull=True) | Q(taxonomy__municipality=municipality)
    return {str(i) for i in TaxonomyTerm.objects.filter(held, pk__in=_uuids(ids)).values_list("id", flat=True)}


def terms_of(*, code: str) -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(taxonomy__code=code).order_by("name")


def service_detail_prefetch(*, services: QuerySet[Service]) -> QuerySet[Service]:
    """``services`` with everything a service's full page (staff or public) shows, in a few queries."""
    return services.select_related("organisation", "organisation__parent", "program").prefetch_related(
        Prefetch("attributes", queryset=ServiceAttribute.plain.select_related("taxonomy_term__taxonomy")),
        Prefetch("service_at_locations", queryset=ServiceAtLocation.plain.select_related("location")),
        "service_at_locations__location__phones",  # a location's own phones (HSDS)
        Prefetch("schedules", queryset=Schedule.plain.order_by("byday", "opens_at")),
        "phones",
        "contacts",
        "cost_options",
        "required_documents",
        "funding",
        "service_areas",
    )


def service_with_details(*, service: Service) -> Service:
    """A service already fetched for the user (``permissions.service_for``), read again with all it shows."""
    return service_detail_prefetch(services=Service.objects.for_tenant(service.municipality_id)).get(pk=service.pk)


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


def ranked_page(*, services: QuerySet[Service], offset: int, limit: int) -> tuple[int, list[Any]]:
    """Total and one page of ids of a search, from ONE scan of the matches (not count + page): the total is a
    window count of that scan, so only the page's ids reach Python (a broad search of the national directory
    matches thousands of services, and converting every id cost more than the page)."""
    from django.db.models import Count, Window

    if services.query.distinct:  # a window counts the rows before DISTINCT
        ids = list(services.values_list("pk", flat=True))
        return len(ids), ids[offset : offset + limit]
    rows = list(services.annotate(_total=Window(Count("pk"))).values_list("_total", "pk")[offset : offset + limit])
    if not rows:  # nothing found, or past the last page (then counted on its own)
        return (services.count() if offset else 0), []
    return rows[0][0], [pk for _total, pk in rows]


def filter_services(
    *,
    services: QuerySet[Service],
    municipality: Any = None,
    search: str = "",
    taxonomy_term_ids: list[Any] | None = None,
    taxonomy_ids: list[Any] | None = None,
    organisation_ids: list[Any] | None = None,
    modified_after: Any = None,
) -> QuerySet[Service]:
    """HSDS query parameters. Search: every word (normalised, diacritics-insensitive) must occur;
    services whose name holds the words rank first (docs/decisions/0005-directory-search.md).
    ``modified_after`` is inclusive ("on or after", HSDS 3.0 openapi.json); several taxonomies or
    organisations: any of them."""
    from django.db.models import Case, IntegerField, Value, When

    from .text import normalise, tokens

    qs = services
    for term_id in taxonomy_term_ids or []:
        qs = qs.filter(attributes__taxonomy_term_id=term_id)
    if taxonomy_ids:
        with_taxonomy = ServiceAttribute.plain.filter(taxonomy_term__taxonomy_id__in=taxonomy_ids)
        qs = qs.filter(pk__in=with_taxonomy.values("service_id"))
    if organisation_ids:
        qs = qs.filter(organisation_id__in=organisation_ids)
    if modified_after:
        qs = qs.filter(updated_at__gte=modified_after)
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


def postcode_centre(*, municipality: Municipality | None, postcode: str) -> tuple[float, float]:
    """The centre of a postcode: the mean of the known locations' coordinates that carry it (CareNet holds no
    postcode gazetteer); LookupError when no located address has it."""
    from django.db.models import Avg

    from .models import Location

    qs = Location.objects.all_tenants() if municipality is None else Location.objects.for_tenant(municipality)
    centre = qs.filter(postal_code=postcode, latitude__isnull=False, longitude__isnull=False).aggregate(
        lat=Avg("latitude"), lon=Avg("longitude")
    )
    if centre["lat"] is None:
        raise LookupError(postcode)
    return float(centre["lat"]), float(centre["lon"])


def filter_service_at_locations(
    *,
    service_at_locations: QuerySet[ServiceAtLocation],
    municipality: Any = None,
    search: str = "",
    taxonomy_term_ids: list[Any] | None = None,
    taxonomy_ids: list[Any] | None = None,
    organisation_ids: list[Any] | None = None,
    modified_after: Any = None,
    postcode: str = "",
    proximity_m: float | None = None,
) -> QuerySet[ServiceAtLocation]:
    """The HSDS parameters of ``/service_at_locations``: the service filters of ``filter_services`` applied to the
    service; ``modified_after`` on the service, the place or the link (on or after); ``postcode`` — the place's
    postal code, or a service area naming it (HSDS: "only return results where the postcode exists within the
    service_area"); with ``proximity`` (metres) the places within that distance of the postcode's centre."""
    from .models import ServiceArea

    qs = service_at_locations
    if search or taxonomy_term_ids or taxonomy_ids or organisation_ids:
        services = filter_services(
            services=public_services(municipality=municipality),
            municipality=municipality,
            search=search,
            taxonomy_term_ids=taxonomy_term_ids,
            taxonomy_ids=taxonomy_ids,
            organisation_ids=organisation_ids,
        ).order_by()
        qs = qs.filter(service_id__in=services.values("pk"))
    if modified_after:
        qs = qs.filter(
            Q(updated_at__gte=modified_after)
            | Q(service__updated_at__gte=modified_after)
            | Q(location__updated_at__gte=modified_after)
        )
    if postcode and proximity_m is None:
        areas = ServiceArea.plain.filter(Q(name=postcode) | Q(extent__contains=postcode)).values("service_id")
        qs = qs.filter(Q(location__postal_code=postcode) | Q(service_id__in=areas))
    if postcode and proximity_m is not None:
        lat, lon = postcode_centre(municipality=municipality, postcode=postcode)
        dlat = proximity_m / 111_000.0
        near = qs.filter(
            location__latitude__range=(lat - dlat, lat + dlat), location__longitude__isnull=False
        ).values_list("pk", "location__latitude", "location__longitude")
        keep = [
            pk
            for pk, la, lo in near
            if la is not None and lo is not None and haversine_km(lat, lon, la, lo) * 1000 <= proximity_m
        ]
        qs = qs.filter(pk__in=keep)
    return qs.select_related(
        "location", "service", "service__organisation", "service__organisation__directory_profile", "service__program"
    ).order_by("service__name", "id")


def public_taxonomies(*, municipality: Municipality | None, search: str = "") -> QuerySet[Taxonomy]:
    """The taxonomies a municipality's feed shows: the shared ones of its country and those it imported
    (an imported taxonomy belongs to the municipality that imported it: never in another tenant's feed)."""
    qs = Taxonomy.objects.all()
    if municipality is not None:
        qs = qs.filter(Q(country="") | Q(country=municipality.country)).filter(
            Q(municipality__isnull=True) | Q(municipality=municipality)
        )
    else:
        qs = qs.filter(municipality__isnull=True)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return qs.order_by("name", "id")


def public_taxonomy_terms(
    *,
    municipality: Municipality | None,
    taxonomy_ids: list[Any] | None = None,
    search: str = "",
    top_only: bool = False,
    parent_id: Any = None,
) -> QuerySet[TaxonomyTerm]:
    qs = TaxonomyTerm.objects.filter(taxonomy__in=public_taxonomies(municipality=municipality)).select_related(
        "taxonomy"
    )
    if taxonomy_ids:
        qs = qs.filter(taxonomy_id__in=taxonomy_ids)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(description__icontains=search))
    if top_only:
        qs = qs.filter(parent__isnull=True)
    if parent_id:
        qs = qs.filter(parent_id=parent_id)
    return qs.order_by("taxonomy__name", "code", "id")


# --- the public service finder --------------------------------------------------------------------


FINDER_PAGE_SIZE = 20
# A search from a point ranks this many of the best matches by distance (the radius keeps those within it).
FINDER_NEAR_CANDIDATES = 300
_FINDER_TAXONOMIES = ("carenet-needs", "carenet-target-groups")


def _finder_queryset(
    *,
    municipality: Municipality,
    query: str,
    need: Any,
    group: Any,
    age: int | None,
    area: str,
    point: tuple[float, float] | None,
    radius_km: float | None,
    open_now: bool,
) -> QuerySet[Service]:
    from zoneinfo import ZoneInfo

    qs = filter_services(
        services=public_services(municipality=municipality).exclude(status=ServiceStatus.DEFUNCT),
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
            .filter(service__isnull=False)  # the service's own hours (a location's have no service)
            .values("service_id")
        )
        qs = qs.filter(pk__in=open_ids)
    if point is not None and radius_km:
        # bounding box in the database, exact distance below
        dlat = radius_km / 111.0
        qs = qs.filter(
            service_at_locations__location__latitude__range=(point[0] - dlat, point[0] + dlat),
        ).distinct()
    return qs


def _finder_columns(language: str | None) -> dict[str, Any]:
    """The columns a result card shows, as ``.values()`` keywords: never a whole row (the search text and every
    language's translations of every field are most of a service's bytes)."""
    from django.db.models import F
    from django.db.models.fields.json import KT

    columns: dict[str, Any] = {
        "organisation_name": F("organisation__name"),
        "parent_name": F("organisation__parent__name"),
    }
    if language and language != SOURCE_LANGUAGE and language.isalpha():
        columns["name_translated"] = KT(f"translations__{language}__name")
    return columns


def _finder_locations(*, municipality: Municipality, service_ids: list[Any]) -> dict[Any, list[dict[str, Any]]]:
    """The places of these services (the map's markers and the distance), in the order of the link's key."""
    by_service: dict[Any, list[dict[str, Any]]] = {}
    rows = (
        ServiceAtLocation.objects.for_tenant(municipality)
        .filter(service_id__in=service_ids)
        .order_by("service_id", "location_id")
        .values_list("service_id", "location__latitude", "location__longitude", "location__coordinates_approximate")
    )
    for service_id, latitude, longitude, approximate in rows:
        by_service.setdefault(service_id, []).append(
            {"latitude": latitude, "longitude": longitude, "coordinates_approximate": approximate}
        )
    return by_service


def _finder_terms(*, municipality: Municipality, service_ids: list[Any], language: str | None) -> dict[Any, list[str]]:
    """The needs and target groups of these services, named in ``language`` (``TaxonomyTerm.name_in``)."""
    from .taxonomy_data import taxonomy_uuid

    by_service: dict[Any, list[str]] = {}
    rows = (
        ServiceAttribute.objects.for_tenant(municipality)
        .filter(
            service_id__in=service_ids, taxonomy_term__taxonomy_id__in=[taxonomy_uuid(c) for c in _FINDER_TAXONOMIES]
        )
        .order_by("service_id", "taxonomy_term_id")
        .values_list("service_id", "taxonomy_term__name", "taxonomy_term__names")
    )
    for service_id, name, names in rows:
        by_service.setdefault(service_id, []).append((names or {}).get(language or "", "") or name)
    return by_service


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
    language: str | None = None,
    offset: int = 0,
    limit: int = FINDER_PAGE_SIZE,
) -> tuple[int, list[dict[str, Any]]]:
    """Active services of one municipality matching the citizen's criteria, best first (nearest first from a
    point): how many, and the rows of one page, each ``{"id", "name", "name_translated" (in ``language``, or
    None), "organisation_name", "parent_name", "distance_km", "locations", "terms"}``.

    Narrow rows, a constant number of queries whatever the page size or the number of matches: the page's ids
    with the total in one query (``ranked_page``), then the page's columns, places and categories in one query
    each."""
    qs = _finder_queryset(
        municipality=municipality,
        query=query,
        need=need,
        group=group,
        age=age,
        area=area,
        point=point,
        radius_km=radius_km,
        open_now=open_now,
    )
    distances: dict[Any, float | None] = {}
    places: dict[Any, list[dict[str, Any]]] = {}
    if point is None:
        # the page's ids and the total from one scan of the matches, never joined (a broad search of the national
        # directory matches thousands of services): only the page's rows are joined to their providers below
        total, page_ids = ranked_page(services=qs, offset=offset, limit=limit)
    else:
        candidates = list(qs.values_list("pk", flat=True)[:FINDER_NEAR_CANDIDATES])
        places = _finder_locations(municipality=municipality, service_ids=candidates)
        near = []
        for service_id in candidates:
            located = [
                haversine_km(point[0], point[1], loc["latitude"], loc["longitude"])
                for loc in places.get(service_id, [])
                if loc["latitude"] is not None and loc["longitude"] is not None
            ]
            distance = min(located) if located else None
            if radius_km and (distance is None or distance > radius_km):
                continue
            distances[service_id] = distance
            near.append(service_id)
        near.sort(key=lambda pk: (distances[pk] is None, distances[pk] or 0))
        total = len(near)
        page_ids = near[offset : offset + limit]
    by_id: dict[Any, dict[str, Any]] = {
        row["id"]: dict(row)
        for row in public_services(municipality=municipality)
        .filter(pk__in=page_ids)
        .values("id", "name", **_finder_columns(language))
    }
    rows = [by_id[pk] for pk in page_ids]
    ids = [row["id"] for row in rows]
    if point is None and ids:
        places = _finder_locations(municipality=municipality, service_ids=ids)
    terms = _finder_terms(municipality=municipality, service_ids=ids, language=language) if ids else {}
    for row in rows:
        row.setdefault("name_translated", None)
        row["distance_km"] = distances.get(row["id"])
        row["locations"] = places.get(row["id"], [])
        row["terms"] = terms.get(row["id"], [])
    return total, rows


def finder_service(*, municipality: Municipality, service_id: Any) -> Service:
    """One public service of this municipality; another tenant's id is a 404."""
    return get_object_or_404(
        service_detail_prefetch(
            services=public_services(municipality=municipality).exclude(status=ServiceStatus.DEFUNCT)
        ),
        pk=service_id,
    )


def service_area_names(*, municipality: Municipality) -> list[str]:
    from .models import ServiceArea

    return sorted(set(ServiceArea.objects.for_tenant(municipality).values_list("name", flat=True)))


def finder_suggestions(*, municipality: Municipality, query: str, limit: int = 6) -> list[dict[str, Any]]:
    """What to offer a citizen whose search found nothing: the needs and target groups of this
    municipality's services whose names or synonyms (in any language) are spelt close to a query word,
    else the categories holding the most services. Each: ``{"term", "param", "services"}``, where
    ``param`` is the finder's filter ("need" or "group")."""
    import difflib

    from django.db.models import Count

    from .taxonomy_data import taxonomy_uuid
    from .text import normalise

    params = {taxonomy_uuid("carenet-needs"): "need", taxonomy_uuid("carenet-target-groups"): "group"}
    counts: dict[Any, int] = dict(
        ServiceAttribute.objects.for_tenant(municipality)
        .exclude(service__status=ServiceStatus.DEFUNCT)
        .filter(taxonomy_term__taxonomy_id__in=params)
        .values_list("taxonomy_term_id")
        .annotate(n=Count("service_id", distinct=True))
        .values_list("taxonomy_term_id", "n")
    )
    terms = list(TaxonomyTerm.objects.filter(pk__in=counts))
    words = [w for w in normalise(query).split() if len(w) > 2]
    scored: list[tuple[float, TaxonomyTerm]] = []
    for term in terms:
        vocabulary = set(normalise(" ".join([*term.all_names(), term.description, term.code])).split())
        best = 0.0
        for word in words:
            for close in difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.7):
                best = max(best, difflib.SequenceMatcher(None, word, close).ratio())
        if best:
            scored.append((best, term))
    if scored:
        chosen = [t for _score, t in sorted(scored, key=lambda st: (-st[0], -counts[st[1].pk], st[1].name))]
    else:
        chosen = sorted(terms, key=lambda t: (-counts[t.pk], t.name))
    return [{"term": t, "param": params[t.taxonomy_id], "services": counts[t.pk]} for t in chosen[:limit]]

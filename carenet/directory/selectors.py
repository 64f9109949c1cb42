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
        from .text import tokens

        for token in tokens(query):
            qs = qs.filter(search_text__contains=token)
    return qs.order_by("organisation__name", "name")


def service_get(*, user: Any, service_id: Any) -> Service:
    """404 (not 403) for another tenant's id: its existence is not confirmed."""
    return get_object_or_404(
        services_visible_to(user).select_related("organisation", "organisation__parent"), pk=service_id
    )


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
    return qs.select_related("organisation", "program").prefetch_related(
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


def filter_services(
    qs: QuerySet[Service],
    *,
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
        for word in words:
            qs = qs.filter(search_text__contains=word)
        phrase = normalise(search)
        qs = qs.annotate(
            rank=Case(
                When(search_name__contains=phrase, then=Value(3)),
                When(search_name__contains=words[0], then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("-rank", "name", "id")
    else:
        qs = qs.order_by("name", "id")
    return qs

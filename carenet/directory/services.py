"""Every write to the directory: validated, atomic, audited in the same transaction."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.models import Organisation

from .models import (
    DataVersion,
    Location,
    Schedule,
    SearchToken,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    TaxonomyTerm,
)
from .permissions import can_change_location, can_change_service, can_create_service_for, can_verify_service
from .taxonomy_data import taxonomy_uuid

SERVICE_EDITABLE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "status",
    "url",
    "email",
    "application_process",
    "eligibility_description",
    "fees_description",
    "wait_time",
    "minimum_age",
    "maximum_age",
    "licenses",
    "accreditations",
    "alert",
    "languages",
    "places_total",
    "places_available",
    "update_frequency_days",
    "translations",
)


# --- the data version (what the HSDS response cache keys on) ---------------------------------------

_deferred: ContextVar[set[str] | None] = ContextVar("directory_deferred_versions", default=None)


def directory_changed(*, municipality: Any) -> None:
    """Public directory data of ``municipality`` (None: the shared taxonomies) has changed: bump its
    version, in the caller's transaction, so that no cached HSDS answer of the old data is served again.

    Model saves and deletes call this by themselves (carenet/directory/signals.py); call it after
    writes that bypass them (``QuerySet.update``, ``bulk_create``, raw SQL)."""
    scope = DataVersion.scope_of(municipality)
    pending = _deferred.get()
    if pending is not None:
        pending.add(scope)
        return
    # A random step, not +1: versions still only grow, and a rolled-back or restored database never
    # reaches again the exact number a cached answer of other data was stored under.
    step = secrets.randbelow(2**31) + 1
    if DataVersion.objects.filter(scope=scope).update(version=F("version") + step):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(scope=scope, version=step)
    except IntegrityError:  # created meanwhile by another writer
        DataVersion.objects.filter(scope=scope).update(version=F("version") + step)


@contextmanager
def directory_bulk_write() -> Iterator[None]:
    """Imports and loaders: one version bump per municipality at the end, not one per row written.
    Use it inside the transaction of the writes (the bump then commits with them)."""
    if _deferred.get() is not None:  # nested: the outer block bumps
        yield
        return
    pending: set[str] = set()
    token = _deferred.set(pending)
    try:
        yield
    except BaseException:
        _deferred.reset(token)
        # Rows written before the error stay unless the transaction rolls back: bump when it can.
        if not transaction.get_connection().needs_rollback:
            _bump(pending)
        raise
    _deferred.reset(token)
    _bump(pending)


def _bump(scopes: set[str]) -> None:
    for scope in sorted(scopes):
        directory_changed(municipality=None if scope == DataVersion.SHARED else scope)


_SYNONYM_TAXONOMIES = {taxonomy_uuid("carenet-target-groups"), taxonomy_uuid("carenet-needs")}


def service_reindex(*, service: Service) -> None:
    """Rebuild the normalised search columns of one service (names of its terms in every language)."""
    term_names: list[str] = []
    for term in TaxonomyTerm.objects.filter(services=service):
        term_names.extend(term.all_names())
        term_names.append(term.code)
        if term.taxonomy_id in _SYNONYM_TAXONOMIES:
            term_names.append(term.description)
    organisation = Organisation._default_manager.get(pk=service.organisation_id)
    service.build_search_fields(term_names, organisation.name)
    Service._default_manager.filter(pk=service.pk).update(
        search_name=service.search_name, search_text=service.search_text
    )
    SearchToken.plain.filter(service=service).delete()
    SearchToken.plain.bulk_create(
        [
            SearchToken(municipality_id=service.municipality_id, service=service, token=token)
            for token in sorted(service.search_tokens())
        ]
    )
    directory_changed(municipality=service.municipality_id)  # search columns and tokens: no save signal


def _validate(instance: Any, *, exclude: list[str] | None = None) -> None:
    instance.full_clean(exclude=exclude, validate_unique=False)


def service_create(
    *, actor: Any, organisation: Organisation, data: dict[str, Any], terms: list[TaxonomyTerm] | None = None
) -> Service:
    if not can_create_service_for(actor, organisation):
        raise PermissionDenied
    service = Service(municipality_id=organisation.municipality_id, organisation=organisation)
    for field in SERVICE_EDITABLE_FIELDS:
        if field in data:
            setattr(service, field, data[field])
    if "places_total" in data or "places_available" in data:
        service.capacity_updated_at = timezone.now()
    service.last_verified_at = timezone.now()
    _validate(service)
    with transaction.atomic():
        service.save()
        if terms is not None:
            _set_terms(service, terms)
        service_reindex(service=service)
        audit_record(
            action="directory.service.create",
            actor=actor,
            obj=service,
            changes={"fields": sorted(k for k in data if k in SERVICE_EDITABLE_FIELDS)},
        )
    return service


def service_update(
    *, actor: Any, service: Service, data: dict[str, Any], terms: list[TaxonomyTerm] | None = None
) -> Service:
    if not can_change_service(actor, service):
        raise PermissionDenied
    # Compare with the stored row: a bound ModelForm has already written its values on ``service``.
    stored = Service._default_manager.get(pk=service.pk)
    changed = [f for f in SERVICE_EDITABLE_FIELDS if f in data and getattr(stored, f) != data[f]]
    for field in changed:
        setattr(service, field, data[field])
    if {"places_total", "places_available"} & set(changed):
        service.capacity_updated_at = timezone.now()
    # Editing a record is checking it: the provider has just looked at every field.
    service.last_verified_at = timezone.now()
    _validate(service)
    with transaction.atomic():
        service.save()
        if terms is not None:
            before = set(ServiceAttribute.plain.filter(service=service).values_list("taxonomy_term_id", flat=True))
            if before != {t.pk for t in terms}:
                changed.append("terms")
                _set_terms(service, terms)
        service_reindex(service=service)
        audit_record(action="directory.service.update", actor=actor, obj=service, changes={"fields": changed})
    return service


def service_verify(*, actor: Any, service: Service) -> Service:
    """The provider confirms the record is still right (resets the freshness clock)."""
    if not can_verify_service(actor, service):
        raise PermissionDenied
    with transaction.atomic():
        service.last_verified_at = timezone.now()
        service.save(update_fields=["last_verified_at", "updated_at"])
        audit_record(action="directory.service.verify", actor=actor, obj=service)
    return service


def _set_terms(service: Service, terms: list[TaxonomyTerm]) -> None:
    ServiceAttribute.plain.filter(service=service).exclude(taxonomy_term__in=terms).delete()
    existing = set(ServiceAttribute.plain.filter(service=service).values_list("taxonomy_term_id", flat=True))
    ServiceAttribute.plain.bulk_create(
        [
            ServiceAttribute(municipality_id=service.municipality_id, service=service, taxonomy_term=t)
            for t in terms
            if t.pk not in existing
        ]
    )


def schedule_add(
    *, actor: Any, service: Service, byday: str, opens_at: Any, closes_at: Any, description: str = ""
) -> Schedule:
    if not can_change_service(actor, service):
        raise PermissionDenied
    schedule = Schedule(
        municipality_id=service.municipality_id,
        service=service,
        byday=byday,
        opens_at=opens_at,
        closes_at=closes_at,
        description=description,
    )
    _validate(schedule)
    if any(day not in {"MO", "TU", "WE", "TH", "FR", "SA", "SU"} for day in byday.split(",")):
        raise ValidationError({"byday": _("Use day codes separated by commas, for example MO,TU,WE.")})
    with transaction.atomic():
        schedule.save()
        audit_record(action="directory.schedule.create", actor=actor, obj=service, changes={"fields": ["schedules"]})
    return schedule


def location_update(*, actor: Any, location: Location, data: dict[str, Any]) -> Location:
    if not can_change_location(actor, location):
        raise PermissionDenied
    fields = (
        "name",
        "description",
        "address_1",
        "city",
        "postal_code",
        "latitude",
        "longitude",
        "accessibility",
        "transportation",
        "coordinates_approximate",
    )
    stored = Location._default_manager.get(pk=location.pk)
    changed = [f for f in fields if f in data and getattr(stored, f) != data[f]]
    for field in changed:
        setattr(location, field, data[field])
    _validate(location)
    with transaction.atomic():
        location.save()
        audit_record(action="directory.location.update", actor=actor, obj=location, changes={"fields": changed})
    return location


def service_link_location(*, actor: Any, service: Service, location: Location) -> ServiceAtLocation:
    if not can_change_service(actor, service) or location.municipality_id != service.municipality_id:
        raise PermissionDenied
    with transaction.atomic():
        sal, _created = ServiceAtLocation.plain.get_or_create(
            municipality_id=service.municipality_id, service=service, location=location
        )
        audit_record(
            action="directory.service.link_location", actor=actor, obj=service, changes={"fields": ["locations"]}
        )
    return sal

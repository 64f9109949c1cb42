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
from django.utils import timezone, translation
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


# --- the feeds (decision 0024): import in the background, pull a remote source, push the municipality's own ----


def _require_coordinator(actor: Any, municipality: Any) -> None:
    from .permissions import can_import_directory

    if actor is not None and not can_import_directory(actor, municipality):
        raise PermissionDenied


def import_job_start(*, actor: Any, municipality: Any, upload: Any) -> Any:
    """Keep the uploaded file (already streamed to disk by the upload handlers) under the job's folder, and
    queue its import; the user follows the job's page. Nothing of the directory is written here."""
    from django.core.files.storage import default_storage

    from carenet.core.models import BackgroundJob

    from .datapackage.read import check_size
    from .permissions import IMPORT_JOB_KIND
    from .tasks import import_hsds_package

    _require_coordinator(actor, municipality)
    name = str(upload.name or "package.zip").rsplit("/", 1)[-1][:100]
    if not name.lower().endswith((".zip", ".json")):
        raise ValidationError({"file": _("Choose a zip datapackage or a JSON file.")})
    check_size(upload.size or 0, name)
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            municipality_id=getattr(municipality, "pk", municipality),
            kind=IMPORT_JOB_KIND,
            title=_("HSDS import: %(file)s") % {"file": name},
            created_by=actor,
            params={"filename": name, "language": translation.get_language() or "ro"},
        )
        # Not under jobs/<id>/ (the reaper empties that folder of an interrupted job): a retry reads it again.
        path = default_storage.save(f"hsds_uploads/{job.pk}/{name}", upload)
        job.params["path"] = path
        job.save(update_fields=["params"])
        audit_record(
            action="directory.import.start",
            actor=actor,
            municipality=municipality,
            object_type="hsds.datapackage",
            object_label=name,
            changes={"bytes": upload.size or 0},
        )
        transaction.on_commit(lambda: import_hsds_package.enqueue(str(job.pk)))
    return job


def hsds_source_save(
    *, actor: Any, municipality: Any, source: Any = None, name: str, url: str, pull_enabled: bool
) -> Any:
    """Add or change a feed source: its name, its URL (http or https) and whether it is pulled every night."""
    from .datapackage.read import ImportRefused
    from .datapackage.remote import check_url
    from .models import HsdsSource

    _require_coordinator(actor, municipality)
    name, url = name.strip()[:200], url.strip()
    if not name:
        raise ValidationError({"name": _("Give the source a name.")})
    if url:
        try:
            check_url(url)
        except ImportRefused as exc:
            raise ValidationError({"url": exc.messages}) from None
    elif pull_enabled:
        raise ValidationError({"url": _("A source pulled every night needs its URL.")})
    with transaction.atomic():
        clash = HsdsSource.objects.for_tenant(municipality).filter(name=name)
        if source is not None:
            clash = clash.exclude(pk=source.pk)
        if clash.exists():
            raise ValidationError({"name": _("Another source has this name.")})
        if source is None:
            source = HsdsSource(municipality_id=getattr(municipality, "pk", municipality))
        source.name, source.url, source.pull_enabled = name, url, pull_enabled
        source.save()
        audit_record(
            action="directory.source.save",
            actor=actor,
            obj=source,
            changes={"fields": ["name", "url", "pull_enabled"]},
        )
    return source


def _data_version(municipality_id: Any, *, lock: bool = False) -> int:
    rows = DataVersion.objects.filter(scope=DataVersion.scope_of(municipality_id))
    if lock:
        rows = rows.select_for_update()
    row = rows.first()
    return row.version if row else 0


def hsds_pull_fetch(*, actor: Any, source: Any) -> Any:
    """Read the source's feed, check it whole, and keep the diff against its last import as a pull waiting for
    the coordinator. A feed that cannot be read or is refused by the checks is a refused pull with the reason;
    the directory is never written here."""
    from .datapackage.diff import diff_snapshots, snapshot_of, summary_of
    from .datapackage.read import ImportRefused
    from .datapackage.remote import pull_tables
    from .datapackage.validate import validate_tables
    from .models import HsdsPull, PullStatus

    _require_coordinator(actor, source.municipality_id)
    pull = HsdsPull(municipality_id=source.municipality_id, source=source, url=source.url)
    try:
        tables, read = pull_tables(source.url)
        pull.bytes_read = read
        checked = validate_tables(tables, municipality=source.municipality)
        if checked.errors:
            raise ImportRefused([_("The feed was refused; nothing was imported."), *checked.errors[:200]])
    except ImportRefused as exc:
        pull.status, pull.error = PullStatus.REFUSED, "\n".join(exc.messages)[:20_000]
    else:
        pull.tables = tables
        pull.diff = diff_snapshots(source.snapshot or {}, snapshot_of(tables))
        pull.summary = {**summary_of(pull.diff), "warnings": checked.warnings[:200]}
        pull.base_version = _data_version(source.municipality_id)
    with transaction.atomic():
        pull.save()
        source.last_pulled_at = timezone.now()
        source.save(update_fields=["last_pulled_at"])
        audit_record(
            action="directory.pull.fetch",
            actor=actor,
            obj=pull,
            changes={"status": pull.status, **{k: pull.summary.get(k, 0) for k in ("added", "changed", "gone")}},
        )
    return pull


def hsds_pull_apply(*, actor: Any, pull: Any) -> Any:
    """Apply a waiting pull: the import of its tables and the removal of what is gone, with its audit event, in
    one transaction. Refused (a ``ValidationError``) when the directory changed since the diff was made, or
    when the import refuses the tables (the errors are given); nothing is written then."""
    from .datapackage.diff import gone_ids
    from .datapackage.load import import_tables
    from .models import PullStatus

    _require_coordinator(actor, pull.municipality_id)
    if pull.status != PullStatus.PENDING:
        raise ValidationError(_("This pull was already decided."))
    with transaction.atomic():
        if _data_version(pull.municipality_id, lock=True) != pull.base_version:
            raise ValidationError(
                _("The directory changed after this diff was made: pull the feed again and check the new diff.")
            )
        report = import_tables(
            actor=actor,
            municipality=pull.source.municipality,
            tables=pull.tables,
            source=pull.source.name,
            gone=gone_ids(pull.diff),
        )
        if not report.ok:
            raise ValidationError(report.errors)
        pull.status, pull.decided_by, pull.decided_at = PullStatus.APPLIED, actor, timezone.now()
        pull.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            action="directory.pull.apply",
            actor=actor,
            obj=pull,
            changes={k: pull.summary.get(k, 0) for k in ("added", "changed", "gone")},
        )
    return pull


def hsds_pull_reject(*, actor: Any, pull: Any) -> Any:
    from .models import PullStatus

    _require_coordinator(actor, pull.municipality_id)
    if pull.status != PullStatus.PENDING:
        raise ValidationError(_("This pull was already decided."))
    with transaction.atomic():
        pull.status, pull.decided_by, pull.decided_at = PullStatus.REJECTED, actor, timezone.now()
        pull.tables = {}
        pull.save(update_fields=["status", "decided_by", "decided_at", "tables"])
        audit_record(action="directory.pull.reject", actor=actor, obj=pull)
    return pull


def push_target_save(*, actor: Any, municipality: Any, url: str, token: str, enabled: bool) -> Any:
    """Set where the municipality's feed is pushed. An empty token keeps the one stored (it is never shown)."""
    from .datapackage.read import ImportRefused
    from .datapackage.remote import check_url
    from .models import PushTarget

    _require_coordinator(actor, municipality)
    url = url.strip()
    try:
        check_url(url)
    except ImportRefused as exc:
        raise ValidationError({"url": exc.messages}) from None
    with transaction.atomic():
        target = PushTarget.objects.for_tenant(municipality).first() or PushTarget(
            municipality_id=getattr(municipality, "pk", municipality)
        )
        target.url, target.enabled = url, enabled
        if token.strip():
            target.token = token.strip()[:500]
        target.save()
        audit_record(
            action="directory.push_target.save",
            actor=actor,
            obj=target,
            changes={"fields": ["url", "enabled", *(["token"] if token.strip() else [])]},
        )
    return target


def push_send(*, target: Any) -> Any:
    """POST the municipality's exported datapackage to its target and log what happened."""
    from .datapackage.export import export_zip
    from .datapackage.read import ImportRefused
    from .datapackage.remote import push
    from .models import PushLog

    log = PushLog(municipality_id=target.municipality_id, target=target)
    try:
        body, _services = export_zip(municipality=target.municipality)
        log.bytes_sent = len(body)
        log.response_code = push(target.url, token=target.token, body=body, filename="carenet-hsds.zip")
        log.ok = 200 <= log.response_code < 300
        if not log.ok:
            log.error = _("The target answered %(code)s.") % {"code": log.response_code}
    except ImportRefused as exc:
        log.error = " ".join(exc.messages)[:2000]
    with transaction.atomic():
        log.save()
        target.last_pushed_at = timezone.now()
        target.save(update_fields=["last_pushed_at"])
        audit_record(
            action="directory.push.send",
            obj=log,
            municipality=target.municipality_id,
            changes={"ok": log.ok, "bytes": log.bytes_sent, "code": log.response_code},
        )
    return log

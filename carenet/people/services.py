"""Every write to the registry: validated, in one transaction, with its audit event."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record, chain_locked, changed_fields
from carenet.core.identifiers import cnp_birth_date, cnp_sex, validate_cnp, validate_idnp
from carenet.core.policy import actor_of, policy
from carenet.core.validators import refuse_bidi_controls

from .hooks import caseload_sources, consent_withdrawal_handlers, merge_handlers
from .models import (
    Consent,
    DocumentStatus,
    Household,
    HouseholdMember,
    IdentifierKind,
    IdentityDocument,
    LinkageModel,
    LinkageSettings,
    NotSamePerson,
    Person,
    SensitiveProfile,
    Sex,
)
from .permissions import PROVIDER_ROLES, can_act_for_organisation, can_deduplicate, can_register_person
from .uploads import validate_scan

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "other_spellings",
    "sex",
    "birth_date",
    "identifier_kind",
    "national_id",
    "document_status",
    "address",
    "area",
    "phone",
    "email",
)
SENSITIVE_FIELDS = ("disability_degree", "disability_type", "health_notes", "ethnicity", "violence_history")


def validate_identifier(*, kind: str, value: str) -> None:
    """Raise a ValidationError naming the identifier field if the code is not a valid CNP / IDNP."""
    value = (value or "").strip()
    if not value:
        return
    if kind == IdentifierKind.CNP:
        validator = validate_cnp
    elif kind == IdentifierKind.IDNP:
        validator = validate_idnp
    else:
        raise ValidationError({"identifier_kind": _("Choose the type of the national identifier.")})
    try:
        validator(value)
    except ValidationError as exc:
        raise ValidationError({"national_id": exc.messages}) from exc


def _acting_organisation(actor: Any, organisation: Any = None) -> Any:
    """The organisation a registration or consent is recorded for: the one named, or the actor's own."""
    if organisation is not None:
        org_id = getattr(organisation, "pk", organisation)
        if not can_act_for_organisation(actor, org_id):
            raise PermissionDenied
        return org_id
    grants = actor_of(actor)
    own = sorted(grants.organisation_ids(*PROVIDER_ROLES), key=str) or sorted(grants.organisation_ids(), key=str)
    return own[0] if own else None


def _check_cnp_agrees(person: Person) -> None:
    """A CNP whose encoded date of birth or sex contradicts the ones entered is refused, naming both values."""
    errors: dict[str, str] = {}
    coded_birth = cnp_birth_date(person.national_id)
    if person.birth_date and coded_birth and coded_birth != person.birth_date:
        errors["national_id"] = _(
            "The CNP gives the date of birth %(coded)s, but the date of birth entered is %(entered)s."
        ) % {
            "coded": date_format(coded_birth, "SHORT_DATE_FORMAT"),
            "entered": date_format(person.birth_date, "SHORT_DATE_FORMAT"),
        }
    coded_sex = cnp_sex(person.national_id)
    if coded_sex and person.sex in (Sex.FEMALE, Sex.MALE) and coded_sex != person.sex:
        labels = dict(Sex.choices)
        message = _("The CNP gives the sex “%(coded)s”, but the sex entered is “%(entered)s”.") % {
            "coded": labels[coded_sex],
            "entered": labels[person.sex],
        }
        errors["national_id"] = f"{errors['national_id']} {message}" if "national_id" in errors else message
    if errors:
        raise ValidationError(errors)


def _clean_person(person: Person) -> None:
    refuse_bidi_controls(
        {"first_name": person.first_name, "last_name": person.last_name, "other_spellings": person.other_spellings}
    )
    if person.national_id and not person.identifier_kind:
        raise ValidationError({"identifier_kind": _("Choose the type of the national identifier.")})
    validate_identifier(kind=person.identifier_kind, value=person.national_id)
    if person.identifier_kind == IdentifierKind.CNP and person.national_id:
        _check_cnp_agrees(person)
    if person.birth_date and person.birth_date > datetime.date.today():
        raise ValidationError({"birth_date": _("The date of birth cannot be in the future.")})
    if person.area_id and person.area is not None and person.area.municipality_id != person.municipality_id:
        raise ValidationError({"area": _("Choose an area of your municipality.")})
    person.full_clean(exclude=["municipality", "registered_by_organisation", "merged_into", "area"])


def person_register(
    *,
    actor: Any,
    first_name: str,
    last_name: str,
    organisation: Any = None,
    is_synthetic: bool = False,
    purpose: str = "",
    duplicate_override: dict[str, Any] | None = None,
    **fields: Any,
) -> Person:
    """Register a person in the user's municipality, on behalf of the user's organisation.

    ``duplicate_override`` — registering despite a probable duplicate: ``{"reason": …, "candidates": [ids],
    "probability": …}``. The reason is required; it is audited with the candidates, in the same transaction.
    """
    if not can_register_person(actor):
        raise PermissionDenied
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person(
        municipality_id=actor.municipality_id,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        registered_by_organisation_id=_acting_organisation(actor, organisation),
        is_synthetic=is_synthetic,
        **fields,
    )
    person.national_id = (person.national_id or "").strip()
    _clean_person(person)
    if duplicate_override is not None and not str(duplicate_override.get("reason") or "").strip():
        raise ValidationError({"reason": _("Say why this is not the person already registered.")})
    with transaction.atomic():
        person.save()
        audit_record(
            action="person.create",
            actor=actor,
            obj=person,
            purpose=purpose,
            changes={"fields": sorted(k for k in fields if fields[k] not in ("", None))},
        )
        if duplicate_override is not None:
            audit_record(
                action="person.duplicate_override",
                actor=actor,
                obj=person,
                purpose=str(duplicate_override["reason"]).strip()[:200],
                changes={
                    "candidates": [str(c) for c in duplicate_override.get("candidates", [])],
                    "probability": duplicate_override.get("probability"),
                },
            )
    return person


def person_update(*, actor: Any, person: Person, purpose: str = "", **fields: Any) -> Person:
    policy.require(actor, "change", person)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    before = {k: getattr(person, k) for k in fields}
    for key, value in fields.items():
        setattr(person, key, value)
    person.national_id = (person.national_id or "").strip()
    _clean_person(person)
    with transaction.atomic():
        person.save()
        audit_record(
            action="person.update",
            actor=actor,
            obj=person,
            purpose=purpose,
            changes={"fields": changed_fields(before, {k: getattr(person, k) for k in fields})},
        )
    return person


def sensitive_update(*, actor: Any, person: Person, purpose: str = "", **fields: Any) -> SensitiveProfile:
    """Record special-category data; the audit names the fields changed, never their values."""
    policy.require(actor, "view_sensitive", person)
    policy.require(actor, "change", person)
    unknown = set(fields) - set(SENSITIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        profile, _created = SensitiveProfile.plain.get_or_create(
            person=person, defaults={"municipality_id": person.municipality_id}
        )
        before = {k: getattr(profile, k) for k in fields}
        for key, value in fields.items():
            setattr(profile, key, value)
        profile.full_clean(exclude=["municipality", "person"])
        profile.save()
        audit_record(
            action="person.sensitive_update",
            actor=actor,
            obj=person,
            purpose=purpose,
            changes={"fields": changed_fields(before, {k: getattr(profile, k) for k in fields})},
        )
    return profile


def identity_document_add(
    *,
    actor: Any,
    person: Person,
    kind: str,
    series_number: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> IdentityDocument:
    policy.require(actor, "change", person)
    doc = IdentityDocument(
        municipality_id=person.municipality_id,
        person=person,
        kind=kind,
        series_number=series_number.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
    )
    if issued_on and expires_on and expires_on < issued_on:
        raise ValidationError({"expires_on": _("The document cannot expire before it was issued.")})
    doc.full_clean(exclude=["municipality", "person"])
    with transaction.atomic():
        doc.save()
        if person.document_status != DocumentStatus.HAS_DOCUMENT:
            person.document_status = DocumentStatus.HAS_DOCUMENT
            person.save(update_fields=["document_status", "updated_at"])
        audit_record(action="person.document_add", actor=actor, obj=person, changes={"kind": kind})
    return doc


def consent_record(
    *,
    actor: Any,
    person: Person,
    purpose: str,
    given_on: datetime.date,
    scope: list[Any] | None = None,
    scan: Any = None,
    organisation: Any = None,
) -> Consent:
    """Record a consent given by the person; a scan of the signed form may be attached."""
    policy.require(actor, "change", person)
    if given_on > datetime.date.today():
        raise ValidationError({"given_on": _("The date cannot be in the future.")})
    if scan:
        try:
            validate_scan(scan)
        except ValidationError as exc:
            raise ValidationError({"scan": exc.messages}) from exc
    scope_ids = [getattr(o, "pk", o) for o in (scope or [])]
    from carenet.core.models import Organisation

    if scope_ids:
        orgs = Organisation.objects.for_tenant(person.municipality_id).filter(pk__in=scope_ids)
        found = set(orgs.values_list("pk", flat=True))
        if found != set(scope_ids):
            raise ValidationError({"scope": _("Choose providers of your municipality.")})
    consent = Consent(
        municipality_id=person.municipality_id,
        person=person,
        purpose=purpose,
        given_on=given_on,
        recorded_by=actor,
        recorded_for_id=_acting_organisation(actor, organisation),
    )
    if consent.recorded_for_id is None:
        raise PermissionDenied
    consent.full_clean(exclude=["municipality", "person", "recorded_by", "recorded_for", "scan", "scope"])
    with transaction.atomic():
        if scan:
            consent.scan_name = (getattr(scan, "name", "") or "")[:200]
            consent.scan = scan
        consent.save()
        consent.scope.set(scope_ids)
        audit_record(
            action="consent.record",
            actor=actor,
            obj=person,
            changes={"purpose": purpose, "scope": [str(s) for s in scope_ids], "scan": bool(scan)},
        )
    return consent


def consent_withdraw(*, actor: Any, consent: Consent, withdrawn_on: datetime.date) -> Consent:
    """Withdraw a consent (GDPR art. 7(3)); whatever relied on it stops in the same transaction.

    Higher layers react through ``hooks.register_consent_withdrawal_handler`` (referrals stop the
    sharing of the open referrals that relied on this consent).
    """
    policy.require(actor, "change", consent)
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("This consent was already withdrawn.")})
    if withdrawn_on < consent.given_on or withdrawn_on > datetime.date.today():
        raise ValidationError({"withdrawn_on": _("The withdrawal date must be between the date given and today.")})
    with transaction.atomic():
        # Compare-and-set: two people withdrawing the same consent at once cannot both run the handlers.
        updated = (
            Consent.objects.for_tenant(consent.municipality_id)
            .filter(pk=consent.pk, withdrawn_on__isnull=True)
            .update(withdrawn_on=withdrawn_on)
        )
        if not updated:
            raise ValidationError({"withdrawn_on": _("This consent was already withdrawn.")})
        consent.withdrawn_on = withdrawn_on
        audit_record(
            action="consent.withdraw",
            actor=actor,
            obj=consent.person,
            changes={"consent": str(consent.pk), "purpose": consent.purpose, "withdrawn_on": str(withdrawn_on)},
        )
        for handler in consent_withdrawal_handlers():
            handler(user=actor, consent=consent)
    return consent


def household_add_member(
    *, actor: Any, person: Person, role: str, household: Household | None = None, household_name: str = ""
) -> HouseholdMember:
    """Put a person in a household (a new one, named, or one of the user's visible households)."""
    policy.require(actor, "change", person)
    with transaction.atomic():
        if household is None:
            household = Household.objects.create(
                municipality_id=person.municipality_id,
                name=household_name.strip() or person.last_name,
                address=person.address,
                area=person.area,
                is_synthetic=person.is_synthetic,
            )
        elif household.municipality_id != person.municipality_id:
            raise PermissionDenied
        member = HouseholdMember(municipality_id=person.municipality_id, household=household, person=person, role=role)
        member.full_clean(exclude=["municipality", "household", "person"])
        if HouseholdMember.plain.filter(household=household, person=person).exists():
            raise ValidationError({"person": _("This person is already a member of the household.")})
        member.save()
        audit_record(action="household.add_member", actor=actor, obj=person, changes={"role": role})
    return member


def _move_own_records(*, survivor: Person, duplicate: Person) -> dict[str, int]:
    """The registry's own rows of the duplicate go to the survivor; what the survivor has wins."""
    tenant = survivor.municipality_id
    moved: dict[str, int] = {}

    def count(model: type[models.Model], n: int) -> None:
        if n:
            moved[model._meta.label_lower] = moved.get(model._meta.label_lower, 0) + n

    count(Consent, Consent.objects.for_tenant(tenant).filter(person=duplicate).update(person=survivor))
    count(
        IdentityDocument, IdentityDocument.objects.for_tenant(tenant).filter(person=duplicate).update(person=survivor)
    )
    members = HouseholdMember.objects.for_tenant(tenant)
    existing = set(members.filter(person=survivor).values_list("household_id", flat=True))
    members.filter(person=duplicate, household_id__in=existing).delete()
    count(HouseholdMember, members.filter(person=duplicate).update(person=survivor))
    # Special-category data: one row per person. The survivor's values stay; its gaps are filled
    # from the duplicate's (never lost silently); the duplicate's row then goes.
    profiles = SensitiveProfile.objects.for_tenant(tenant)
    theirs = profiles.filter(person=duplicate).first()
    if theirs is not None:
        ours = profiles.filter(person=survivor).first()
        if ours is None:
            count(SensitiveProfile, profiles.filter(person=duplicate).update(person=survivor))
        else:
            gaps = [f for f in SENSITIVE_FIELDS if not getattr(ours, f) and getattr(theirs, f)]
            for name in gaps:
                setattr(ours, name, getattr(theirs, name))
            if gaps:
                ours.save()
            profiles.filter(person=duplicate).delete()
            count(SensitiveProfile, 1)
    # "Not the same person" decisions follow the record; one about the two merged records is void.
    decisions = NotSamePerson.objects.for_tenant(tenant)
    decisions.filter(Q(person=duplicate, other=survivor) | Q(person=survivor, other=duplicate)).delete()
    known = set(decisions.filter(person=survivor).values_list("other_id", flat=True)) | set(
        decisions.filter(other=survivor).values_list("person_id", flat=True)
    )
    decisions.filter(Q(person=duplicate, other_id__in=known) | Q(other=duplicate, person_id__in=known)).delete()
    count(NotSamePerson, decisions.filter(person=duplicate).update(person=survivor))
    count(NotSamePerson, decisions.filter(other=duplicate).update(other=survivor))
    # Records merged earlier into the duplicate now resolve to the survivor directly.
    count(Person, Person.objects.for_tenant(tenant).filter(merged_into=duplicate).update(merged_into=survivor))
    return moved


def _rows_left_pointing_at(person: Person) -> list[str]:
    """Every model (hidden relations and many-to-many tables included) with a row still pointing at ``person``."""
    left = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        related = cast(type[models.Model], rel.related_model)
        field = cast(Any, rel).field
        if related._default_manager.filter(**{field.name: person}).exists():
            left.append(f"{related._meta.label_lower}.{field.name}")
    return left


def person_merge(*, actor: Any, survivor: Person, duplicate: Person, reason: str) -> Person:
    """Merge ``duplicate`` into ``survivor``: every record pointing at the duplicate moves over, atomically.

    The registry moves its own rows; the layers above (cases, deliveries, referrals…) move theirs
    through ``hooks.register_merge_handler``, so ``people`` imports none of them. Before committing,
    no row anywhere may still point at the duplicate (a model without a handler fails the merge
    rather than leaving it half done). The duplicate stays as a tombstone (``merged_into``) so old
    links and the audit trail still resolve.
    """
    policy.require(actor, "merge", survivor)
    policy.require(actor, "merge", duplicate)
    if survivor.pk == duplicate.pk:
        raise ValidationError({"duplicate": _("Choose two different records.")})
    if survivor.municipality_id != duplicate.municipality_id:
        raise PermissionDenied
    if duplicate.merged_into_id or survivor.merged_into_id:
        raise ValidationError({"duplicate": _("One of these records was already merged.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why these two records are the same person.")})
    with transaction.atomic():
        # Both rows locked and read again: a merge running at the same time waits, then sees the tombstone.
        locked = (
            Person.objects.for_tenant(survivor.municipality_id)
            .select_for_update()
            .filter(pk__in=[survivor.pk, duplicate.pk], merged_into__isnull=True)
            .order_by("pk")
        )
        if len(list(locked)) != 2:
            raise ValidationError({"duplicate": _("One of these records was already merged.")})
        moved = _move_own_records(survivor=survivor, duplicate=duplicate)
        for handler in merge_handlers():
            for label, count in (handler(user=actor, survivor=survivor, duplicate=duplicate) or {}).items():
                if count:
                    moved[label] = moved.get(label, 0) + count
        left = _rows_left_pointing_at(duplicate)
        if left:
            raise ImproperlyConfigured(
                f"person_merge: rows of {', '.join(left)} still point at the merged record; "
                "register a merge handler for them (carenet.people.hooks)."
            )
        # Fill the survivor's gaps from the duplicate (never overwrite what is there).
        filled = []
        for name in ("national_id", "identifier_kind", "birth_date", "address", "phone", "email", "area"):
            if not getattr(survivor, name) and getattr(duplicate, name):
                setattr(survivor, name, getattr(duplicate, name))
                filled.append(name)
        spellings = {s for s in (survivor.other_spellings, duplicate.full_name, duplicate.other_spellings) if s}
        spellings.discard(survivor.full_name)
        survivor.other_spellings = "; ".join(sorted(spellings))[:300]
        survivor.save()
        duplicate.merged_into = survivor
        duplicate.national_id = ""
        duplicate.identifier_kind = ""
        duplicate.save()
        audit_record(
            action="person.merge",
            actor=actor,
            obj=survivor,
            purpose=reason[:200],
            changes={"duplicate": str(duplicate.pk), "moved": moved, "filled": filled},
        )
        audit_record(
            action="person.merged_away",
            actor=actor,
            obj=duplicate,
            purpose=reason[:200],
            changes={"survivor": str(survivor.pk)},
        )
    return survivor


# --- reads: every response that shows persons' data is one audit event (issue 26, Medium 7) -----------

# An unusual volume: more persons read in this window than the user's caseload (never fewer than the floor,
# ``CARENET_READ_ALERT_FLOOR``, so that a caseworker with a new or empty caseload can still search).
READ_ALERT_WINDOW = datetime.timedelta(hours=1)
READ_ALERT_FLOOR_DEFAULT = 100
READ_ACTIONS = ("person.view", "person.list_view")


def _ids(values: Any) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values if v is not None))


def persons_read_record(*, actor: Any, person_ids: Any, what: str, purpose: str = "", municipality: Any = None) -> Any:
    """One audit event for a response that showed these persons (a list, a search, a register, a form).

    ``what`` names the page (``people.person.search``, ``cases.case.list`` …). Nothing is written for an empty
    response or an anonymous visitor. Then the user's read volume is checked (``read_volume_check``).

    The event and the tally of the hour's reads are one transaction (issue 23): the chain's lock
    (``audit.services.chain_locked``; on SQLite the database's single writer) is taken by the event's append and
    held to the commit, so the tally of this municipality's user is read and written by one request at a time
    without a lock of its own, in one write transaction instead of four. The check runs after the commit, from
    the tally as written, so that its rarer, longer reads (the caseload, the exact count) hold no lock.
    """
    ids = _ids(person_ids)
    if not ids or actor is None or not getattr(actor, "is_authenticated", False):
        return None
    municipality = municipality if municipality is not None else getattr(actor, "municipality_id", None)
    with transaction.atomic(savepoint=False):
        event = audit_record(
            action="person.list_view",
            actor=actor,
            municipality=municipality,
            object_type=what,
            purpose=purpose,
            changes={"subject_ids": ids, "count": len(ids)},
            savepoint=False,
        )
        tally = None
        if municipality is not None:
            tally = _read_volume_note(actor=actor, municipality=municipality, ids=ids)
    read_volume_check(actor=actor, municipality=municipality, tally=tally)
    return event


def caseload_size(*, user: Any) -> int:
    """How many persons the user's caseload holds (every registered source, ``people.hooks.register_caseload``)."""
    ids: set[Any] = set()
    for source in caseload_sources():
        ids.update(source(user=user))
    return len(ids)


# The read-volume tally (issue 23, decisions 0013 and 0028): the persons of the user's ``person.list_view`` events
# of the last hour, kept in the shared cache so that a page's check does not re-read every event of the hour. It
# is only a pre-check: it may count too many (a rolled-back read with Redis, a read up to ``_TALLY_SLACK`` older
# than the hour), never too few — a key lost, evicted, not yet covering the whole hour, or marked stale sends the
# check to the exact count from the audit log, which stays the authority for the alert. It is read and written
# only under its chain's lock: in the transaction of a read's audit event (``persons_read_record``), or in
# ``chain_locked`` (the exact count's reseeding).
# Past this many persons (or four times the floor) the tally keeps no ids, only "over" (it cannot say, the alert
# query and the exact count do): an hour of a coordinator's walk must not make every page carry a huge value.
_TALLY_CAP = 2000
# A person already in the tally, read again within this many seconds, is not written again: the tally counts
# every person read since the hour's start minus this slack (a little too many, never too few), so a page of the
# same persons read again costs one cache read and no write.
_TALLY_SLACK = 300.0
_NO_TALLY: dict[str, Any] = {}


def _tally_cap() -> int:
    from django.conf import settings

    return max(_TALLY_CAP, 4 * int(getattr(settings, "CARENET_READ_ALERT_FLOOR", READ_ALERT_FLOOR_DEFAULT)))


def _tally_keys(*, actor: Any, municipality: Any) -> tuple[str, str]:
    base = f"people:read-tally:{getattr(municipality, 'pk', municipality)}:{actor.pk}"
    # ``:stale``: written by the versions that kept a lock of their own when a read could not take it; honoured
    # until it expires with the hour (a rolling deploy).
    return base, f"{base}:stale"


def _tally_read(*, actor: Any, municipality: Any) -> dict[str, Any]:
    """The tally as stored (``{"from", "ids"}``, or ``{"from", "over"}``), or ``_NO_TALLY`` when it cannot say."""
    from django.core.cache import cache

    key, stale_key = _tally_keys(actor=actor, municipality=municipality)
    got = cache.get_many([key, stale_key])
    entry = got.get(key)
    if stale_key in got or not isinstance(entry, dict):
        return _NO_TALLY
    return entry


def _tally_merge(
    *, actor: Any, municipality: Any, ids: dict[str, float], covers_from: float | None, entry: dict[str, Any]
) -> dict[str, Any]:
    """Add ``ids`` (person id → when read, epoch seconds) to the tally ``entry`` (as ``_tally_read`` gave it) and
    store it; ``covers_from``: every list read since then is in ``ids`` or already in the tally (the exact count's
    seed), else ``None``. Returns the tally now stored (``_NO_TALLY`` if it cannot say). Called under the chain's
    lock only (``persons_read_record``, ``chain_locked``)."""
    from django.core.cache import cache
    from django.utils import timezone

    key, _stale_key = _tally_keys(actor=actor, municipality=municipality)
    window = READ_ALERT_WINDOW.total_seconds()
    now = timezone.now().timestamp()
    if entry is _NO_TALLY:
        entry = cast(dict[str, Any], cache.get(key))  # stale or missing: an "over" must still stand
    if isinstance(entry, dict) and entry.get("over"):
        return _NO_TALLY  # it expires with the window; the exact count decides meanwhile
    try:
        start, seen = float(entry["from"]), {str(k): float(v) for k, v in entry["ids"].items()}
    except (TypeError, KeyError, ValueError, AttributeError):
        start, seen = now, {}  # no tally (first read, flushed, evicted): it covers only from now on
    if covers_from is None and seen and all(seen.get(pid, -1.0) >= at - _TALLY_SLACK for pid, at in ids.items()):
        return entry if entry is not None else _NO_TALLY  # all of them already there, read within the slack
    seen = {pid: at for pid, at in seen.items() if at >= now - window - _TALLY_SLACK}
    for pid, at in ids.items():
        seen[pid] = max(at, seen.get(pid, at))
    if covers_from is not None:
        start = min(start, covers_from)
    if len(seen) > _tally_cap():
        cache.set(key, {"from": start, "over": True, "ids": {}}, timeout=int(window))
        return _NO_TALLY
    stored = {"from": start, "ids": seen}
    cache.set(key, stored, timeout=int(window + _TALLY_SLACK) + 600)
    return stored


def _read_volume_note(*, actor: Any, municipality: Any, ids: list[str]) -> dict[str, Any]:
    """Add a list read's persons to the user's tally (after its audit event, in its transaction); returns the tally
    (``_NO_TALLY`` when it cannot say: stale, over the cap)."""
    from django.utils import timezone

    now = timezone.now().timestamp()
    entry = _tally_read(actor=actor, municipality=municipality)
    merged = _tally_merge(
        actor=actor, municipality=municipality, ids=dict.fromkeys(ids, now), covers_from=None, entry=entry
    )
    return _NO_TALLY if entry is _NO_TALLY else merged


def _tally_count(
    *, actor: Any, municipality: Any, since: datetime.datetime, tally: dict[str, Any] | None
) -> int | None:
    """The distinct persons read since ``since`` by the tally (list reads) and the audit log's ``person.view``
    events (one query, as many rows as persons opened one by one); ``None`` when the tally cannot say."""
    from carenet.audit.models import AuditEvent

    entry = tally if tally is not None else _tally_read(actor=actor, municipality=municipality)
    if entry is _NO_TALLY or entry.get("over"):
        return None
    try:
        start = float(entry["from"])
        counted_from = since.timestamp() - _TALLY_SLACK
        listed = {str(pid) for pid, at in entry["ids"].items() if float(at) >= counted_from}
    except (TypeError, KeyError, ValueError, AttributeError):
        return None
    if start > since.timestamp():
        return None  # the tally began within the hour: it may lack the reads before it
    viewed = (
        AuditEvent.objects.for_tenant(municipality)
        .filter(actor=actor, created_at__gte=since, action="person.view")
        .order_by()
        .values_list("object_id", flat=True)
        .distinct()
    )
    return len(listed.union(viewed))


def _persons_read_since(
    *, actor: Any, municipality: Any, since: datetime.datetime
) -> tuple[set[str], dict[str, float]]:
    from carenet.audit.models import AuditEvent

    seen: set[str] = set()
    listed: dict[str, float] = {}
    events = AuditEvent.objects.for_tenant(municipality).filter(
        actor=actor, created_at__gte=since, action__in=READ_ACTIONS
    )
    for action, object_id, changes, at in events.values_list("action", "object_id", "changes", "created_at"):
        if action == "person.view":
            seen.add(object_id)
        else:
            ids = [str(pid) for pid in (changes or {}).get("subject_ids", [])]
            seen.update(ids)
            when = at.timestamp()
            for pid in ids:
                listed[pid] = max(when, listed.get(pid, when))
    return seen, listed


def persons_read_since(*, actor: Any, municipality: Any, since: datetime.datetime) -> set[str]:
    """The distinct persons the user's audited reads showed since ``since`` (exact: every event of the span)."""
    return _persons_read_since(actor=actor, municipality=municipality, since=since)[0]


def read_volume_check(*, actor: Any, municipality: Any, tally: dict[str, Any] | None = None) -> bool:
    """Alert the municipality's coordinators and auditors once an hour when the user read more persons than their
    caseload: an audit event ``person.read_volume_alert`` and an e-mail to each. Returns whether it alerted.

    Its cost does not grow with the pages read (issue 23): the cached tally (``_tally_count``) answers "below the
    floor" or "within the caseload"; an alert already raised in the hour ends it in one indexed query; only a
    tally above the threshold, or none, reads the hour's events for the exact count that decides. ``tally``: the
    tally as the caller just stored it (``persons_read_record``), not read again.
    """
    from django.conf import settings
    from django.utils import timezone

    from carenet.audit.models import AuditEvent

    if municipality is None:
        return False
    since = timezone.now() - READ_ALERT_WINDOW
    floor = int(getattr(settings, "CARENET_READ_ALERT_FLOOR", READ_ALERT_FLOOR_DEFAULT))
    approx = _tally_count(actor=actor, municipality=municipality, since=since, tally=tally)
    if approx is not None and approx <= floor:  # below the floor, the caseload need not even be counted
        return False
    seen: set[str] | None = None
    if approx is None:  # no tally for the whole hour: the exact count, which also seeds the tally for next pages
        seen, listed = _persons_read_since(actor=actor, municipality=municipality, since=since)
        with chain_locked(municipality):  # the tally changes one request at a time (``persons_read_record``)
            _tally_merge(
                actor=actor,
                municipality=municipality,
                ids=listed,
                covers_from=since.timestamp(),
                entry=_tally_read(actor=actor, municipality=municipality),
            )
        if len(seen) <= floor:  # a first page of the hour costs the one query it cost before the tally
            return False
    # One alert per user per hour; ``object_type`` + ``object_id`` is the audit table's ``audit_object`` index.
    already = AuditEvent.objects.for_tenant(municipality).filter(
        action="person.read_volume_alert",
        object_type="accounts.user",
        object_id=str(actor.pk),
        created_at__gte=since,
    )
    if already.exists():
        return False
    caseload: int | None = None
    if seen is None:
        caseload = caseload_size(user=actor)
        if (approx or 0) <= max(caseload, floor):
            return False
        seen, _listed = _persons_read_since(actor=actor, municipality=municipality, since=since)
        if len(seen) <= floor:
            return False
    if caseload is None:
        caseload = caseload_size(user=actor)
    threshold = max(caseload, floor)
    if len(seen) <= threshold:
        return False
    audit_record(
        action="person.read_volume_alert",
        actor=actor,
        municipality=municipality,
        object_type="accounts.user",
        object_id=actor.pk,
        object_label=actor.get_username(),
        changes={"persons_read": len(seen), "caseload": caseload, "threshold": threshold, "window_minutes": 60},
    )
    _mail_read_volume_alert(actor=actor, municipality=municipality, persons_read=len(seen), caseload=caseload)
    return True


def _mail_read_volume_alert(*, actor: Any, municipality: Any, persons_read: int, caseload: int) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    from carenet.accounts.models import Membership
    from carenet.core.roles import Role

    recipients = {
        m.user
        for m in Membership.objects.for_tenant(municipality)
        .filter(role__in=(Role.COORDINATOR, Role.AUDITOR), is_active=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    }
    mails = []
    for user in recipients:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("CareNet: unusual volume of reads of persons' records")
            body = _(
                "%(user)s opened the records of %(count)s persons in the last hour, more than their caseload "
                "(%(caseload)s). The audit log lists every read (action “person.list_view” and “person.view”)."
            ) % {"user": actor.get_username(), "count": persons_read, "caseload": caseload}
        mails.append((str(subject), str(body), user.email))

    def send() -> None:
        for subject, body, address in mails:
            send_mail(subject, body, None, [address], fail_silently=True)

    transaction.on_commit(send)


# ---------------------------------------------------------------- record linkage (issue 14, decision 0018)
DEDUPLICATE_JOB_KIND = "people.deduplicate"
CLUSTER_LIMIT = 2000


def linkage_settings_set(
    *,
    actor: Any,
    probable_threshold: float,
    possible_threshold: float,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
) -> LinkageSettings:
    """The municipality's duplicate-warning thresholds from a date (coordinators)."""
    if not can_deduplicate(actor):
        raise PermissionDenied
    if not 0 < possible_threshold <= probable_threshold < 1:
        raise ValidationError(
            {"possible_threshold": _("Choose thresholds between 0 and 1, the possible one not above the probable one.")}
        )
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})
    row = LinkageSettings(
        municipality_id=actor.municipality_id,
        probable_threshold=probable_threshold,
        possible_threshold=possible_threshold,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    with transaction.atomic():
        LinkageSettings.objects.for_tenant(actor.municipality_id).filter(valid_from=valid_from).delete()
        row.save()
        audit_record(
            action="linkage.settings",
            actor=actor,
            obj=row,
            changes={"probable": probable_threshold, "possible": possible_threshold, "from": str(valid_from)},
        )
    return row


def not_same_person_record(*, actor: Any, person: Person, other: Person, reason: str = "") -> NotSamePerson:
    """Remember that two records are two persons: batch de-duplication never proposes the pair again."""
    policy.require(actor, "merge", person)
    policy.require(actor, "merge", other)
    if person.pk == other.pk or person.municipality_id != other.municipality_id:
        raise ValidationError({"other": _("Choose two different records.")})
    with transaction.atomic():
        existing = (
            NotSamePerson.objects.for_tenant(person.municipality_id)
            .filter(Q(person=person, other=other) | Q(person=other, other=person))
            .first()
        )
        if existing is not None:
            return existing
        decision = NotSamePerson.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            other=other,
            decided_by=actor,
            reason=reason.strip()[:300],
        )
        for one, two in ((person, other), (other, person)):
            audit_record(
                action="person.not_same",
                actor=actor,
                obj=one,
                purpose=reason.strip()[:200],
                changes={"other": str(two.pk)},
            )
    return decision


def deduplicate_job_start(*, actor: Any) -> Any:
    """Queue the batch de-duplication of the municipality's registry (a background job with progress)."""
    from carenet.core.models import BackgroundJob

    if not can_deduplicate(actor):
        raise PermissionDenied
    from .tasks import deduplicate_registry

    with transaction.atomic():
        job = BackgroundJob.objects.create(
            municipality_id=actor.municipality_id,
            kind=DEDUPLICATE_JOB_KIND,
            title=_("Duplicate records in the registry"),
            created_by=actor,
            params={},
        )
        audit_record(action="linkage.deduplicate_start", actor=actor, obj=job, changes={})
        transaction.on_commit(lambda: deduplicate_registry.enqueue(str(job.pk)))
    return job


def registry_deduplicate(*, municipality_id: Any, progress: Any = None, trained_by: Any = None) -> dict[str, Any]:
    """Link the whole registry of one municipality: train its matcher on its own records, store it, cluster.

    Returns the job's result: clusters (person ids, the linked pairs with probability and levels) ordered by
    probability, the pairs a coordinator said are two persons left out. Only this municipality's rows are
    read; the trained model is stored for it alone.
    """
    from .linkage.columns import deduplicate
    from .linkage.model import clusters, prepare
    from .selectors import linkage_thresholds

    def report(value: int) -> None:
        if progress is not None:
            progress(value)

    rows = list(
        Person.objects.for_tenant(municipality_id)
        .filter(merged_into__isnull=True)
        .order_by()
        .values_list(
            "pk",
            "first_name",
            "last_name",
            "other_spellings",
            "sex",
            "birth_date",
            "national_id",
            "identifier_kind",
            "address",
        )
    )
    records = [
        prepare(
            pk,
            first_name=first,
            last_name=last,
            other_spellings=other,
            sex=sex,
            birth_date=born,
            national_id=nid,
            identifier_kind=kind,
            address=address,
        )
        for pk, first, last, other, sex, born, nid, kind, address in rows
    ]
    report(20)
    possible, _probable = linkage_thresholds(municipality_id=municipality_id)
    model, linked_pairs, candidates = deduplicate(records, threshold=possible)
    LinkageModel.objects.create(
        municipality_id=municipality_id, parameters=model.to_json(), records=len(records), trained_by=trained_by
    )
    report(60)
    decided = NotSamePerson.objects.for_tenant(municipality_id).values_list("person_id", "other_id")
    refused = {frozenset((str(a), str(b))) for a, b in decided}
    linked: dict[tuple[int, int], Any] = {}
    for i, j, scored in linked_pairs:
        if scored.probability >= possible and frozenset((str(records[i].key), str(records[j].key))) not in refused:
            linked[(i, j)] = scored
    report(90)
    out = []
    # Each pair goes to its cluster in one pass (a scan of every pair per cluster took minutes at 200,000).
    groups = clusters(linked)
    cluster_of = {i: n for n, group in enumerate(groups) for i in group}
    pairs_of: dict[int, list[list[Any]]] = {n: [] for n in range(len(groups))}
    for (i, j), s in linked.items():
        pairs_of[cluster_of[i]].append(
            [str(records[i].key), str(records[j].key), round(s.probability, 4), list(s.levels), s.swapped, s.rivals]
        )
    for n, group in enumerate(groups):
        group_pairs = pairs_of[n]
        group_pairs.sort(key=lambda p: -p[2])
        out.append(
            {
                "persons": [str(records[i].key) for i in group],
                "probability": group_pairs[0][2],
                "pairs": group_pairs[:50],
            }
        )
    out.sort(key=lambda c: -c["probability"])
    return {"records": len(records), "candidate_pairs": candidates, "clusters": out[:CLUSTER_LIMIT]}

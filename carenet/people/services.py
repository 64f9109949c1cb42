"""Every write to the registry: validated, in one transaction, with its audit event."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record, changed_fields
from carenet.core.identifiers import validate_cnp, validate_idnp
from carenet.core.policy import actor_of, policy

from .hooks import consent_withdrawal_handlers, merge_handlers
from .models import (
    Consent,
    DocumentStatus,
    Household,
    HouseholdMember,
    IdentifierKind,
    IdentityDocument,
    Person,
    SensitiveProfile,
)
from .permissions import PROVIDER_ROLES, can_register_person
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


def _acting_organisation(user: Any, organisation: Any = None) -> Any:
    actor = actor_of(user)
    if organisation is not None:
        org_id = getattr(organisation, "pk", organisation)
        if not (actor.is_coordinator or actor.is_platform_admin or org_id in actor.organisation_ids()):
            raise PermissionDenied
        return org_id
    own = sorted(actor.organisation_ids(*PROVIDER_ROLES), key=str) or sorted(actor.organisation_ids(), key=str)
    return own[0] if own else None


def _clean_person(person: Person) -> None:
    if person.national_id and not person.identifier_kind:
        raise ValidationError({"identifier_kind": _("Choose the type of the national identifier.")})
    validate_identifier(kind=person.identifier_kind, value=person.national_id)
    if person.birth_date and person.birth_date > datetime.date.today():
        raise ValidationError({"birth_date": _("The date of birth cannot be in the future.")})
    if person.area_id and person.area is not None and person.area.municipality_id != person.municipality_id:
        raise ValidationError({"area": _("Choose an area of your municipality.")})
    person.full_clean(exclude=["municipality", "registered_by_organisation", "merged_into", "area"])


def person_register(
    *,
    user: Any,
    first_name: str,
    last_name: str,
    organisation: Any = None,
    is_synthetic: bool = False,
    purpose: str = "",
    **fields: Any,
) -> Person:
    """Register a person in the user's municipality, on behalf of the user's organisation."""
    if not can_register_person(user):
        raise PermissionDenied
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person(
        municipality_id=user.municipality_id,
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        registered_by_organisation_id=_acting_organisation(user, organisation),
        is_synthetic=is_synthetic,
        **fields,
    )
    person.national_id = (person.national_id or "").strip()
    _clean_person(person)
    with transaction.atomic():
        person.save()
        audit_record(
            action="person.create",
            actor=user,
            obj=person,
            purpose=purpose,
            changes={"fields": sorted(k for k in fields if fields[k] not in ("", None))},
        )
    return person


def person_update(*, user: Any, person: Person, purpose: str = "", **fields: Any) -> Person:
    policy.require(user, "change", person)
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
            actor=user,
            obj=person,
            purpose=purpose,
            changes={"fields": changed_fields(before, {k: getattr(person, k) for k in fields})},
        )
    return person


def sensitive_update(*, user: Any, person: Person, purpose: str = "", **fields: Any) -> SensitiveProfile:
    """Record special-category data; the audit names the fields changed, never their values."""
    policy.require(user, "view_sensitive", person)
    policy.require(user, "change", person)
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
            actor=user,
            obj=person,
            purpose=purpose,
            changes={"fields": changed_fields(before, {k: getattr(profile, k) for k in fields})},
        )
    return profile


def identity_document_add(
    *,
    user: Any,
    person: Person,
    kind: str,
    series_number: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> IdentityDocument:
    policy.require(user, "change", person)
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
        audit_record(action="person.document_add", actor=user, obj=person, changes={"kind": kind})
    return doc


def consent_record(
    *,
    user: Any,
    person: Person,
    purpose: str,
    given_on: datetime.date,
    scope: list[Any] | None = None,
    scan: Any = None,
    organisation: Any = None,
) -> Consent:
    """Record a consent given by the person; a scan of the signed form may be attached."""
    policy.require(user, "change", person)
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
        recorded_by=user,
        recorded_for_id=_acting_organisation(user, organisation),
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
            actor=user,
            obj=person,
            changes={"purpose": purpose, "scope": [str(s) for s in scope_ids], "scan": bool(scan)},
        )
    return consent


def consent_withdraw(*, user: Any, consent: Consent, withdrawn_on: datetime.date) -> Consent:
    """Withdraw a consent (GDPR art. 7(3)); whatever relied on it stops in the same transaction.

    Higher layers react through ``hooks.register_consent_withdrawal_handler`` (referrals stop the
    sharing of the open referrals that relied on this consent).
    """
    policy.require(user, "change", consent)
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
            actor=user,
            obj=consent.person,
            changes={"consent": str(consent.pk), "purpose": consent.purpose, "withdrawn_on": str(withdrawn_on)},
        )
        for handler in consent_withdrawal_handlers():
            handler(user=user, consent=consent)
    return consent


def household_add_member(
    *, user: Any, person: Person, role: str, household: Household | None = None, household_name: str = ""
) -> HouseholdMember:
    """Put a person in a household (a new one, named, or one of the user's visible households)."""
    policy.require(user, "change", person)
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
        audit_record(action="household.add_member", actor=user, obj=person, changes={"role": role})
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


def person_merge(*, user: Any, survivor: Person, duplicate: Person, reason: str) -> Person:
    """Merge ``duplicate`` into ``survivor``: every record pointing at the duplicate moves over, atomically.

    The registry moves its own rows; the layers above (cases, deliveries, referrals…) move theirs
    through ``hooks.register_merge_handler``, so ``people`` imports none of them. Before committing,
    no row anywhere may still point at the duplicate (a model without a handler fails the merge
    rather than leaving it half done). The duplicate stays as a tombstone (``merged_into``) so old
    links and the audit trail still resolve.
    """
    policy.require(user, "merge", survivor)
    policy.require(user, "merge", duplicate)
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
            for label, count in (handler(user=user, survivor=survivor, duplicate=duplicate) or {}).items():
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
            actor=user,
            obj=survivor,
            purpose=reason[:200],
            changes={"duplicate": str(duplicate.pk), "moved": moved, "filled": filled},
        )
        audit_record(
            action="person.merged_away",
            actor=user,
            obj=duplicate,
            purpose=reason[:200],
            changes={"survivor": str(survivor.pk)},
        )
    return survivor

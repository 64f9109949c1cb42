"""Every write of the campaigns, each with its audit event in the same transaction."""

from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.accounts.models import Membership
from carenet.audit.services import audit_record
from carenet.core.policy import actor_of, policy
from carenet.geo.geometry import validate_feature_collection
from carenet.people.models import Person

from . import selectors
from .models import (
    THERMAL_LEVELS,
    AlertCode,
    CallList,
    Campaign,
    CampaignKind,
    CampaignSettings,
    CampaignStatus,
    Centre,
    CentreKind,
    CentreVisit,
    CheckIn,
    CheckInMode,
    CheckInOutcome,
    Contact,
    ContactStatus,
    EntrySource,
    HeatLayer,
    HeatZone,
    KitGiven,
    KitKind,
    LegalGround,
    RegisterEntry,
    RiskRule,
)
from .permissions import CALLER_ROLES, can_manage_campaigns
from .rules import should_escalate, split_into_lists


def _require_manager(actor: Any, municipality: Any) -> None:
    a = actor_of(actor)
    if not can_manage_campaigns(actor) or (
        not a.is_platform_admin and a.municipality_id != getattr(municipality, "pk", municipality)
    ):
        raise PermissionDenied


def _tenant(municipality: Any) -> Any:
    return getattr(municipality, "pk", municipality)


# --- the tenant's values ---------------------------------------------------------------------------------


@transaction.atomic
def campaign_settings_save(
    *,
    actor: Any,
    municipality: Any,
    valid_from: datetime.date,
    max_tries: int,
    within_hours: int,
    contact_target_hours: int = 24,
    list_size: int = 25,
    critical_index: Decimal = Decimal("0.25"),
    hotspot_intensity: Decimal = Decimal("0.6"),
    valid_to: datetime.date | None = None,
    check_actor: bool = True,
) -> CampaignSettings:
    if check_actor:
        _require_manager(actor, municipality)
    errors = {}
    if max_tries < 1:
        errors["max_tries"] = _("At least one try.")
    if within_hours < 1:
        errors["within_hours"] = _("At least one hour.")
    if list_size < 1:
        errors["list_size"] = _("At least one person per list.")
    if not Decimal(0) <= Decimal(critical_index) <= Decimal(1):
        errors["critical_index"] = _("A value from 0 to 1.")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("The period ends before it starts.")
    if errors:
        raise ValidationError(errors)
    row, _created = CampaignSettings.objects.for_tenant(municipality).update_or_create(
        valid_from=valid_from,
        defaults={
            "municipality_id": _tenant(municipality),
            "max_tries": max_tries,
            "within_hours": within_hours,
            "contact_target_hours": contact_target_hours,
            "list_size": list_size,
            "critical_index": critical_index,
            "hotspot_intensity": hotspot_intensity,
            "valid_to": valid_to,
        },
    )
    audit_record(
        action="campaign.settings.save",
        actor=actor,
        obj=row,
        changes={"max_tries": max_tries, "within_hours": within_hours, "valid_from": str(valid_from)},
    )
    return row


RULE_GROUNDS = (LegalGround.PUBLIC_TASK, LegalGround.VITAL_INTEREST)


@transaction.atomic
def risk_rule_save(
    *,
    actor: Any,
    municipality: Any,
    code: str,
    name: str,
    legal_ground: str,
    valid_from: datetime.date,
    legal_basis: str = "",
    valid_to: datetime.date | None = None,
    min_age: int | None = None,
    living_alone: bool = False,
    disability: bool = False,
    chronic_illness: bool = False,
    income_below: Decimal | None = None,
    no_phone: bool = False,
    hotspot: bool = False,
    thermal_risk_from: int | None = None,
    check_actor: bool = True,
) -> RiskRule:
    """Add or change one rule of the register (its code is its stable key)."""
    if check_actor:
        _require_manager(actor, municipality)
    errors: dict[str, str] = {}
    if not code.strip():
        errors["code"] = _("Give the rule a code.")
    if not name.strip():
        errors["name"] = _("Name the rule.")
    if legal_ground not in RULE_GROUNDS:
        # Consent is asked of one person at a time: it is the ground of a hand-made entry, never of a rule.
        errors["legal_ground"] = _("A rule rests on the law (public task) or on a vital interest.")
    elif legal_ground == LegalGround.PUBLIC_TASK and not legal_basis.strip():
        errors["legal_basis"] = _("Name the law that gives the public task.")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("The period ends before it starts.")
    if min_age is not None and not 0 <= min_age <= 120:
        errors["min_age"] = _("An age from 0 to 120.")
    if income_below is not None and income_below <= 0:
        errors["income_below"] = _("An amount above zero.")
    if thermal_risk_from is not None and thermal_risk_from not in {level for level, _label in THERMAL_LEVELS}:
        errors["thermal_risk_from"] = _("Choose low, medium or high risk.")
    if not any(
        [
            min_age is not None,
            living_alone,
            disability,
            chronic_illness,
            income_below is not None,
            no_phone,
            hotspot,
            thermal_risk_from is not None,
        ]
    ):
        errors["min_age"] = _("Set at least one condition.")
    if errors:
        raise ValidationError(errors)
    rule, created = RiskRule.objects.for_tenant(municipality).update_or_create(
        code=code.strip(),
        defaults={
            "municipality_id": _tenant(municipality),
            "name": name.strip(),
            "legal_ground": legal_ground,
            "legal_basis": legal_basis.strip(),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "min_age": min_age,
            "living_alone": living_alone,
            "disability": disability,
            "chronic_illness": chronic_illness,
            "income_below": income_below,
            "no_phone": no_phone,
            "hotspot": hotspot,
            "thermal_risk_from": thermal_risk_from,
        },
    )
    audit_record(action="campaign.rule.save", actor=actor, obj=rule, changes={"code": rule.code, "created": created})
    return rule


# --- the register ----------------------------------------------------------------------------------------


@dataclass
class RebuildResult:
    added: int
    kept: int
    removed: int


@transaction.atomic
def register_rebuild(
    *,
    actor: Any,
    municipality: Any,
    on: datetime.date | None = None,
    is_synthetic: bool = False,
    check_actor: bool = True,
) -> RebuildResult:
    """The register as the rules in force find it on ``on``: persons found are added (with the codes of the
    rules that matched and the ground of the first), entries found no more are closed (``removed_on``),
    entries added by hand stay."""
    if check_actor:
        _require_manager(actor, municipality)
    on = on or timezone.localdate()
    found = selectors.register_candidates(municipality=municipality, on=on)
    existing = {e.person_id: e for e in RegisterEntry.objects.for_tenant(municipality)}
    new, changed = [], []
    removed = kept = 0
    user = actor if getattr(actor, "is_authenticated", False) else None
    for person_id, rules in found.items():
        rules = sorted(rules, key=lambda r: (r.legal_ground != LegalGround.PUBLIC_TASK, r.code))
        reasons = [r.code for r in rules]
        entry = existing.get(person_id)
        if entry is None:
            new.append(
                RegisterEntry(
                    municipality_id=_tenant(municipality),
                    person_id=person_id,
                    source=EntrySource.RULE,
                    reasons=reasons,
                    legal_ground=rules[0].legal_ground,
                    legal_basis=rules[0].legal_basis,
                    added_on=on,
                    added_by=user,
                    is_synthetic=is_synthetic,
                )
            )
            continue
        if entry.reasons != reasons or entry.removed_on is not None:
            entry.reasons = reasons
            if entry.source == EntrySource.RULE:
                entry.removed_on = None
                entry.legal_ground, entry.legal_basis = rules[0].legal_ground, rules[0].legal_basis
            changed.append(entry)
        kept += 1
    for person_id, entry in existing.items():
        if person_id not in found and entry.source == EntrySource.RULE and entry.removed_on is None:
            entry.removed_on = on
            entry.reasons = []
            changed.append(entry)
            removed += 1
    RegisterEntry.objects.bulk_create(new, batch_size=1000)
    RegisterEntry.plain.bulk_update(changed, ["reasons", "removed_on", "legal_ground", "legal_basis"], batch_size=1000)
    audit_record(
        action="campaign.register.rebuild",
        actor=user,
        municipality=_tenant(municipality),
        object_type="campaigns.registerentry",
        changes={"added": len(new), "kept": kept, "removed": removed, "on": str(on)},
    )
    return RebuildResult(len(new), kept, removed)


@transaction.atomic
def register_add(
    *,
    actor: Any,
    municipality: Any,
    person_id: Any,
    legal_ground: str,
    consent_on: datetime.date | None = None,
    legal_basis: str = "",
    note: str = "",
) -> RegisterEntry:
    """A person added by hand (a neighbour's call, the person's own request), on consent or another ground."""
    _require_manager(actor, municipality)
    errors: dict[str, str] = {}
    try:
        person = Person.objects.for_tenant(municipality).get(pk=person_id, merged_into__isnull=True)
    except (Person.DoesNotExist, ValueError, TypeError, ValidationError):
        raise ValidationError({"person": _("Choose a person of the registry.")}) from None
    if legal_ground not in LegalGround.values:
        errors["legal_ground"] = _("Choose the legal ground.")
    elif legal_ground == LegalGround.CONSENT and consent_on is None:
        errors["consent_on"] = _("Give the date the person consented.")
    elif legal_ground == LegalGround.PUBLIC_TASK and not legal_basis.strip():
        errors["legal_basis"] = _("Name the law that gives the public task.")
    if consent_on is not None and consent_on > timezone.localdate():
        errors["consent_on"] = _("The date is in the future.")
    if errors:
        raise ValidationError(errors)
    entry = RegisterEntry.objects.for_tenant(municipality).filter(person=person).first()
    if entry is not None and entry.removed_on is None:
        raise ValidationError({"person": _("The person is on the register already.")})
    if entry is None:
        entry = RegisterEntry(municipality_id=person.municipality_id, person=person)
    entry.source = EntrySource.MANUAL
    entry.reasons = entry.reasons if entry.removed_on is None else []
    entry.legal_ground = legal_ground
    entry.legal_basis = legal_basis.strip()
    entry.consent_on = consent_on
    entry.note = note.strip()[:300]
    entry.added_on = timezone.localdate()
    entry.removed_on = None
    entry.added_by = actor
    entry.save()
    audit_record(
        action="campaign.register.add",
        actor=actor,
        obj=entry,
        changes={"person": str(person.pk), "legal_ground": legal_ground},
    )
    return entry


@transaction.atomic
def register_remove(*, actor: Any, entry: RegisterEntry, on: datetime.date | None = None) -> RegisterEntry:
    if not policy.can(actor, "change", entry):
        raise PermissionDenied
    entry.removed_on = on or timezone.localdate()
    entry.save(update_fields=["removed_on"])
    audit_record(action="campaign.register.remove", actor=actor, obj=entry, changes={"person": str(entry.person_id)})
    return entry


# --- heat layers -----------------------------------------------------------------------------------------


def _intensity(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if Decimal(0) <= number <= Decimal(1) else None


@transaction.atomic
def heat_layer_import(
    *,
    actor: Any,
    municipality: Any,
    name: str,
    content: bytes | str | dict[str, Any],
    source_note: str = "",
    observed_on: datetime.date | None = None,
    is_approximate: bool = False,
    check_actor: bool = True,
) -> HeatLayer:
    """A GeoJSON FeatureCollection of heat-island polygons, each with a ``name`` and an ``intensity`` from 0
    to 1 (a relative land-surface temperature). All or nothing: any bad feature refuses the whole file, each
    error naming the feature and the field. The new layer replaces the one in use."""
    if check_actor:
        _require_manager(actor, municipality)
    if not name.strip():
        raise ValidationError({"name": _("Name the layer.")})
    if isinstance(content, dict):
        data: Any = content
    else:
        try:
            data = json.loads(content)
        except (ValueError, UnicodeDecodeError):
            raise ValidationError({"file": _("The file is not GeoJSON (JSON could not be read).")}) from None
    problems = [str(e) for e in validate_feature_collection(data)]
    if not problems:
        for i, feature in enumerate(data["features"]):
            if _intensity((feature.get("properties") or {}).get("intensity")) is None:
                problems.append(_("Feature %(index)s, intensity: a number from 0 to 1 is needed.") % {"index": i + 1})
    if problems:
        raise ValidationError({"file": problems})
    HeatLayer.objects.for_tenant(municipality).filter(is_active=True).update(is_active=False)
    user = actor if getattr(actor, "is_authenticated", False) else None
    layer = HeatLayer.objects.create(
        municipality_id=_tenant(municipality),
        name=name.strip()[:200],
        source_note=source_note.strip()[:300],
        observed_on=observed_on,
        is_approximate=is_approximate,
        imported_by=user,
    )
    HeatZone.objects.bulk_create(
        [
            HeatZone(
                municipality_id=_tenant(municipality),
                layer=layer,
                name=str(f["properties"]["name"]).strip()[:200],
                intensity=_intensity(f["properties"]["intensity"]),
                geometry=f["geometry"],
            )
            for f in data["features"]
        ]
    )
    audit_record(
        action="campaign.heat_layer.import",
        actor=user,
        obj=layer,
        changes={"zones": len(data["features"]), "approximate": is_approximate},
    )
    return layer


# --- campaigns -------------------------------------------------------------------------------------------


def callers(*, municipality: Any) -> list[Any]:
    """Users of the municipality who may be given a call list (caseworkers, managers, volunteers)."""
    users = {}
    for m in (
        Membership.objects.for_tenant(municipality)
        .filter(is_active=True, role__in=CALLER_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ):
        users[m.user_id] = m.user
    return list(users.values())


@transaction.atomic
def campaign_declare(
    *,
    actor: Any,
    municipality: Any,
    kind: str,
    alert_code: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    worker_ids: list[Any] | None = None,
    alert_reference: str = "",
    is_synthetic: bool = False,
    check_actor: bool = True,
) -> Campaign:
    """Declare an alert and split the register in force into call lists by zone and worker."""
    if check_actor:
        _require_manager(actor, municipality)
    errors: dict[str, str] = {}
    if kind not in CampaignKind.values:
        errors["kind"] = _("Choose a heat wave or a cold night.")
    if alert_code not in AlertCode.values:
        errors["alert_code"] = _("Choose the alert code.")
    if not title.strip():
        errors["title"] = _("Give the campaign a title.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The alert ends before it starts.")
    eligible = {u.pk: u for u in callers(municipality=municipality)}
    workers = []
    for wid in worker_ids or []:
        user = eligible.get(wid) or next((u for k, u in eligible.items() if str(k) == str(wid)), None)
        if user is None:
            errors["workers"] = _("Choose workers or volunteers of this municipality.")
            break
        if user not in workers:
            workers.append(user)
    if errors:
        raise ValidationError(errors)
    conf = selectors.settings_in_force(municipality=municipality, on=timezone.localdate(starts_at))
    user = actor if getattr(actor, "is_authenticated", False) else None
    campaign = Campaign.objects.create(
        municipality_id=_tenant(municipality),
        kind=kind,
        alert_code=alert_code,
        alert_reference=alert_reference.strip()[:300],
        title=title.strip()[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        max_tries=conf.max_tries,
        within_hours=conf.within_hours,
        contact_target_hours=conf.contact_target_hours,
        is_synthetic=is_synthetic,
        created_by=user,
    )
    entries = (
        selectors.register_in_force(municipality=municipality)
        .values_list("person_id", "person__area__name", "person__address")
        .order_by()
    )
    planned = split_into_lists(entries, workers, list_size=conf.list_size)
    lists = [
        CallList(
            municipality_id=campaign.municipality_id,
            campaign=campaign,
            number=i + 1,
            zone=p.zone,
            assignee=p.assignee,
        )
        for i, p in enumerate(planned)
    ]
    CallList.objects.bulk_create(lists, batch_size=1000)
    contacts = [
        Contact(
            municipality_id=campaign.municipality_id,
            campaign=campaign,
            call_list=call_list,
            person_id=person_id,
            position=j,
        )
        for call_list, p in zip(lists, planned, strict=True)
        for j, person_id in enumerate(p.persons)
    ]
    Contact.objects.bulk_create(contacts, batch_size=2000)
    audit_record(
        action="campaign.declare",
        actor=user,
        obj=campaign,
        changes={"kind": kind, "alert_code": alert_code, "lists": len(lists), "persons": len(contacts)},
    )
    return campaign


@transaction.atomic
def campaign_close(*, actor: Any, campaign: Campaign) -> Campaign:
    if not policy.can(actor, "change", campaign):
        raise PermissionDenied
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError({"status": _("The campaign is closed already.")})
    campaign.status = CampaignStatus.CLOSED
    campaign.save(update_fields=["status"])
    audit_record(action="campaign.close", actor=actor, obj=campaign)
    return campaign


# --- check-ins -------------------------------------------------------------------------------------------


@dataclass
class CheckInResult:
    created: bool
    contact: Contact


REACHED_OUTCOMES = tuple(o for o in CheckInOutcome.values if o != CheckInOutcome.NONE)


def _parse_key(key: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(key))
    except (ValueError, TypeError, AttributeError):
        raise ValidationError({"key": _("The submission has no valid key.")}) from None


def _parse_at(value: Any, campaign: Campaign, now: datetime.datetime) -> datetime.datetime:
    """The time the phone recorded the check-in (an offline one arrives later); the server's time otherwise.
    A time before the campaign or in the future is not believed."""
    if not value:
        return now
    try:
        at = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return now
    if timezone.is_naive(at):
        return now
    if at < campaign.starts_at - datetime.timedelta(hours=1) or at > now + datetime.timedelta(minutes=5):
        return now
    return at


def checkin_record(
    *,
    actor: Any,
    call_list: CallList,
    key: Any,
    contact_id: Any,
    mode: str,
    outcome: str = "",
    note: str = "",
    at: Any = None,
    now: datetime.datetime | None = None,
    is_synthetic: bool = False,
) -> CheckInResult:
    """One try to reach a person of the list, recorded once per ``key`` (a resend answers "duplicate").

    Reached (phone or visit) needs an outcome; not reached counts a try, and after the campaign's tries within
    its hours the person is escalated to a home visit. The outcome "escalate" escalates at once.
    """
    if not policy.can(actor, "record", call_list):
        raise PermissionDenied
    client_key = _parse_key(key)
    errors: dict[str, str] = {}
    if mode not in CheckInMode.values:
        errors["mode"] = _("Choose: reached by phone, visited at home, or not reached.")
    elif mode == CheckInMode.NOT_REACHED:
        outcome = CheckInOutcome.NONE
    elif outcome not in REACHED_OUTCOMES:
        errors["outcome"] = _("Choose how the person is.")
    if not isinstance(note, str) or len(note) > 500:
        errors["note"] = _("The note is longer than 500 characters.")
    if errors:
        raise ValidationError(errors)
    campaign = call_list.campaign
    now = now or timezone.now()
    when = _parse_at(at, campaign, now)
    try:
        with transaction.atomic():
            done = CheckIn.objects.for_tenant(call_list.municipality_id).filter(client_key=client_key).first()
            if done is not None:
                return CheckInResult(
                    False, Contact.objects.for_tenant(call_list.municipality_id).get(pk=done.contact_id)
                )
            try:
                contact = (
                    Contact.objects.for_tenant(call_list.municipality_id)
                    .select_for_update()
                    .get(call_list=call_list, pk=contact_id)
                )
            except (Contact.DoesNotExist, ValueError, TypeError, ValidationError):
                raise ValidationError({"contact": _("This person is not on the list.")}) from None
            if campaign.status != CampaignStatus.ACTIVE:
                raise ValidationError({"campaign": _("The campaign is closed.")})
            CheckIn.objects.create(
                municipality_id=call_list.municipality_id,
                contact=contact,
                campaign=campaign,
                mode=mode,
                outcome=outcome,
                note=note.strip(),
                at=when,
                client_key=client_key,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                is_synthetic=is_synthetic,
            )
            _apply(contact, mode=mode, outcome=outcome, at=when, now=now, campaign=campaign)
            audit_record(
                action="campaign.checkin",
                actor=actor,
                obj=contact,
                changes={"mode": mode, "outcome": outcome, "key": str(client_key), "person": str(contact.person_id)},
            )
    except IntegrityError:
        # Two copies of one submission arrived at once: the other one won; report it as a resend.
        done = CheckIn.objects.for_tenant(call_list.municipality_id).filter(client_key=client_key).first()
        if done is None:
            raise
        return CheckInResult(False, Contact.objects.for_tenant(call_list.municipality_id).get(pk=done.contact_id))
    return CheckInResult(True, contact)


def _apply(
    contact: Contact, *, mode: str, outcome: str, at: datetime.datetime, now: datetime.datetime, campaign: Campaign
) -> None:
    contact.tries += 1
    contact.first_try_at = min(contact.first_try_at, at) if contact.first_try_at else at
    if mode in (CheckInMode.PHONE, CheckInMode.VISIT):
        contact.last_outcome = outcome
        if outcome == CheckInOutcome.ESCALATE:
            contact.status = ContactStatus.ESCALATED
            contact.escalated_at = contact.escalated_at or at
        else:
            contact.status = ContactStatus.REACHED
        contact.reached_at = min(contact.reached_at, at) if contact.reached_at else at
    elif contact.status == ContactStatus.PENDING:
        if not contact.last_outcome:
            contact.last_outcome = CheckInOutcome.NONE
        tries = selectors.contact_tries(contact=contact)
        if should_escalate(tries, max_tries=campaign.max_tries, within_hours=campaign.within_hours, now=now):
            contact.status = ContactStatus.ESCALATED
            contact.escalated_at = now
    contact.save(update_fields=["tries", "first_try_at", "last_outcome", "status", "reached_at", "escalated_at"])


@transaction.atomic
def contacts_escalate_overdue(*, campaign: Campaign, now: datetime.datetime | None = None, actor: Any = None) -> int:
    """The ladder's clock: persons still not reached whose first unanswered try is the campaign's hours old
    go to a home visit (run by the scheduler, and when the coordinator opens the live page)."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(hours=campaign.within_hours)
    due = list(
        Contact.objects.for_tenant(campaign.municipality_id)
        .select_for_update()
        .filter(campaign=campaign, status=ContactStatus.PENDING, first_try_at__isnull=False, first_try_at__lte=limit)
    )
    for contact in due:
        contact.status = ContactStatus.ESCALATED
        contact.escalated_at = now
    Contact.plain.bulk_update(due, ["status", "escalated_at"])
    if due:
        audit_record(action="campaign.escalate", actor=actor, obj=campaign, changes={"persons": len(due)})
    return len(due)


# --- centres and kits ------------------------------------------------------------------------------------


@transaction.atomic
def centre_save(
    *,
    actor: Any,
    municipality: Any,
    kind: str,
    name: str,
    address: str = "",
    capacity: int | None = None,
    hours: str = "",
    is_open: bool = True,
    location: Any = None,
    centre: Centre | None = None,
    is_synthetic: bool = False,
    check_actor: bool = True,
) -> Centre:
    """A cooling or warming centre; linked to its place in the directory, it shows that place's address."""
    if check_actor:
        _require_manager(actor, municipality)
    errors: dict[str, str] = {}
    if location is not None and location.municipality_id != _tenant(municipality):
        errors["location"] = _("Choose a place of this municipality's directory.")
    if kind not in CentreKind.values:
        errors["kind"] = _("Choose cooling or warming.")
    if not name.strip():
        errors["name"] = _("Name the centre.")
    if capacity is not None and not 1 <= capacity <= 100000:
        errors["capacity"] = _("A number of persons from 1 to 100,000 (or leave it empty).")
    if errors:
        raise ValidationError(errors)
    row = centre or Centre(municipality_id=_tenant(municipality))
    row.kind, row.name, row.address, row.capacity = kind, name.strip()[:200], address.strip()[:300], capacity
    row.hours, row.is_open, row.is_synthetic = hours.strip()[:200], is_open, is_synthetic
    row.location = location
    row.save()
    audit_record(action="campaign.centre.save", actor=actor, obj=row, changes={"kind": kind})
    return row


@transaction.atomic
def centre_visits_record(
    *,
    actor: Any,
    centre: Centre,
    day: datetime.date,
    visitors: int,
    beneficiaries: int = 0,
    campaign: Campaign | None = None,
    is_synthetic: bool = False,
) -> CentreVisit:
    """The visits of one day at a centre (a second entry for the day replaces the first)."""
    if not policy.can(actor, "change", centre) and not is_synthetic:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if visitors < 0:
        errors["visitors"] = _("A number of visitors, zero or more.")
    if beneficiaries < 0 or beneficiaries > visitors:
        errors["beneficiaries"] = _("At most the number of visitors.")
    if centre.capacity is not None and visitors > centre.capacity * 24:
        errors["visitors"] = _("More visitors than the centre could have received in a day.")
    if errors:
        raise ValidationError(errors)
    row, _created = CentreVisit.objects.for_tenant(centre.municipality_id).update_or_create(
        centre=centre,
        day=day,
        defaults={
            "municipality_id": centre.municipality_id,
            "visitors": visitors,
            "beneficiaries": beneficiaries,
            "campaign": campaign,
            "is_synthetic": is_synthetic,
        },
    )
    audit_record(
        action="campaign.centre.visits", actor=actor, obj=centre, changes={"day": str(day), "visitors": visitors}
    )
    return row


@transaction.atomic
def kit_give(
    *,
    actor: Any,
    campaign: Campaign,
    person_id: Any,
    kind: str,
    quantity: int = 1,
    given_on: datetime.date | None = None,
    is_synthetic: bool = False,
) -> KitGiven:
    """A kit given to a person of the campaign's register."""
    if not policy.can(actor, "change", campaign) and not is_synthetic:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if kind not in KitKind.values:
        errors["kind"] = _("Choose the kit.")
    if quantity < 1 or quantity > 100:
        errors["quantity"] = _("A quantity from 1 to 100.")
    on_list = Contact.objects.for_tenant(campaign.municipality_id).filter(campaign=campaign, person_id=person_id)
    try:
        listed = on_list.exists()
    except (ValueError, ValidationError):
        listed = False
    if not listed:
        errors["person"] = _("Choose a person of the campaign's register.")
    if errors:
        raise ValidationError(errors)
    row = KitGiven.objects.create(
        municipality_id=campaign.municipality_id,
        person_id=person_id,
        campaign=campaign,
        kind=kind,
        quantity=quantity,
        given_on=given_on or timezone.localdate(),
        given_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_synthetic=is_synthetic,
    )
    audit_record(action="campaign.kit", actor=actor, obj=row, changes={"kind": kind, "person": str(person_id)})
    return row


def campaigns_escalate_overdue(*, now: datetime.datetime | None = None) -> int:
    """The ladder's clock over every active campaign of every municipality (the scheduler's task; a platform
    tool, so it widens the query to all tenants, then works campaign by campaign in its own tenant)."""
    total = 0
    for campaign in Campaign.objects.all_tenants().filter(status=CampaignStatus.ACTIVE):
        total += contacts_escalate_overdue(campaign=campaign, now=now)
    return total

"""Every write of the campaigns, each with its audit event in the same transaction."""

from __future__ import annotations

import datetime
import json
import uuid
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carenet.accounts.models import Membership
from carenet.audit.services import audit_record
from carenet.core.messaging import get_gateway, public_url, twiml_gather
from carenet.core.models import BackgroundJob
from carenet.core.policy import actor_of, policy
from carenet.geo.geometry import validate_feature_collection
from carenet.people.models import Person

from . import selectors
from .models import (
    ESCALATING,
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
    Channel,
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
    MessageStatus,
    OutboundMessage,
    RegisterEntry,
    RiskRule,
)
from .permissions import CALLER_ROLES, can_manage_campaigns
from .rules import (
    in_quiet_hours,
    is_mobile,
    message_language,
    phone_e164,
    reply_digit,
    should_escalate,
    split_into_lists,
)


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
def register_entry_reach_set(*, actor: Any, entry: RegisterEntry, language: str, needs_voice: bool) -> RegisterEntry:
    """How the SMS and voice gateway reaches the person: their language (empty: the municipality's) and
    whether they need a voice call even on a mobile phone."""
    if not policy.can(actor, "change", entry):
        raise PermissionDenied
    if language and language not in {code for code, _name in django_settings.LANGUAGES}:
        raise ValidationError({"language": _("Choose a language CareNet speaks.")})
    entry.language, entry.needs_voice = language, needs_voice
    entry.save(update_fields=["language", "needs_voice"])
    audit_record(
        action="campaign.register.save",
        actor=actor,
        obj=entry,
        changes={"person": str(entry.person_id), "language": language, "needs_voice": needs_voice},
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
    if not is_synthetic and contacts and any(messaging_in_use(municipality=municipality, on=starts_at.date())):
        messages_send_start(actor=user, campaign=campaign, check_actor=False)
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


# What a caller records (a reply by SMS or by the keys of an automated call comes through the gateway only).
STAFF_MODES = (CheckInMode.PHONE, CheckInMode.VISIT, CheckInMode.NOT_REACHED)
REACHING_MODES = (CheckInMode.PHONE, CheckInMode.VISIT, CheckInMode.SMS, CheckInMode.VOICE)
REACHED_OUTCOMES = tuple(o for o in CheckInOutcome.values if o not in (CheckInOutcome.NONE, CheckInOutcome.HELP))


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
    if mode not in STAFF_MODES:
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
    return _checkin_write(
        actor=actor,
        call_list=call_list,
        campaign=campaign,
        client_key=client_key,
        contact_id=contact_id,
        mode=mode,
        outcome=outcome,
        note=note,
        when=when,
        now=now,
        is_synthetic=is_synthetic,
    )


def _checkin_write(
    *,
    actor: Any,
    call_list: CallList,
    campaign: Campaign,
    client_key: uuid.UUID,
    contact_id: Any,
    mode: str,
    outcome: str,
    note: str,
    when: datetime.datetime,
    now: datetime.datetime,
    is_synthetic: bool = False,
    on_write: Any = None,
) -> CheckInResult:
    """The write of a check-in once its input is checked (by a caller's list, or a reply through the gateway);
    ``on_write(contact)`` runs in the same transaction when the check-in is new."""
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
            if on_write is not None:
                on_write(contact)
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
    if mode in REACHING_MODES:
        contact.last_outcome = outcome
        if outcome in ESCALATING:
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


# --- reaching the register by SMS and automated voice call (core.messaging) -------------------------------

MESSAGES_JOB_KIND = "campaigns.messages"
FAILED_CALL_STATUSES = {"no-answer", "busy", "failed", "canceled"}
FAILED_SMS_STATUSES = {"failed", "undelivered"}
# A status never moves back: a late "sent" does not undo "delivered", nothing undoes a reply.
STATUS_RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENT: 1,
    MessageStatus.FAILED: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.ANSWERED: 4,
}


def messaging_in_use(*, municipality: Any, on: datetime.date | None = None) -> tuple[bool, bool]:
    """(SMS, voice): the channels the tenant's settings use and the gateway can carry (none without a gateway)."""
    if get_gateway() is None:
        return False, False
    conf = selectors.settings_in_force(municipality=municipality, on=on)
    return bool(conf.sms_enabled), bool(conf.voice_enabled)


@transaction.atomic
def messaging_settings_save(
    *,
    actor: Any,
    municipality: Any,
    valid_from: datetime.date,
    sms_enabled: bool,
    voice_enabled: bool,
    voice_attempts: int,
    quiet_from: datetime.time | None = None,
    quiet_to: datetime.time | None = None,
    check_actor: bool = True,
) -> CampaignSettings:
    """The tenant's SMS and voice rules from ``valid_from``: a new dated row carrying the ladder in force on
    that day (so the ladder does not move), closing the row in force before it."""
    if check_actor:
        _require_manager(actor, municipality)
    errors: dict[str, str] = {}
    if not 1 <= voice_attempts <= 5:
        errors["voice_attempts"] = _("From 1 to 5 calls.")
    if (quiet_from is None) != (quiet_to is None):
        errors["quiet_to"] = _("Give both ends of the quiet hours, or neither.")
    if errors:
        raise ValidationError(errors)
    current = selectors.settings_in_force(municipality=municipality, on=valid_from)
    if current.pk is not None and current.valid_from < valid_from:
        CampaignSettings.objects.for_tenant(municipality).filter(pk=current.pk).update(
            valid_to=valid_from - datetime.timedelta(days=1)
        )
    row, _created = CampaignSettings.objects.for_tenant(municipality).update_or_create(
        valid_from=valid_from,
        defaults={
            "municipality_id": _tenant(municipality),
            "max_tries": current.max_tries,
            "within_hours": current.within_hours,
            "contact_target_hours": current.contact_target_hours,
            "list_size": current.list_size,
            "critical_index": current.critical_index,
            "hotspot_intensity": current.hotspot_intensity,
            "valid_to": current.valid_to if current.valid_from == valid_from else None,
            "sms_enabled": sms_enabled,
            "voice_enabled": voice_enabled,
            "voice_attempts": voice_attempts,
            "quiet_from": quiet_from,
            "quiet_to": quiet_to,
        },
    )
    audit_record(
        action="campaign.settings.save",
        actor=actor,
        obj=row,
        changes={
            "sms": sms_enabled,
            "voice": voice_enabled,
            "voice_attempts": voice_attempts,
            "quiet": f"{quiet_from}-{quiet_to}" if quiet_from else "",
            "valid_from": str(valid_from),
        },
    )
    return row


def messages_send_start(*, actor: Any, campaign: Campaign, check_actor: bool = True) -> BackgroundJob:
    """Queue the background job that reaches the campaign's persons by SMS and voice (progress on its job)."""
    if check_actor and not policy.can(actor, "change", campaign):
        raise PermissionDenied
    if campaign.status != CampaignStatus.ACTIVE:
        raise ValidationError({"campaign": _("The campaign is closed.")})
    if get_gateway() is None:
        raise ValidationError({"gateway": _("No SMS and voice gateway is configured on this server.")})
    sms, voice = messaging_in_use(municipality=campaign.municipality_id)
    if not (sms or voice):
        raise ValidationError({"settings": _("SMS and voice calls are not in use in this municipality's settings.")})
    from .tasks import send_campaign_messages

    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            municipality_id=campaign.municipality_id,
            kind=MESSAGES_JOB_KIND,
            title=_("SMS and calls: %(campaign)s") % {"campaign": campaign.title[:200]},
            created_by=user,
            params={"campaign_id": str(campaign.pk)},
        )
        transaction.on_commit(lambda: send_campaign_messages.enqueue(str(job.pk)))
    return job


@dataclass
class Outreach:
    sms: int = 0
    voice: int = 0
    skipped: int = 0  # no usable number, or the channel it needs not in use


@transaction.atomic
def messages_prepare(*, campaign: Campaign, actor: Any = None) -> Outreach:
    """One queued message per person still to contact and channel (attempt 1), made once: a second run adds
    only persons new to it. SMS to a mobile; a voice call to a fixed line or a person marked as needing voice.
    The batch is audited with the persons whose numbers go to the gateway's processor."""
    gateway = get_gateway()
    sms_on, voice_on = messaging_in_use(municipality=campaign.municipality_id)
    result = Outreach()
    if gateway is None or not (sms_on or voice_on):
        return result
    municipality = campaign.municipality
    official = list(municipality.official_languages or [])
    available = [code for code, _name in django_settings.LANGUAGES]
    done = set(
        OutboundMessage.objects.for_tenant(campaign.municipality_id)
        .filter(campaign=campaign)
        .values_list("contact_id", "channel")
    )
    rows, persons = [], []
    for candidate in selectors.outreach_candidates(campaign=campaign):
        number = phone_e164(candidate.phone, municipality.country)
        if not number:
            result.skipped += 1
            continue
        channel = Channel.SMS if is_mobile(number) and not candidate.needs_voice else Channel.VOICE
        if (channel == Channel.SMS and not sms_on) or (channel == Channel.VOICE and not voice_on):
            result.skipped += 1
            continue
        if (candidate.contact_id, channel) in done:
            continue
        rows.append(
            OutboundMessage(
                municipality_id=campaign.municipality_id,
                campaign=campaign,
                contact_id=candidate.contact_id,
                channel=channel,
                attempt=1,
                to_number=number,
                language=message_language(candidate.language, official, available),
            )
        )
        persons.append(str(candidate.person_id))
        if channel == Channel.SMS:
            result.sms += 1
        else:
            result.voice += 1
    OutboundMessage.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    if rows:
        audit_record(
            action="campaign.messages.send",
            actor=actor,
            obj=campaign,
            changes={"sms": result.sms, "voice": result.voice, "processor": gateway.processor, "persons": persons},
        )
    return result


def sms_text(*, campaign: Campaign, centres: list[Centre], language: str) -> str:
    """The SMS in ``language``: the alert, the open centres, 112, and how to reply."""
    with translation.override(language):
        alert = _("%(municipality)s: %(kind)s, %(code)s, until %(ends)s.") % {
            "municipality": campaign.municipality.name,
            "kind": campaign.get_kind_display(),
            "code": campaign.get_alert_code_display(),
            "ends": timezone.localtime(campaign.ends_at).strftime("%d.%m %H:%M"),
        }
        parts = [alert]
        if centres:
            places = "; ".join(f"{c.name}, {c.display_address}" if c.display_address else c.name for c in centres)
            parts.append(_("Open centres: %(places)s.") % {"places": places})
        parts.append(_("Emergency: 112."))
        parts.append(_("Reply 1 if you are well, 2 if you need help."))
        return " ".join(parts)


def voice_text(*, campaign: Campaign, centres: list[Centre], language: str) -> str:
    with translation.override(language):
        parts = [
            _("This is the social assistance service of %(municipality)s. %(kind)s, %(code)s.")
            % {
                "municipality": campaign.municipality.name,
                "kind": campaign.get_kind_display(),
                "code": campaign.get_alert_code_display(),
            }
        ]
        if centres:
            parts.append(_("Open centres: %(places)s.") % {"places": "; ".join(c.name for c in centres)})
        parts.append(_("In an emergency, call 112."))
        parts.append(_("Press 1 if you are well. Press 2 if you need help."))
        return " ".join(parts)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    held: bool = False  # quiet hours: nothing sent, the messages wait


def _quiet_now(campaign: Campaign, conf: CampaignSettings, now: datetime.datetime) -> bool:
    try:
        zone = zoneinfo.ZoneInfo(campaign.municipality.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_current_timezone()
    return in_quiet_hours(now.astimezone(zone).time(), conf.quiet_from, conf.quiet_to)


def messages_send_queued(
    *, campaign: Campaign, now: datetime.datetime | None = None, job: BackgroundJob | None = None
) -> SendReport:
    """Send the campaign's waiting messages, one provider request each, never twice (a message is taken with
    one conditional update before it is sent). Nothing is sent in the tenant's quiet hours or for a closed
    campaign. An error is recorded on the message, never raised."""
    report = SendReport()
    gateway = get_gateway()
    now = now or timezone.now()
    if gateway is None or campaign.status != CampaignStatus.ACTIVE:
        return report
    conf = selectors.settings_in_force(municipality=campaign.municipality_id, on=timezone.localdate(now))
    if _quiet_now(campaign, conf, now):
        report.held = True
        return report
    enabled = [c for c, on in ((Channel.SMS, conf.sms_enabled), (Channel.VOICE, conf.voice_enabled)) if on]
    waiting = list(selectors.messages_waiting(campaign=campaign).filter(channel__in=enabled))
    centres = selectors.open_centres(campaign=campaign)
    tenant = campaign.municipality_id
    for i, message in enumerate(waiting, start=1):
        taken = (
            OutboundMessage.objects.for_tenant(tenant)
            .filter(pk=message.pk, status=MessageStatus.QUEUED, attempted_at__isnull=True)
            .update(attempted_at=timezone.now())
        )
        if not taken:
            continue  # another sender has it
        status_url = public_url(reverse("campaigns:hook_status", args=[message.pk]))
        if message.channel == Channel.SMS:
            result = gateway.send_sms(
                to=message.to_number,
                body=sms_text(campaign=campaign, centres=centres, language=message.language),
                status_callback=status_url,
            )
        else:
            text = voice_text(campaign=campaign, centres=centres, language=message.language)
            twiml = twiml_gather(
                text=text,
                language=message.language,
                action=public_url(reverse("campaigns:hook_voice", args=[message.pk])),
            )
            result = gateway.place_call(to=message.to_number, twiml=twiml, status_callback=status_url)
        fields: dict[str, Any] = {"provider_id": result.provider_id, "error": result.error[:300]}
        if result.ok:
            fields.update(status=MessageStatus.SENT, sent_at=timezone.now())
            report.sent += 1
        else:
            fields.update(status=MessageStatus.FAILED)
            report.failed += 1
        OutboundMessage.objects.for_tenant(tenant).filter(pk=message.pk, status=MessageStatus.QUEUED).update(
            **fields, updated_at=timezone.now()
        )
        if job is not None and (i % 25 == 0 or i == len(waiting)):
            job.progress = min(95, 20 + int(75 * i / len(waiting)))
            job.save(update_fields=["progress"])
    if report.sent or report.failed:
        with transaction.atomic():
            audit_record(
                action="campaign.messages.send",
                actor=None,
                obj=campaign,
                changes={"sent": report.sent, "failed": report.failed, "processor": gateway.processor},
            )
    return report


def messages_send_waiting(*, now: datetime.datetime | None = None) -> int:
    """The scheduler's run: every active campaign's waiting messages (held by quiet hours, or a call's next
    attempt). A platform tool: it widens to all tenants, then sends campaign by campaign in its tenant."""
    if get_gateway() is None:
        return 0
    sent = 0
    waiting = OutboundMessage.objects.all_tenants().filter(
        status=MessageStatus.QUEUED, attempted_at__isnull=True, campaign__status=CampaignStatus.ACTIVE
    )
    for campaign in Campaign.objects.all_tenants().filter(pk__in=waiting.values("campaign_id")):
        sent += messages_send_queued(campaign=campaign, now=now).sent
    return sent


def _message_by_id(message_id: Any) -> OutboundMessage | None:
    """A message named by a callback URL (the gateway calls with no tenant; the row names it)."""
    try:
        return (
            OutboundMessage.objects.all_tenants()
            .select_related("campaign", "contact", "contact__call_list")
            .filter(pk=message_id)
            .first()
        )
    except (ValueError, ValidationError):
        return None


def message_status_update(*, message_id: Any, params: dict[str, str]) -> bool:
    """A delivery status callback: sent, delivered or failed (with the provider's error code). A call that
    was not answered is retried, up to the tenant's attempts, by queueing the next attempt; a failed SMS leaves
    the person on the caller's list. Returns False when the callback names nothing known."""
    message = _message_by_id(message_id)
    if message is None:
        return False
    sid = params.get("MessageSid") or params.get("SmsSid") or params.get("CallSid") or ""
    if message.provider_id and sid and sid != message.provider_id:
        return False
    raw = (params.get("MessageStatus") or params.get("SmsStatus") or params.get("CallStatus") or "").lower()
    now = timezone.now()
    if message.channel == Channel.SMS:
        if raw in FAILED_SMS_STATUSES:
            new = MessageStatus.FAILED
        elif raw == "delivered":
            new = MessageStatus.DELIVERED
        elif raw in ("sent", "accepted", "queued", "sending"):
            new = MessageStatus.SENT
        else:
            return False
    elif raw in FAILED_CALL_STATUSES:
        new = MessageStatus.FAILED
    elif raw == "completed":
        new = MessageStatus.DELIVERED
    elif raw in ("queued", "initiated", "ringing", "in-progress"):
        new = MessageStatus.SENT
    else:
        return False
    tenant = message.municipality_id
    with transaction.atomic():
        locked = OutboundMessage.objects.for_tenant(tenant).select_for_update().get(pk=message.pk)
        if STATUS_RANK[MessageStatus(locked.status)] >= STATUS_RANK[new] and not (
            new == MessageStatus.FAILED and locked.status == MessageStatus.SENT
        ):
            return True  # nothing newer (a late or resent callback)
        if new == MessageStatus.FAILED and locked.status not in (MessageStatus.QUEUED, MessageStatus.SENT):
            return True
        locked.status = new
        if new == MessageStatus.FAILED:
            code = params.get("ErrorCode") or raw
            locked.error = f"{raw} {code}".strip()[:300] if code != raw else raw
        if new == MessageStatus.DELIVERED:
            locked.delivered_at = now
        locked.save(update_fields=["status", "error", "delivered_at", "updated_at"])
        if new == MessageStatus.FAILED and locked.channel == Channel.VOICE:
            _queue_next_call(locked)
    return True


def _queue_next_call(message: OutboundMessage) -> None:
    """The next automated call to a person not reached, while the tenant's attempts allow (one row per attempt:
    a resent callback queues it once); the scheduler or the coordinator's button sends it."""
    conf = selectors.settings_in_force(municipality=message.municipality_id)
    contact = Contact.objects.for_tenant(message.municipality_id).get(pk=message.contact_id)
    if message.attempt >= conf.voice_attempts or contact.status != ContactStatus.PENDING:
        return
    OutboundMessage.objects.for_tenant(message.municipality_id).get_or_create(
        contact_id=message.contact_id,
        channel=Channel.VOICE,
        attempt=message.attempt + 1,
        defaults={
            "municipality_id": message.municipality_id,
            "campaign_id": message.campaign_id,
            "to_number": message.to_number,
            "language": message.language,
        },
    )


def _reply_key(channel: str, sid: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"carenet:gateway:{channel}:{sid}")


def message_reply_record(
    *, message: OutboundMessage, digit: str, provider_sid: str, now: datetime.datetime | None = None
) -> CheckInResult | None:
    """A reply ("1" well, "2" needs help) as a check-in of the person, once per provider id (a resent webhook
    records nothing more). "2" sends the person to a home visit at once, as "escalate" does on a caller's
    list. None when nothing is recorded (a closed campaign, a bad reply, a person already visited)."""
    if digit not in ("1", "2") or not provider_sid:
        return None
    campaign = message.campaign
    if campaign.status != CampaignStatus.ACTIVE:
        return None
    now = now or timezone.now()

    def mark(contact: Contact) -> None:
        OutboundMessage.objects.for_tenant(message.municipality_id).filter(pk=message.pk).update(
            status=MessageStatus.ANSWERED, reply=digit, replied_at=now, updated_at=now
        )

    try:
        return _checkin_write(
            actor=None,
            call_list=message.contact.call_list,
            campaign=campaign,
            client_key=_reply_key(message.channel, provider_sid),
            contact_id=message.contact_id,
            mode=CheckInMode.SMS if message.channel == Channel.SMS else CheckInMode.VOICE,
            outcome=CheckInOutcome.FINE if digit == "1" else CheckInOutcome.HELP,
            note="",
            when=now,
            now=now,
            on_write=mark,
        )
    except ValidationError:
        return None


def sms_reply_receive(
    *, from_number: str, body: str, sid: str, now: datetime.datetime | None = None
) -> CheckInResult | None:
    """An SMS received: matched to the latest SMS sent to that number in an active campaign (any tenant: the
    gateway's number is the platform's), recorded as that person's check-in. Anything else records nothing."""
    digit = reply_digit(body)
    number = from_number.strip()
    if not digit or not number.startswith("+") or not sid:
        return None
    message = (
        OutboundMessage.objects.all_tenants()
        .select_related("campaign", "contact", "contact__call_list")
        .filter(
            to_number=number,
            channel=Channel.SMS,
            campaign__status=CampaignStatus.ACTIVE,
            status__in=[MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.ANSWERED],
        )
        .order_by("-sent_at")
        .first()
    )
    if message is None:
        return None
    return message_reply_record(message=message, digit=digit, provider_sid=sid, now=now)


def voice_digits_receive(
    *, message_id: Any, digits: str, call_sid: str, now: datetime.datetime | None = None
) -> tuple[OutboundMessage | None, CheckInResult | None]:
    """The key pressed in an automated call (the call's id must be the one placed for this message)."""
    message = _message_by_id(message_id)
    if message is None or message.channel != Channel.VOICE or not call_sid:
        return None, None
    if message.provider_id and call_sid != message.provider_id:
        return None, None
    return message, message_reply_record(message=message, digit=reply_digit(digits), provider_sid=call_sid, now=now)

"""Every write of volunteering, recognition and rewards, each with its audit event in the same transaction.

Fraud guards live here: points are written only from an attendance the organiser confirmed (once per
attendance, a unique constraint), within the rule's daily cap; a reward is redeemed only against the
balance and the stock (rows locked); a code is used once.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.accounts import services as accounts_services
from carenet.accounts.models import Membership
from carenet.activities import services as activities_services
from carenet.activities.models import Activity, ActivityStatus, KindCategory
from carenet.activities.selectors import kinds_in_force
from carenet.audit.services import audit_record
from carenet.core.models import Organisation
from carenet.core.policy import actor_of, policy
from carenet.core.roles import Role

from .models import (
    Application,
    ApplicationStatus,
    Attendance,
    AttendanceStatus,
    Certificate,
    CheckStatus,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
    PointsEntry,
    PointsReason,
    Redemption,
    Reward,
    Volunteer,
    VolunteerStatus,
)
from .permissions import can_organise_for, can_partner_for, partner_organisation_ids
from .selectors import (
    age_on,
    points_balance,
    points_rule_in_force,
    policy_in_force,
    skills_in_force,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter
MAX_SHIFT_HOURS = Decimal("16")


def _code(length: int = 10) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def _mid(municipality: Any) -> Any:
    return getattr(municipality, "pk", municipality)


# --- volunteers -------------------------------------------------------------------------------------------


@dataclass
class SignUp:
    first_name: str
    last_name: str
    birth_date: datetime.date
    phone: str = ""
    email: str = ""
    skills: list[str] = field(default_factory=list)
    weekdays: list[int] = field(default_factory=list)
    guardian_name: str = ""
    guardian_consent: bool = False


@transaction.atomic
def volunteer_sign_up(*, municipality: Any, user: Any, data: SignUp, is_synthetic: bool = False) -> Volunteer:
    """A citizen signs up as a volunteer (pending until the coordinator approves)."""
    today = timezone.localdate()
    rules = policy_in_force(municipality=municipality, on=today)
    if rules is None:
        raise ValidationError({"birth_date": _("Volunteering is not open in this municipality yet.")})
    errors: dict[str, str] = {}
    if not data.first_name.strip():
        errors["first_name"] = _("Write your first name.")
    if not data.last_name.strip():
        errors["last_name"] = _("Write your last name.")
    age = age_on(data.birth_date, today)
    if data.birth_date > today:
        errors["birth_date"] = _("The date of birth is in the future.")
    elif age < rules.minimum_age:
        errors["birth_date"] = _("Volunteers must be at least %(age)s years old.") % {"age": rules.minimum_age}
    elif age < rules.adult_age:
        if not data.guardian_name.strip():
            errors["guardian_name"] = _("A volunteer under %(age)s needs a parent or guardian.") % {
                "age": rules.adult_age
            }
        if not data.guardian_consent:
            errors["guardian_consent"] = _("The parent or guardian must agree.")
    known = {s.code for s in skills_in_force(municipality=municipality)}
    if any(s not in known for s in data.skills):
        errors["skills"] = _("Choose skills from the list.")
    if any(d not in range(7) for d in data.weekdays):
        errors["weekdays"] = _("Choose days of the week.")
    if user is None or not getattr(user, "is_authenticated", False):
        errors["first_name"] = _("Sign in to sign up.")
    if errors:
        raise ValidationError(errors)
    if Volunteer.objects.for_tenant(municipality).filter(user=user).exists():
        raise ValidationError({"first_name": _("You have already signed up.")})
    volunteer = Volunteer.objects.for_tenant(municipality).create(
        municipality_id=_mid(municipality),
        user=user,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        birth_date=data.birth_date,
        phone=data.phone.strip(),
        email=data.email.strip(),
        skills=sorted(set(data.skills)),
        weekdays=sorted(set(data.weekdays)),
        guardian_name=data.guardian_name.strip() if age < rules.adult_age else "",
        guardian_consent_on=today if age < rules.adult_age else None,
        is_synthetic=is_synthetic,
    )
    audit_record(action="volunteer.sign_up", actor=user, obj=volunteer, changes={"minor": age < rules.adult_age})
    return volunteer


@transaction.atomic
def volunteer_set_status(*, actor: Any, volunteer: Volunteer, status: str) -> Volunteer:
    if not policy.can(actor, "change", volunteer):
        raise PermissionDenied
    if status not in VolunteerStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    volunteer.status = status
    volunteer.save(update_fields=["status"])
    audit_record(action="volunteer.status", actor=actor, obj=volunteer, changes={"status": status})
    if status != VolunteerStatus.ACTIVE:
        volunteer_withdraw_from_calls(actor=actor, volunteer=volunteer, reason="status")
    return volunteer


@transaction.atomic
def volunteer_record_check(
    *, actor: Any, volunteer: Volunteer, status: str, checked_on: datetime.date | None = None
) -> Volunteer:
    """The background check's outcome (a status and a date; never the record's contents)."""
    if not policy.can(actor, "change", volunteer):
        raise PermissionDenied
    if status not in CheckStatus.values:
        raise ValidationError({"background_check": _("Choose a status.")})
    day = checked_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"background_checked_on": _("The check cannot be dated in the future.")})
    rules = policy_in_force(municipality=volunteer.municipality_id, on=day)
    months = rules.background_check_months if rules else 12
    volunteer.background_check = status
    volunteer.background_checked_on = day if status in (CheckStatus.CLEARED, CheckStatus.REFUSED) else None
    volunteer.background_valid_to = _add_months(day, months) if status == CheckStatus.CLEARED else None
    volunteer.save(update_fields=["background_check", "background_checked_on", "background_valid_to"])
    audit_record(action="volunteer.background_check", actor=actor, obj=volunteer, changes={"status": status})
    if not check_cleared(volunteer, timezone.localdate()):
        volunteer_withdraw_from_calls(actor=actor, volunteer=volunteer, reason="background_check")
    return volunteer


# --- the heat-wave campaigns' calls ------------------------------------------------------------------------


def calls_refusals(volunteer: Volunteer, on: datetime.date) -> dict[str, str]:
    """Why a volunteer may not take a campaign's call list on a day (empty: they may). Calling persons at
    risk is work with vulnerable adults: an active, adult volunteer with a background check valid that day,
    who signs in to their list with their own account."""
    errors: dict[str, str] = {}
    if volunteer.status != VolunteerStatus.ACTIVE:
        errors["status"] = _("Approve the volunteer first.")
    if volunteer.user_id is None:
        errors["user"] = _("The volunteer has no account to sign in with: they sign up on the portal first.")
    rules = policy_in_force(municipality=volunteer.municipality_id, on=on)
    adult_age = rules.adult_age if rules else 18
    if age_on(volunteer.birth_date, on) < adult_age:
        errors["birth_date"] = _("A minor does not call persons at risk.")
    if not check_cleared(volunteer, on):
        errors["background_check"] = _("Calls to persons at risk need a background check valid on the day.")
    return errors


def _calls_memberships(volunteer: Volunteer) -> Any:
    return Membership.objects.for_tenant(volunteer.municipality_id).filter(
        user_id=volunteer.user_id, role=Role.CAMPAIGN_VOLUNTEER, is_active=True
    )


def volunteer_enlist_for_calls(*, actor: Any, volunteer: Volunteer) -> Membership:
    """Give a volunteer the campaign volunteer's role in the coordinator's organisation: the campaigns can
    then assign them a call list (``campaigns.services.callers``). The coordinator's decision, audited."""
    coordinator = actor_of(actor)
    organisations = coordinator.organisation_ids(Role.COORDINATOR)
    if not policy.can(actor, "change", volunteer) or not organisations:
        raise PermissionDenied
    errors = calls_refusals(volunteer, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    organisation = Organisation.objects.for_tenant(volunteer.municipality_id).filter(pk__in=organisations).first()
    if organisation is None:
        raise PermissionDenied
    account = volunteer.user
    if account is None:  # calls_refusals said so already; for the type checker
        raise ValidationError(
            {"user": _("The volunteer has no account to sign in with: they sign up on the portal first.")}
        )
    with transaction.atomic():
        if account.municipality_id is None:  # a citizen's account: it becomes the municipality's to call from
            accounts_services.user_update(actor=None, user=account, municipality=volunteer.municipality)
        elif account.municipality_id != volunteer.municipality_id:
            raise ValidationError({"user": _("The volunteer's account belongs to another municipality.")})
        membership = accounts_services.membership_grant(
            actor=actor, user=account, organisation=organisation, role=Role.CAMPAIGN_VOLUNTEER
        )
        audit_record(
            action="volunteer.enlist", actor=actor, obj=volunteer, changes={"organisation": str(organisation.pk)}
        )
    return membership


def volunteer_withdraw_from_calls(*, actor: Any, volunteer: Volunteer, reason: str = "") -> int:
    """Take the campaign volunteer's role back (a suspension, a check refused or lapsed, the coordinator's
    choice). The call lists already assigned stay with the campaign; the volunteer can no longer record."""
    if actor is not None and not policy.can(actor, "change", volunteer):
        raise PermissionDenied
    if volunteer.user_id is None:
        return 0
    withdrawn = 0
    with transaction.atomic():
        for membership in _calls_memberships(volunteer).select_related("user"):
            accounts_services.membership_revoke(actor=None, membership=membership)
            withdrawn += 1
        if withdrawn:
            audit_record(
                action="volunteer.withdraw",
                actor=actor,
                municipality=volunteer.municipality_id,
                obj=volunteer,
                changes={"reason": reason or "coordinator"},
            )
    return withdrawn


def volunteers_withdraw_lapsed(*, on: datetime.date | None = None) -> int:
    """The scheduled guard: a volunteer of the register who holds the campaign role but is no longer
    active, or whose background check is refused or lapsed, loses it (every municipality)."""
    day = on or timezone.localdate()
    withdrawn = 0
    enlisted = Membership.objects.all_tenants().filter(role=Role.CAMPAIGN_VOLUNTEER, is_active=True)
    volunteers = Volunteer.objects.all_tenants().filter(user_id__in=enlisted.values("user_id"))
    for volunteer in volunteers:
        if calls_refusals(volunteer, day):
            withdrawn += volunteer_withdraw_from_calls(actor=None, volunteer=volunteer, reason="lapsed")
    return withdrawn


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, 28))


def check_cleared(volunteer: Volunteer, on: datetime.date) -> bool:
    return (
        volunteer.background_check == CheckStatus.CLEARED
        and volunteer.background_valid_to is not None
        and volunteer.background_valid_to >= on
    )


# --- opportunities ----------------------------------------------------------------------------------------


@dataclass
class OpportunityInput:
    organisation: Organisation
    title: str
    starts_on: datetime.date
    kind: str = OpportunityKind.ONE_OFF
    ends_on: datetime.date | None = None
    weekdays: list[int] = field(default_factory=list)
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    description: str = ""
    place: str = ""
    skills: list[str] = field(default_factory=list)
    spots: int = 1
    with_vulnerable: bool = False
    civic: bool = False


@transaction.atomic
def opportunity_create(*, actor: Any, municipality: Any, data: OpportunityInput) -> Opportunity:
    """An organisation offers an opportunity; it is recorded as a volunteering initiative in the activities
    register too (KPI 12 counts it there)."""
    mid = _mid(municipality)
    errors: dict[str, str] = {}
    if data.organisation.municipality_id != mid:
        errors["organisation"] = _("Choose an organisation of this municipality.")
    elif not can_organise_for(actor, data.organisation.pk):
        errors["organisation"] = _("You offer opportunities only for your own organisation.")
    if not data.title.strip():
        errors["title"] = _("Give the opportunity a title.")
    if data.kind not in OpportunityKind.values:
        errors["kind"] = _("Choose one-off or recurring.")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = _("The last day is before the first.")
    if data.kind == OpportunityKind.RECURRING and not data.weekdays:
        errors["weekdays"] = _("Choose the days a recurring opportunity takes place.")
    if any(d not in range(7) for d in data.weekdays):
        errors["weekdays"] = _("Choose days of the week.")
    if data.start_time and data.end_time and data.end_time <= data.start_time:
        errors["end_time"] = _("The end is before the start.")
    if data.spots < 1:
        errors["spots"] = _("Offer at least one place.")
    known = {s.code for s in skills_in_force(municipality=mid)}
    if any(s not in known for s in data.skills):
        errors["skills"] = _("Choose skills from the list.")
    if errors:
        raise ValidationError(errors)
    activity = _initiative(actor=actor, municipality_id=mid, data=data)
    opportunity = Opportunity.objects.for_tenant(mid).create(
        municipality_id=mid,
        organisation=data.organisation,
        title=data.title.strip(),
        description=data.description.strip(),
        kind=data.kind,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        weekdays=sorted(set(data.weekdays)),
        start_time=data.start_time,
        end_time=data.end_time,
        place=data.place.strip(),
        skills=sorted(set(data.skills)),
        spots=data.spots,
        with_vulnerable=data.with_vulnerable,
        civic=data.civic,
        activity=activity,
        created_by=actor,
    )
    audit_record(action="opportunity.create", actor=actor, obj=opportunity, changes={"spots": data.spots})
    return opportunity


def _initiative(*, actor: Any, municipality_id: Any, data: OpportunityInput) -> Activity | None:
    kind = (
        kinds_in_force(municipality=municipality_id, on=data.starts_on)
        .filter(category=KindCategory.VOLUNTEERING)
        .first()
    )
    if kind is None:
        return None  # the municipality keeps no volunteering kind: KPI 12 is not counted from here
    return activities_services.activity_create(
        actor=actor,
        municipality=municipality_id,
        data=activities_services.ActivityInput(
            kind=kind,
            title=data.title.strip(),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            organiser=data.organisation,
            status=ActivityStatus.PLANNED,
            place=data.place.strip(),
        ),
    )


@transaction.atomic
def opportunity_close(*, actor: Any, opportunity: Opportunity) -> Opportunity:
    if not policy.can(actor, "change", opportunity):
        raise PermissionDenied
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.save(update_fields=["status"])
    audit_record(action="opportunity.close", actor=actor, obj=opportunity)
    return opportunity


# --- applications -----------------------------------------------------------------------------------------


def _confirmed_count(opportunity: Opportunity) -> int:
    return (
        Application.objects.for_tenant(opportunity.municipality_id)
        .filter(opportunity=opportunity, status=ApplicationStatus.CONFIRMED)
        .count()
    )


@transaction.atomic
def application_submit(*, volunteer: Volunteer, opportunity: Opportunity) -> Application:
    """The volunteer applies (on the portal)."""
    if opportunity.municipality_id != volunteer.municipality_id:
        raise ValidationError({"opportunity": _("This opportunity is not offered here.")})
    if opportunity.status != OpportunityStatus.OPEN:
        raise ValidationError({"opportunity": _("This opportunity no longer takes applications.")})
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"opportunity": _("Your sign-up has not been approved yet.")})
    if opportunity.with_vulnerable and not check_cleared(volunteer, timezone.localdate()):
        raise ValidationError(
            {"opportunity": _("This work is with children or vulnerable adults: it needs a valid background check.")}
        )
    if (
        Application.objects.for_tenant(volunteer.municipality_id)
        .filter(opportunity=opportunity, volunteer=volunteer)
        .exists()
    ):
        raise ValidationError({"opportunity": _("You have already applied.")})
    application = Application.objects.for_tenant(volunteer.municipality_id).create(
        municipality_id=volunteer.municipality_id, opportunity=opportunity, volunteer=volunteer
    )
    audit_record(action="application.submit", actor=volunteer.user, obj=application)
    return application


@transaction.atomic
def application_decide(*, actor: Any, application: Application, confirm: bool) -> Application:
    """The organiser confirms or declines an application."""
    if not policy.can(actor, "change", application):
        raise PermissionDenied
    if application.status not in (ApplicationStatus.APPLIED, ApplicationStatus.CONFIRMED):
        raise ValidationError({"status": _("This application was already closed.")})
    opportunity = (
        Opportunity.objects.for_tenant(application.municipality_id)
        .select_for_update()
        .get(pk=application.opportunity_id)
    )
    if confirm:
        if application.status == ApplicationStatus.CONFIRMED:
            raise ValidationError({"status": _("This application is already confirmed.")})
        if _confirmed_count(opportunity) >= opportunity.spots:
            raise ValidationError({"status": _("All places are taken.")})
        if opportunity.with_vulnerable and not check_cleared(application.volunteer, timezone.localdate()):
            raise ValidationError(
                {"status": _("This work is with children or vulnerable adults: it needs a valid background check.")}
            )
    application.status = ApplicationStatus.CONFIRMED if confirm else ApplicationStatus.DECLINED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(action="application.decide", actor=actor, obj=application, changes={"status": application.status})
    return application


# --- attendance: check in, check out, confirmation ----------------------------------------------------------


@transaction.atomic
def attendance_check_in(
    *, actor: Any, application: Application, client_key: uuid.UUID | None = None, at: datetime.datetime | None = None
) -> Attendance:
    """Check in (the volunteer on the portal, or the organiser on the field page). A resend with the same
    device-made key returns the first row."""
    if application.status != ApplicationStatus.CONFIRMED:
        raise ValidationError({"application": _("Only a confirmed volunteer checks in.")})
    mid = application.municipality_id
    if client_key is not None:
        existing = Attendance.objects.for_tenant(mid).filter(client_key=client_key).first()
        if existing is not None:
            return existing
    if Attendance.objects.for_tenant(mid).filter(application=application, checked_out_at__isnull=True).exists():
        raise ValidationError({"application": _("You are already checked in.")})
    moment = at or timezone.now()
    try:
        with transaction.atomic():
            attendance = Attendance.objects.for_tenant(mid).create(
                municipality_id=mid,
                application=application,
                day=timezone.localtime(moment).date(),
                checked_in_at=moment,
                client_key=client_key,
            )
    except IntegrityError:
        return Attendance.objects.for_tenant(mid).get(client_key=client_key)
    audit_record(action="attendance.check_in", actor=actor, obj=attendance)
    return attendance


def attendance_turn(
    *,
    actor: Any,
    application: Application,
    action: str,
    key: uuid.UUID,
    at: datetime.datetime,
    in_key: uuid.UUID | None = None,
) -> bool:
    """A tap of the volunteer's phone, queued offline: "in" checks in under ``key``; "out" closes the turn
    opened under ``in_key`` (the check-out may have been queued before the check-in reached the server), else
    the open one. True: recorded; False: a resend, nothing added. ValidationError: a rule refuses it."""
    mid = application.municipality_id
    turns = Attendance.objects.for_tenant(mid)
    if action == "in":
        known = turns.filter(client_key=key).exists()
        attendance_check_in(actor=actor, application=application, client_key=key, at=at)
        return not known
    mine = turns.filter(application=application)
    attendance = mine.filter(client_key=in_key).first() if in_key else mine.filter(checked_out_at__isnull=True).first()
    if attendance is None:
        raise ValidationError(
            {
                "application": _("There is no check-in to close for %(title)s.")
                % {"title": application.opportunity.title}
            }
        )
    already = attendance.checked_out_at is not None
    attendance_check_out(actor=actor, attendance=attendance, at=at)
    return not already


@transaction.atomic
def attendance_check_out(*, actor: Any, attendance: Attendance, at: datetime.datetime | None = None) -> Attendance:
    if attendance.checked_out_at is not None:
        return attendance  # a resend: already out
    moment = at or timezone.now()
    if moment <= attendance.checked_in_at:
        raise ValidationError({"checked_out_at": _("The check-out is before the check-in.")})
    hours = Decimal((moment - attendance.checked_in_at).total_seconds() / 3600).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    attendance.checked_out_at = moment
    attendance.hours = min(hours, MAX_SHIFT_HOURS)
    attendance.save(update_fields=["checked_out_at", "hours"])
    audit_record(action="attendance.check_out", actor=actor, obj=attendance, changes={"hours": str(attendance.hours)})
    return attendance


@transaction.atomic
def attendance_confirm(
    *, actor: Any, attendance: Attendance, confirm: bool = True, hours: Decimal | None = None
) -> Attendance:
    """The organiser confirms (or rejects) the hours of one turn; confirmed hours earn points by the rules."""
    if not policy.can(actor, "change", attendance):
        raise PermissionDenied
    attendance = Attendance.objects.for_tenant(attendance.municipality_id).select_for_update().get(pk=attendance.pk)
    if attendance.status != AttendanceStatus.RECORDED:
        raise ValidationError({"status": _("These hours were already decided.")})
    if confirm and attendance.checked_out_at is None and hours is None:
        raise ValidationError({"hours": _("The volunteer has not checked out: write the hours.")})
    if hours is not None:
        if hours <= 0 or hours > MAX_SHIFT_HOURS:
            raise ValidationError({"hours": _("Write between 0.25 and 16 hours.")})
        attendance.hours = hours
    attendance.status = AttendanceStatus.CONFIRMED if confirm else AttendanceStatus.REJECTED
    attendance.confirmed_by = actor
    attendance.confirmed_at = timezone.now()
    attendance.save(update_fields=["status", "hours", "confirmed_by", "confirmed_at"])
    audit_record(
        action="attendance.confirm" if confirm else "attendance.reject",
        actor=actor,
        obj=attendance,
        changes={"hours": str(attendance.hours)},
    )
    if confirm:
        _mark_initiative_held(attendance)
        points_award(attendance=attendance, actor=actor)
    return attendance


def _mark_initiative_held(attendance: Attendance) -> None:
    opportunity = attendance.application.opportunity
    if opportunity.activity_id:
        Activity.objects.for_tenant(attendance.municipality_id).filter(
            pk=opportunity.activity_id, status=ActivityStatus.PLANNED
        ).update(status=ActivityStatus.HELD)


def points_award(*, attendance: Attendance, actor: Any) -> PointsEntry | None:
    """Points for one confirmed attendance, by the rule in force on its day, within the day's cap.
    Called only from a confirmation; never twice for one attendance (a unique constraint)."""
    if attendance.status != AttendanceStatus.CONFIRMED:
        raise ValidationError({"status": _("Points are given only for confirmed hours.")})
    application = attendance.application
    volunteer = application.volunteer
    reason = PointsReason.CIVIC if application.opportunity.civic else PointsReason.HOURS
    rule = points_rule_in_force(municipality=attendance.municipality_id, reason=reason, on=attendance.day)
    if rule is None:
        return None
    raw = rule.points if reason == PointsReason.CIVIC else int(Decimal(rule.points) * attendance.hours)
    earned_today = (
        PointsEntry.objects.for_tenant(attendance.municipality_id)
        .filter(volunteer=volunteer, day=attendance.day, points__gt=0)
        .aggregate(n=Sum("points"))["n"]
        or 0
    )
    points = max(0, min(raw, rule.daily_cap - earned_today))
    if points == 0:
        return None
    entry = PointsEntry.objects.for_tenant(attendance.municipality_id).create(
        municipality_id=attendance.municipality_id,
        volunteer=volunteer,
        attendance=attendance,
        reason=reason,
        day=attendance.day,
        points=points,
    )
    audit_record(action="points.award", actor=actor, obj=entry, changes={"points": points, "reason": reason})
    return entry


# --- rewards ----------------------------------------------------------------------------------------------


@transaction.atomic
def reward_create(
    *,
    actor: Any,
    municipality: Any,
    partner: Organisation,
    title: str,
    cost: int,
    stock: int,
    description: str = "",
    valid_to: datetime.date | None = None,
) -> Reward:
    mid = _mid(municipality)
    errors: dict[str, str] = {}
    if partner.municipality_id != mid:
        errors["partner"] = _("Choose an organisation of this municipality.")
    elif not can_partner_for(actor, partner.pk):
        errors["partner"] = _("You offer rewards only for your own organisation.")
    if not title.strip():
        errors["title"] = _("Name the reward.")
    if cost < 1:
        errors["cost"] = _("A reward costs at least one point.")
    if stock < 0:
        errors["stock"] = _("The stock cannot be negative.")
    if errors:
        raise ValidationError(errors)
    reward = Reward.objects.for_tenant(mid).create(
        municipality_id=mid,
        partner=partner,
        title=title.strip(),
        description=description.strip(),
        cost=cost,
        stock=stock,
        valid_to=valid_to,
    )
    audit_record(action="reward.create", actor=actor, obj=reward, changes={"cost": cost, "stock": stock})
    return reward


@transaction.atomic
def reward_redeem(*, volunteer: Volunteer, reward: Reward) -> Redemption:
    """The volunteer spends points on a reward: a single-use code; the stock and the balance go down."""
    mid = volunteer.municipality_id
    if reward.municipality_id != mid:
        raise ValidationError({"reward": _("This reward is not offered here.")})
    # Lock the volunteer and the reward: two redemptions at once never overspend.
    Volunteer.objects.for_tenant(mid).select_for_update().get(pk=volunteer.pk)
    reward = Reward.objects.for_tenant(mid).select_for_update().get(pk=reward.pk)
    today = timezone.localdate()
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise ValidationError({"reward": _("Your sign-up has not been approved yet.")})
    if not reward.is_active or (reward.valid_to and reward.valid_to < today):
        raise ValidationError({"reward": _("This reward is no longer offered.")})
    if reward.stock < 1:
        raise ValidationError({"reward": _("This reward is out of stock.")})
    if points_balance(volunteer=volunteer) < reward.cost:
        raise ValidationError({"reward": _("You do not have enough points for this reward.")})
    redemption = None
    for _attempt in range(5):
        try:
            with transaction.atomic():
                redemption = Redemption.objects.for_tenant(mid).create(
                    municipality_id=mid, reward=reward, volunteer=volunteer, code=_code()
                )
            break
        except IntegrityError:  # pragma: no cover  (a code drawn twice)
            continue
    if redemption is None:  # pragma: no cover
        raise ValidationError({"reward": _("Try again.")})
    reward.stock -= 1
    reward.save(update_fields=["stock"])
    PointsEntry.objects.for_tenant(mid).create(
        municipality_id=mid,
        volunteer=volunteer,
        redemption=redemption,
        reason="redeem",
        day=today,
        points=-reward.cost,
    )
    audit_record(action="reward.redeem", actor=volunteer.user, obj=redemption, changes={"cost": reward.cost})
    return redemption


@transaction.atomic
def redemption_use(*, actor: Any, municipality: Any, code: str) -> Redemption:
    """The partner checks a code at its counter: valid once, and only for the partner's own rewards."""
    partner_ids = partner_organisation_ids(actor)
    if not partner_ids:
        raise PermissionDenied
    clean = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    redemption = (
        Redemption.objects.for_tenant(municipality)
        .select_for_update()
        .filter(code=clean, reward__partner_id__in=partner_ids)
        .select_related("reward")
        .first()
    )
    if redemption is None:
        raise ValidationError({"code": _("This code is not one of your rewards.")})
    if redemption.used_at is not None:
        raise ValidationError({"code": _("This code was already used.")})
    redemption.used_at = timezone.now()
    redemption.used_by = actor
    redemption.save(update_fields=["used_at", "used_by"])
    audit_record(action="redemption.use", actor=actor, obj=redemption)
    return redemption


# --- certificate ------------------------------------------------------------------------------------------


@transaction.atomic
def certificate_issue(
    *, actor: Any, volunteer: Volunteer, period_from: datetime.date, period_to: datetime.date
) -> Certificate:
    """A certificate of the hours the organisers confirmed in the period, with a verification code."""
    from .selectors import confirmed_hours

    if period_to < period_from:
        raise ValidationError({"period_to": _("The period ends before it starts.")})
    hours = confirmed_hours(volunteer=volunteer, date_from=period_from, date_to=period_to)
    certificate = Certificate.objects.for_tenant(volunteer.municipality_id).create(
        municipality_id=volunteer.municipality_id,
        volunteer=volunteer,
        code=_code(12),
        hours=hours,
        period_from=period_from,
        period_to=period_to,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action="certificate.issue", actor=actor, obj=certificate, changes={"hours": str(hours)})
    return certificate

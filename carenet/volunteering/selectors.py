"""Every read of volunteering beyond a ``get``: the tenant's rules in force, a volunteer's hours, points,
level and badges, the organiser's lists, the partner's codes, and KPI 12."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from carenet.accounts.models import Membership
from carenet.activities.models import KindCategory
from carenet.activities.selectors import ActivityFilter, activity_count
from carenet.core.roles import Role

from .models import (
    Application,
    ApplicationStatus,
    Attendance,
    AttendanceStatus,
    Certificate,
    Opportunity,
    OpportunityStatus,
    PointsEntry,
    PointsRule,
    Recognition,
    RecognitionKind,
    Redemption,
    Reward,
    Skill,
    Volunteer,
    VolunteeringPolicy,
)
from .permissions import applications_visible_to, attendances_visible_to, opportunities_visible_to


def _in_force(qs: QuerySet, on: datetime.date) -> QuerySet:
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def policy_in_force(*, municipality: Any, on: datetime.date | None = None) -> VolunteeringPolicy | None:
    day = on or timezone.localdate()
    return _in_force(VolunteeringPolicy.objects.for_tenant(municipality), day).order_by("-valid_from").first()


def skills_in_force(*, municipality: Any) -> QuerySet[Skill]:
    return Skill.objects.for_tenant(municipality)


def points_rule_in_force(*, municipality: Any, reason: str, on: datetime.date) -> PointsRule | None:
    return (
        _in_force(PointsRule.objects.for_tenant(municipality).filter(reason=reason), on).order_by("-valid_from").first()
    )


def points_rules(*, municipality: Any) -> QuerySet[PointsRule]:
    return PointsRule.objects.for_tenant(municipality)


# --- the volunteer's own page ---------------------------------------------------------------------------


def volunteer_of(*, user: Any, municipality: Any) -> Volunteer | None:
    """The signed-in citizen's own volunteer record in this municipality (None if they have not signed up)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.for_tenant(municipality).filter(user=user).first()


def confirmed_hours(
    *, volunteer: Volunteer, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> Decimal:
    """Hours the organisers confirmed (the only hours that count anywhere)."""
    qs = Attendance.objects.for_tenant(volunteer.municipality_id).filter(
        application__volunteer=volunteer, status=AttendanceStatus.CONFIRMED
    )
    if date_from:
        qs = qs.filter(day__gte=date_from)
    if date_to:
        qs = qs.filter(day__lte=date_to)
    return qs.aggregate(n=Sum("hours"))["n"] or Decimal("0")


def points_balance(*, volunteer: Volunteer) -> int:
    return int(
        PointsEntry.objects.for_tenant(volunteer.municipality_id)
        .filter(volunteer=volunteer)
        .aggregate(n=Sum("points"))["n"]
        or 0
    )


def points_earned(*, volunteer: Volunteer) -> int:
    return int(
        PointsEntry.objects.for_tenant(volunteer.municipality_id)
        .filter(volunteer=volunteer, points__gt=0)
        .aggregate(n=Sum("points"))["n"]
        or 0
    )


@dataclass(frozen=True)
class Standing:
    hours: Decimal
    balance: int
    earned: int
    level: Recognition | None
    next_level: Recognition | None
    badges: list[Recognition]


def volunteer_standing(*, volunteer: Volunteer, on: datetime.date | None = None) -> Standing:
    day = on or timezone.localdate()
    hours = confirmed_hours(volunteer=volunteer)
    earned = points_earned(volunteer=volunteer)
    recognitions = list(_in_force(Recognition.objects.for_tenant(volunteer.municipality_id), day))
    levels = [r for r in recognitions if r.kind == RecognitionKind.LEVEL]
    reached = [r for r in levels if r.threshold <= earned]
    ahead = [r for r in levels if r.threshold > earned]
    return Standing(
        hours=hours,
        balance=points_balance(volunteer=volunteer),
        earned=earned,
        level=reached[-1] if reached else None,
        next_level=ahead[0] if ahead else None,
        badges=[r for r in recognitions if r.kind == RecognitionKind.BADGE and r.threshold <= hours],
    )


def volunteer_applications(*, volunteer: Volunteer) -> QuerySet[Application]:
    return (
        Application.objects.for_tenant(volunteer.municipality_id)
        .filter(volunteer=volunteer)
        .select_related("opportunity", "opportunity__organisation")
    )


def volunteer_attendances(*, volunteer: Volunteer) -> QuerySet[Attendance]:
    return (
        Attendance.objects.for_tenant(volunteer.municipality_id)
        .filter(application__volunteer=volunteer)
        .select_related("application__opportunity")
    )


def volunteer_redemptions(*, volunteer: Volunteer) -> QuerySet[Redemption]:
    return Redemption.objects.for_tenant(volunteer.municipality_id).filter(volunteer=volunteer).select_related("reward")


def open_opportunities(*, municipality: Any, on: datetime.date | None = None) -> QuerySet[Opportunity]:
    day = on or timezone.localdate()
    return (
        Opportunity.objects.for_tenant(municipality)
        .filter(status=OpportunityStatus.OPEN)
        .filter(Q(ends_on__isnull=True, starts_on__gte=day) | Q(ends_on__gte=day))
        .select_related("organisation")
        .annotate(
            taken=Count(
                "applications",
                filter=Q(applications__status=ApplicationStatus.CONFIRMED),
            )
        )
    )


def reward_catalogue(*, municipality: Any, on: datetime.date | None = None) -> QuerySet[Reward]:
    day = on or timezone.localdate()
    return (
        Reward.objects.for_tenant(municipality)
        .filter(is_active=True, stock__gt=0)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("partner")
    )


def certificate_by_code(*, municipality: Any, code: str) -> Certificate | None:
    clean = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if not clean:
        return None
    return Certificate.objects.for_tenant(municipality).filter(code=clean).select_related("volunteer").first()


# --- staff ------------------------------------------------------------------------------------------------


def opportunity_list(*, user: Any) -> QuerySet[Opportunity]:
    return (
        opportunities_visible_to(user)
        .select_related("organisation")
        .annotate(
            applied=Count("applications", filter=Q(applications__status=ApplicationStatus.APPLIED)),
            confirmed=Count("applications", filter=Q(applications__status=ApplicationStatus.CONFIRMED)),
        )
        .order_by("-starts_on")
    )


def opportunity_applications(*, user: Any, opportunity: Opportunity) -> QuerySet[Application]:
    return applications_visible_to(user).filter(opportunity=opportunity).select_related("volunteer")


def hours_to_confirm(*, user: Any, opportunity: Opportunity | None = None) -> QuerySet[Attendance]:
    qs = attendances_visible_to(user).filter(status=AttendanceStatus.RECORDED)
    if opportunity is not None:
        qs = qs.filter(application__opportunity=opportunity)
    return qs.select_related("application__volunteer", "application__opportunity").order_by("day")


def partner_redemptions(*, partner_ids: frozenset[Any], municipality: Any) -> list[dict[str, Any]]:
    """What a partner sees of redemptions: the code, the reward and the dates. Never the volunteer."""
    return list(
        Redemption.objects.for_tenant(municipality)
        .filter(reward__partner_id__in=partner_ids)
        .order_by("-created_at")
        .values("code", "reward__title", "created_at", "used_at")[:200]
    )


def partner_rewards(*, partner_ids: frozenset[Any], municipality: Any) -> QuerySet[Reward]:
    return Reward.objects.for_tenant(municipality).filter(partner_id__in=partner_ids).select_related("partner")


# --- KPI 12 -----------------------------------------------------------------------------------------------


def supported_initiatives(
    *,
    municipality: Any,
    date_from: datetime.date,
    date_to: datetime.date,
    organisation_ids: tuple[Any, ...] = (),
) -> int:
    """KPI 12, volunteering initiatives supported by the municipality: the held initiatives of the
    activities register (every opportunity with a confirmed turn is one of them). One figure, one selector:
    this is ``activities.selectors.activity_count`` over the volunteering category, which the KPI calls."""
    return activity_count(
        municipality=municipality,
        date_from=date_from,
        date_to=date_to,
        filters=ActivityFilter(organisation_ids=organisation_ids, categories=(KindCategory.VOLUNTEERING,)),
    )


def enlisted_for_calls(*, volunteer: Volunteer) -> bool:
    """The volunteer holds the campaign volunteer's role: the heat-wave campaigns may give them a call list."""
    if volunteer.user_id is None:
        return False
    return (
        Membership.objects.for_tenant(volunteer.municipality_id)
        .filter(user_id=volunteer.user_id, role=Role.CAMPAIGN_VOLUNTEER, is_active=True)
        .exists()
    )

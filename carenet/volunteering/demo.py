"""The demo's volunteering (Baia Mare): the municipality's rules as tenant data, "Baia Mare Voluntar"
(coordinated by the City Hall, strategy line 284) and the Volunteering Centre of the elderly service (line
925) offering synthetic opportunities over a year, synthetic volunteers with confirmed and pending hours,
points by the rules, rewards (synthetic examples, offered in the City Hall's name until real partners are
recorded) and a few codes. Real organisations only; no contact of theirs is invented.

Bălți gets nothing: Moldova's volunteering law (December 2025) is not verified in its official text, so
the municipality enters its own rules (decision 0022).

Fast: rows are written in bulk (one audit event per loaded table, not per row).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from carenet.activities.models import Activity, ActivityKind, ActivityStatus, KindCategory
from carenet.audit.services import audit_record
from carenet.core.models import Municipality, Organisation

from .models import (
    Application,
    ApplicationStatus,
    Attendance,
    AttendanceStatus,
    Opportunity,
    OpportunityKind,
    PointsEntry,
    PointsReason,
    PointsRule,
    Recognition,
    RecognitionKind,
    Redemption,
    Reward,
    Skill,
    Volunteer,
    VolunteeringPolicy,
    VolunteerStatus,
)

SEED = 2126
YEAR_START = datetime.date(2025, 1, 1)

SKILLS = [
    ("varstnici", "Sprijin pentru persoane vârstnice"),
    ("copii", "Activități cu copiii"),
    ("evenimente", "Organizare de evenimente"),
    ("ecologizare", "Ecologizare și mediu"),
    ("digital", "Competențe digitale"),
    ("transport", "Șofer / transport"),
]
FIRST = [
    "Ana",
    "Maria",
    "Ioana",
    "Elena",
    "Andreea",
    "Ion",
    "Andrei",
    "Mihai",
    "Vlad",
    "Erika",
    "Zsófia",
    "Levente",
    "Bogdan",
    "Cristina",
    "Raluca",
    "Tudor",
    "Gabriela",
    "Sorin",
    "Réka",
    "Dorina",
]
LAST = [
    "Pop",
    "Pintea",
    "Mureșan",
    "Bud",
    "Hossu",
    "Todea",
    "Rus",
    "Kovács",
    "Szabó",
    "Nagy",
    "Ardelean",
    "Câmpean",
    "Marinescu",
    "Sabău",
    "Bledea",
    "Lazăr",
    "Oros",
    "Varga",
    "Dragoș",
    "Petrovan",
]
# (organisation code, title, kind, weekdays, skills, with vulnerable people, civic)
OPPORTUNITIES = [
    (
        "centrul-voluntariat",
        "Sesiuni intergeneraționale în școli",
        OpportunityKind.RECURRING,
        [2],
        ["varstnici", "copii"],
        True,
        False,
    ),
    (
        "centrul-voluntariat",
        "Socializare la Centrul de zi pentru vârstnici",
        OpportunityKind.RECURRING,
        [1, 3],
        ["varstnici"],
        True,
        False,
    ),
    ("centrul-voluntariat", "Ateliere de ergoterapie", OpportunityKind.RECURRING, [4], ["varstnici"], True, False),
    (
        "centrul-voluntariat",
        "Ajutor digital pentru vârstnici",
        OpportunityKind.RECURRING,
        [0],
        ["digital"],
        True,
        False,
    ),
    (
        "primaria",
        "Baia Mare Voluntar: ecologizarea malurilor Săsarului",
        OpportunityKind.ONE_OFF,
        [],
        ["ecologizare"],
        False,
        True,
    ),
    ("primaria", "Baia Mare Voluntar: plantare de arbori", OpportunityKind.ONE_OFF, [], ["ecologizare"], False, True),
    (
        "primaria",
        "Baia Mare Voluntar: sprijin la evenimentele orașului",
        OpportunityKind.ONE_OFF,
        [],
        ["evenimente"],
        False,
        False,
    ),
    (
        "primaria",
        "Baia Mare Voluntar: colectă de alimente",
        OpportunityKind.ONE_OFF,
        [],
        ["evenimente", "transport"],
        False,
        True,
    ),
]
REWARDS = [
    ("Bilet la un eveniment cultural al municipiului", 150, 40),
    ("Intrare la bazinul de înot", 100, 60),
    ("Abonament de transport local (o lună)", 400, 15),
    ("Invitație la gala voluntarilor", 250, 30),
]


def load(*, stdout: Any = None) -> None:
    municipality = Municipality.objects.filter(slug="baia-mare").first()
    if municipality is None or Volunteer.objects.for_tenant(municipality).filter(is_synthetic=True).exists():
        return
    with transaction.atomic():
        counts = _load(municipality)
    if stdout:
        stdout.write(
            f"  {municipality.name}: volunteering rules, {counts['opportunities']} synthetic opportunities, "
            f"{counts['volunteers']} synthetic volunteers, {counts['hours']} confirmed hours, {counts['codes']} codes"
        )


def _rules(m: Municipality) -> None:
    mid = m.pk
    VolunteeringPolicy.objects.for_tenant(m).get_or_create(
        valid_from=YEAR_START,
        defaults={
            "municipality_id": mid,
            "adult_age": 18,
            "minimum_age": 15,
            "background_check_months": 12,
            "gamification": True,
            "legal_basis": "Legea nr. 78/2014 privind reglementarea activității de voluntariat în România",
        },
    )
    Skill.objects.bulk_create([Skill(municipality_id=mid, code=c, name=n, order=i) for i, (c, n) in enumerate(SKILLS)])
    PointsRule.objects.bulk_create(
        [
            PointsRule(municipality_id=mid, reason=PointsReason.HOURS, points=10, daily_cap=80, valid_from=YEAR_START),
            PointsRule(municipality_id=mid, reason=PointsReason.CIVIC, points=30, daily_cap=80, valid_from=YEAR_START),
        ]
    )
    Recognition.objects.bulk_create(
        [
            Recognition(municipality_id=mid, kind=kind, code=code, name=name, threshold=t, valid_from=YEAR_START)
            for kind, code, name, t in (
                (RecognitionKind.LEVEL, "bronz", "Voluntar de bronz", 50),
                (RecognitionKind.LEVEL, "argint", "Voluntar de argint", 200),
                (RecognitionKind.LEVEL, "aur", "Voluntar de aur", 500),
                (RecognitionKind.BADGE, "10-ore", "10 ore de voluntariat", 10),
                (RecognitionKind.BADGE, "50-ore", "50 de ore de voluntariat", 50),
                (RecognitionKind.BADGE, "100-ore", "100 de ore de voluntariat", 100),
            )
        ]
    )


def _load(m: Municipality) -> dict[str, int]:
    rng = random.Random(SEED)
    mid = m.pk
    _rules(m)
    orgs = {o.code: o for o in Organisation.objects.for_tenant(m).filter(code__in=["centrul-voluntariat", "primaria"])}
    kind = (
        ActivityKind.objects.for_tenant(m).filter(category=KindCategory.VOLUNTEERING).order_by("order", "code").first()
    )
    today = timezone.localdate()
    opportunities: list[Opportunity] = []
    for n, (code, title, okind, weekdays, skills, vulnerable, civic) in enumerate(OPPORTUNITIES):
        org = orgs.get(code)
        if org is None:
            continue
        if okind == OpportunityKind.RECURRING:
            starts, ends = YEAR_START + datetime.timedelta(days=14 * n), today + datetime.timedelta(days=120)
        else:
            starts = YEAR_START + datetime.timedelta(days=40 * n + 10)
            starts = starts if starts < today else today + datetime.timedelta(days=10 + n)
            ends = None
        activity = None
        if kind is not None:
            activity = Activity.objects.for_tenant(m).create(
                municipality_id=mid,
                kind=kind,
                title=title,
                status=ActivityStatus.HELD if starts <= today else ActivityStatus.PLANNED,
                starts_on=starts,
                ends_on=ends,
                organiser=org,
                is_synthetic=True,
            )
        opportunities.append(
            Opportunity(
                municipality_id=mid,
                organisation=org,
                title=title,
                kind=okind,
                starts_on=starts,
                ends_on=ends,
                weekdays=weekdays,
                start_time=datetime.time(10) if okind == OpportunityKind.RECURRING else datetime.time(9),
                end_time=datetime.time(12) if okind == OpportunityKind.RECURRING else datetime.time(13),
                place="",
                skills=skills,
                spots=rng.choice([6, 8, 10, 15]) if okind == OpportunityKind.RECURRING else 30,
                with_vulnerable=vulnerable,
                civic=civic,
                activity=activity,
                is_synthetic=True,
            )
        )
    Opportunity.objects.bulk_create(opportunities)

    volunteers: list[Volunteer] = []
    for i in range(60):
        born = datetime.date(rng.randint(1950, 2007), rng.randint(1, 12), rng.randint(1, 28))
        minor = (today - born).days < 18 * 365.25
        cleared = rng.random() < 0.7
        volunteers.append(
            Volunteer(
                municipality_id=mid,
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                birth_date=born,
                skills=rng.sample([c for c, _ in SKILLS], k=rng.randint(1, 3)),
                weekdays=sorted(rng.sample(range(7), k=rng.randint(1, 4))),
                guardian_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}" if minor else "",
                guardian_consent_on=YEAR_START if minor else None,
                background_check="cleared" if cleared else "none",
                background_checked_on=YEAR_START + datetime.timedelta(days=rng.randint(0, 60)) if cleared else None,
                background_valid_to=today + datetime.timedelta(days=rng.randint(30, 300)) if cleared else None,
                status=VolunteerStatus.ACTIVE if i < 55 else VolunteerStatus.PENDING,
                is_synthetic=True,
            )
        )
    Volunteer.objects.bulk_create(volunteers)

    applications: list[Application] = []
    for v in volunteers[:55]:
        for o in rng.sample(opportunities, k=rng.randint(1, 3)):
            if o.with_vulnerable and v.background_check != "cleared":
                continue
            applications.append(
                Application(
                    municipality_id=mid,
                    opportunity=o,
                    volunteer=v,
                    status=ApplicationStatus.CONFIRMED if rng.random() < 0.85 else ApplicationStatus.APPLIED,
                    decided_at=timezone.now(),
                )
            )
    Application.objects.bulk_create(applications)

    rules = {r.reason: r for r in PointsRule.objects.for_tenant(m)}
    attendances: list[Attendance] = []
    for a in applications:
        if a.status != ApplicationStatus.CONFIRMED:
            continue
        o = a.opportunity
        days = _days(o, today, rng)
        for day in days:
            start = timezone.make_aware(datetime.datetime.combine(day, o.start_time or datetime.time(10)))
            hours = Decimal(rng.choice(["2", "2", "2.5", "3", "4"]))
            confirmed = day < today - datetime.timedelta(days=7) or rng.random() < 0.5
            attendances.append(
                Attendance(
                    municipality_id=mid,
                    application=a,
                    day=day,
                    checked_in_at=start,
                    checked_out_at=start + datetime.timedelta(hours=float(hours)),
                    hours=hours,
                    status=AttendanceStatus.CONFIRMED if confirmed else AttendanceStatus.RECORDED,
                    confirmed_at=start + datetime.timedelta(days=1) if confirmed else None,
                )
            )
    Attendance.objects.bulk_create(attendances)

    # Points by the rules (the same arithmetic as services.points_award, written in bulk), within the daily cap.
    earned: dict[tuple[Any, datetime.date], int] = {}
    entries: list[PointsEntry] = []
    for t in attendances:
        if t.status != AttendanceStatus.CONFIRMED:
            continue
        reason = PointsReason.CIVIC if t.application.opportunity.civic else PointsReason.HOURS
        rule = rules[reason]
        raw = rule.points if reason == PointsReason.CIVIC else int(Decimal(rule.points) * t.hours)
        key = (t.application.volunteer.pk, t.day)
        points = max(0, min(raw, rule.daily_cap - earned.get(key, 0)))
        if points:
            earned[key] = earned.get(key, 0) + points
            entries.append(
                PointsEntry(
                    municipality_id=mid,
                    volunteer=t.application.volunteer,
                    attendance=t,
                    reason=reason,
                    day=t.day,
                    points=points,
                )
            )
    PointsEntry.objects.bulk_create(entries)

    partner = orgs.get("primaria")
    codes = 0
    if partner is not None:
        rewards = Reward.objects.bulk_create(
            [
                Reward(
                    municipality_id=mid,
                    partner=partner,
                    title=title,
                    description="Exemplu sintetic: recompensa reală se înregistrează de partener.",
                    cost=cost,
                    stock=stock,
                    is_synthetic=True,
                )
                for title, cost, stock in REWARDS
            ]
        )
        balance: dict[Any, int] = {}
        for e in entries:
            balance[e.volunteer.pk] = balance.get(e.volunteer.pk, 0) + e.points
        spent: list[PointsEntry] = []
        for v in volunteers[1:30]:
            reward = rng.choice(rewards)
            if balance.get(v.pk, 0) < reward.cost or reward.stock < 1:
                continue
            redemption = Redemption.objects.for_tenant(m).create(
                municipality_id=mid,
                reward=reward,
                volunteer=v,
                code=f"DEMO{codes + 1:04d}",
                used_at=timezone.now() if rng.random() < 0.5 else None,
            )
            reward.stock -= 1
            reward.save(update_fields=["stock"])
            spent.append(
                PointsEntry(
                    municipality_id=mid,
                    volunteer=v,
                    redemption=redemption,
                    reason="redeem",
                    day=today,
                    points=-reward.cost,
                )
            )
            codes += 1
        PointsEntry.objects.bulk_create(spent)
    confirmed_hours = sum(t.hours for t in attendances if t.status == AttendanceStatus.CONFIRMED)
    audit_record(
        action="volunteering.demo_load",
        actor=None,
        municipality=m,
        object_type="volunteering",
        changes={"volunteers": len(volunteers), "attendances": len(attendances)},
    )
    return {
        "opportunities": len(opportunities),
        "volunteers": len(volunteers),
        "hours": int(confirmed_hours),
        "codes": codes,
    }


def _days(o: Opportunity, today: datetime.date, rng: random.Random) -> list[datetime.date]:
    if o.kind == OpportunityKind.ONE_OFF:
        return [o.starts_on] if o.starts_on < today else []
    days = []
    day = o.starts_on
    while day < today:
        if day.weekday() in o.weekdays and rng.random() < 0.35:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days[-20:]

"""Every read of the canteen: the rules in force, the decisions active in a month, the counter's lookups, the
monthly statement and the reports. One figure, one selector: the meals by category and unit
(``meal_counts``) feed the statement, the reports page and the plan indicator alike."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from carenet.accounts.models import Membership

from .eligibility import contribution_due
from .models import (
    AidAllocation,
    Application,
    CanteenUnit,
    CardStatus,
    Category,
    ContributionPayment,
    Decision,
    DeliveryAbsence,
    DeliveryRound,
    ListStatus,
    Meal,
    MealCard,
    MealKind,
    NominalEntry,
    NominalList,
    Outcome,
    RoundStop,
    RuleSet,
)
from .permissions import (
    applications_visible_to,
    cards_visible_to,
    decisions_visible_to,
    lists_visible_to,
    units_visible_to,
)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def rules_in_force(*, municipality: Any, on: datetime.date) -> RuleSet | None:
    return (
        RuleSet.objects.for_tenant(municipality)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


def categories_in_force(*, municipality: Any, on: datetime.date) -> list[Category]:
    qs = (
        Category.objects.for_tenant(municipality)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    )
    return list(qs.order_by("order", "code"))


def category_caps(*, municipality: Any, on: datetime.date) -> dict[str, int]:
    return {
        c.code: c.days_cap_per_year
        for c in categories_in_force(municipality=municipality, on=on)
        if c.days_cap_per_year
    }


def _overlap_days(start: datetime.date, end: datetime.date, year: int) -> int:
    lo, hi = max(start, datetime.date(year, 1, 1)), min(end, datetime.date(year, 12, 31))
    return max((hi - lo).days + 1, 0)


def days_granted(*, municipality: Any, person: Any, category: str, year: int, exclude: Any = None) -> int:
    """Days of ``year`` the person's approved decisions of ``category`` cover (the 90-day cap of art. 2 (2))."""
    qs = Decision.objects.for_tenant(municipality).filter(
        person=person,
        category=category,
        outcome=Outcome.APPROVED,
        valid_from__lte=datetime.date(year, 12, 31),
        valid_to__gte=datetime.date(year, 1, 1),
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return sum(_overlap_days(d.valid_from, d.last_day, year) for d in qs if d.last_day and d.last_day >= d.valid_from)


def days_served(*, municipality: Any, person: Any, category: str, year: int) -> int:
    """Distinct days of ``year`` the person was served a meal under ``category``."""
    return (
        Meal.objects.for_tenant(municipality)
        .filter(person=person, category=category, served_on__year=year)
        .values("served_on")
        .distinct()
        .count()
    )


# --- lists for the pages ------------------------------------------------------------------------------------


def applications(*, user: Any) -> QuerySet[Application]:
    return applications_visible_to(user).select_related("person", "organisation", "unit")


def units(*, user: Any) -> QuerySet[CanteenUnit]:
    return units_visible_to(user).select_related("organisation", "office")


def lists(*, user: Any) -> QuerySet[NominalList]:
    return lists_visible_to(user).select_related("unit").annotate(size=Count("entries"))


def decisions_of(*, application: Application) -> QuerySet[Decision]:
    return (
        Decision.objects.for_tenant(application.municipality_id)
        .filter(application=application)
        .order_by("-decided_on", "-created_at")
    )


def cards_of_unit(*, user: Any, unit: CanteenUnit) -> QuerySet[MealCard]:
    return cards_visible_to(user).filter(unit=unit).select_related("person", "decision").order_by("number")


def decisions_active(*, municipality: Any, unit: Any, month: datetime.date) -> QuerySet[Decision]:
    """Approved decisions of ``unit`` in force on at least one day of ``month`` (the nominal list's source)."""
    first, last = month_bounds(month)
    return (
        Decision.objects.for_tenant(municipality)
        .filter(unit=unit, outcome=Outcome.APPROVED, valid_from__lte=last, valid_to__gte=first)
        .exclude(ended_on__lt=first)
        .select_related("person")
    )


def list_entries(*, nominal_list: NominalList) -> QuerySet[NominalEntry]:
    return NominalEntry.objects.for_tenant(nominal_list.municipality_id).filter(nominal_list=nominal_list)


def latest_list(*, municipality: Any, unit: Any, month: datetime.date) -> NominalList | None:
    return (
        NominalList.objects.for_tenant(municipality)
        .filter(unit=unit, month=month.replace(day=1))
        .order_by("-version")
        .first()
    )


# --- the counter -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CounterRow:
    card: str
    name: str
    lunch: bool
    dinner: bool
    home_delivery: bool
    served: tuple[str, ...]  # kinds already served today


def counter_find(*, unit: CanteenUnit, query: str, on: datetime.date, limit: int = 12) -> list[CounterRow]:
    """Active cards of the unit in force today matching a card number or a name (what the counter needs)."""
    query = query.strip()
    if len(query) < 2:
        return []
    qs = (
        MealCard.objects.for_tenant(unit.municipality_id)
        .filter(unit=unit, status=CardStatus.ACTIVE, decision__valid_from__lte=on, decision__valid_to__gte=on)
        .select_related("person", "decision")
    )
    words = query.split()
    if any(ch.isdigit() for ch in query):
        qs = qs.filter(number__icontains=query)
    else:
        for word in words:
            qs = qs.filter(Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word))
    cards = list(qs.order_by("person__last_name", "person__first_name")[:limit])
    served: dict[Any, set[str]] = defaultdict(set)
    for person_id, kind in (
        Meal.objects.for_tenant(unit.municipality_id)
        .filter(person_id__in=[c.person_id for c in cards], served_on=on)
        .values_list("person_id", "kind")
    ):
        served[person_id].add(kind)
    return [
        CounterRow(
            card=c.number,
            name=f"{c.person.last_name} {c.person.first_name}",
            lunch=c.decision.lunch,
            dinner=c.decision.dinner,
            home_delivery=c.decision.home_delivery,
            served=tuple(sorted(served[c.person_id])),
        )
        for c in cards
        if c.decision.last_day is None or c.decision.last_day >= on
    ]


def counter_today(*, unit: CanteenUnit, on: datetime.date) -> dict[str, int]:
    counts = dict(
        Meal.objects.for_tenant(unit.municipality_id)
        .filter(unit=unit, served_on=on)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return {kind: counts.get(kind, 0) for kind in MealKind.values}


# --- the monthly statement and the reports ------------------------------------------------------------------


def meal_counts(
    *, municipality: Any, first: datetime.date, last: datetime.date, unit: Any = None
) -> dict[tuple[str, str], int]:
    """Meals served between two days by (unit id, category): the one figure behind statements and reports."""
    qs = Meal.objects.for_tenant(municipality).filter(served_on__gte=first, served_on__lte=last)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return {
        (str(row["unit_id"]), row["category"]): row["n"]
        for row in qs.values("unit_id", "category").annotate(n=Count("id")).order_by()
    }


def meals_total(*, municipality: Any, first: datetime.date, last: datetime.date, unit: Any = None) -> int:
    return sum(meal_counts(municipality=municipality, first=first, last=last, unit=unit).values())


def persons_served(*, municipality: Any, first: datetime.date, last: datetime.date) -> int:
    """Distinct persons served at least one meal between two days (the plan's canteen indicator)."""
    return (
        Meal.objects.for_tenant(municipality)
        .filter(served_on__gte=first, served_on__lte=last)
        .values("person_id")
        .distinct()
        .count()
    )


@dataclass
class StatementRow:
    name: str
    card: str
    category: str
    lunches: int
    dinners: int
    days_entitled: int
    days_served: int
    contribution: Decimal
    person_id: Any = None

    @property
    def meals(self) -> int:
        return self.lunches + self.dinners


@dataclass
class Statement:
    unit: CanteenUnit
    month: datetime.date
    rows: list[StatementRow]
    currency: str

    @property
    def meals(self) -> int:
        return sum(r.meals for r in self.rows)

    @property
    def contributions(self) -> Decimal:
        return sum((r.contribution for r in self.rows), Decimal(0))


def monthly_statement(*, unit: CanteenUnit, month: datetime.date) -> Statement:
    """The unit's month: per person the meals served (from the meals recorded), the days entitled and served,
    and the contribution due (art. 2 (3): capped at the cost of the meals served)."""
    municipality = unit.municipality_id
    first, last = month_bounds(month)
    rules = rules_in_force(municipality=municipality, on=last) or rules_in_force(municipality=municipality, on=first)
    allowance = rules.meal_allowance if rules else None
    meals = (
        Meal.objects.for_tenant(municipality)
        .filter(unit=unit, served_on__gte=first, served_on__lte=last)
        .values("person_id", "decision_id", "kind")
        .annotate(n=Count("id"), days=Count("served_on", distinct=True))
        .order_by()
    )
    per: dict[Any, dict[str, Any]] = defaultdict(lambda: {"lunch": 0, "dinner": 0, "decisions": set()})
    for row in meals:
        per[row["person_id"]][row["kind"]] += row["n"]
        per[row["person_id"]]["decisions"].add(row["decision_id"])
    days = dict(
        Meal.objects.for_tenant(municipality)
        .filter(unit=unit, served_on__gte=first, served_on__lte=last)
        .values("person_id")
        .annotate(d=Count("served_on", distinct=True))
        .values_list("person_id", "d")
    )
    decisions = {d.person_id: d for d in decisions_active(municipality=municipality, unit=unit, month=first)}
    extra = {d for v in per.values() for d in v["decisions"]} - {d.pk for d in decisions.values()}
    if extra:
        for d in Decision.objects.for_tenant(municipality).filter(pk__in=extra).select_related("person"):
            decisions.setdefault(d.person_id, d)
    cards = dict(
        MealCard.objects.for_tenant(municipality)
        .filter(unit=unit, person_id__in=list(decisions))
        .order_by("issued_at")
        .values_list("person_id", "number")
    )
    rows = []
    for person_id, decision in decisions.items():
        assert decision.valid_from is not None
        served = per.get(person_id, {"lunch": 0, "dinner": 0})
        lo = max(first, decision.valid_from)
        hi = min(last, decision.last_day or last)
        entitled = max((hi - lo).days + 1, 0)
        count = served["lunch"] + served["dinner"]
        rows.append(
            StatementRow(
                name=f"{decision.person.last_name} {decision.person.first_name}",
                card=cards.get(person_id, ""),
                category=decision.category,
                lunches=served["lunch"],
                dinners=served["dinner"],
                days_entitled=entitled,
                days_served=days.get(person_id, 0),
                contribution=contribution_due(
                    rate=decision.contribution_rate,
                    income_per_person=decision.income_per_person,
                    meals_served=count,
                    meal_allowance=allowance,
                )
                if count
                else Decimal(0),
                person_id=person_id,
            )
        )
    rows.sort(key=lambda r: r.name)
    return Statement(unit=unit, month=first, rows=rows, currency=rules.currency if rules else "")


@dataclass(frozen=True)
class CapRow:
    name: str
    category: str
    cap: int
    days: int

    @property
    def left(self) -> int:
        return max(self.cap - self.days, 0)


def cap_counts(*, user: Any, year: int) -> list[CapRow]:
    """The capped categories' count per person this year (days served), for the persons the user may see."""
    municipality = getattr(user, "municipality_id", None)
    if municipality is None:
        return []
    caps = category_caps(municipality=municipality, on=datetime.date(year, 12, 31)) or category_caps(
        municipality=municipality, on=datetime.date(year, 1, 1)
    )
    if not caps:
        return []
    visible = decisions_visible_to(user).filter(category__in=list(caps), outcome=Outcome.APPROVED)
    rows = (
        Meal.objects.for_tenant(municipality)
        .filter(served_on__year=year, category__in=list(caps), decision__in=visible)
        .values("person_id", "person__last_name", "person__first_name", "category")
        .annotate(days=Count("served_on", distinct=True))
        .order_by("-days")
    )
    return [
        CapRow(
            name=f"{r['person__last_name']} {r['person__first_name']}",
            category=r["category"],
            cap=caps[r["category"]],
            days=r["days"],
        )
        for r in rows
    ]


def sent_list_count(*, municipality: Any, month: datetime.date) -> int:
    return NominalList.objects.for_tenant(municipality).filter(month=month, status=ListStatus.SENT).count()


def aid_allocations(*, user: Any, season: Any) -> QuerySet[AidAllocation]:
    """The season's allocations (the distribution list), for the office side only."""
    return (
        AidAllocation.objects.for_tenant(season.municipality_id)
        .filter(season=season)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "item")
    )


def decisions_for_user(*, user: Any) -> QuerySet[Decision]:
    return decisions_visible_to(user).select_related("person", "unit")


def served_person_ids(*, municipality: Any, first: datetime.date, last: datetime.date) -> QuerySet:
    """The persons served at least one meal between two days, as a subquery of ids (for the plans' cells)."""
    return (
        Meal.objects.for_tenant(municipality)
        .filter(served_on__gte=first, served_on__lte=last)
        .values("person_id")
        .distinct()
    )


# The names of the plans' computed indicators over this register (carenet/plans/computations_canteen.py).
PERSONS_SERVED_LABEL = _("Persons served a meal by the social canteen")
MEALS_LABEL = _("Meals served by the social canteen")


# --- contributions: due, paid, arrears ---------------------------------------------------------------------


@dataclass(frozen=True)
class MonthBalance:
    month: datetime.date
    meals: int
    due: Decimal
    paid: Decimal
    closed: bool  # the month is over: what is still due is in arrears

    @property
    def owed(self) -> Decimal:
        return max(self.due - self.paid, Decimal(0))


@dataclass
class ContributionAccount:
    decision: Decision
    card: str
    months: list[MonthBalance]

    @property
    def name(self) -> str:
        return f"{self.decision.person.last_name} {self.decision.person.first_name}"

    @property
    def due(self) -> Decimal:
        return sum((m.due for m in self.months), Decimal(0))

    @property
    def paid(self) -> Decimal:
        return sum((m.paid for m in self.months), Decimal(0))

    @property
    def arrears(self) -> Decimal:
        """What the closed months still owe (a month overpaid does not pay another: each has its receipt)."""
        return sum((m.owed for m in self.months if m.closed), Decimal(0))

    @property
    def months_in_arrears(self) -> int:
        return sum(1 for m in self.months if m.closed and m.owed > 0)


def monthly_contribution_cap(*, decision: Decision) -> Decimal:
    """The most a month can cost the person: the rate of the income per person (before the meals' cap)."""
    return contribution_due(
        rate=decision.contribution_rate,
        income_per_person=decision.income_per_person,
        meals_served=0,
        meal_allowance=None,
    )


def contribution_accounts(
    *, unit: CanteenUnit, first: datetime.date, last: datetime.date, today: datetime.date
) -> list[ContributionAccount]:
    """Per person who owes a contribution at ``unit``, month by month from ``first`` to ``last`` (first days
    of months): the meals served, the contribution due (art. 2 (3), capped at the meals' cost — the monthly
    statement's figure), what was paid and what is in arrears. Three queries whatever the number of months."""
    municipality = unit.municipality_id
    first = first.replace(day=1)
    last = month_bounds(last)[1]
    meals = (
        Meal.objects.for_tenant(municipality)
        .filter(unit=unit, served_on__gte=first, served_on__lte=last, decision__contribution_rate__gt=0)
        .annotate(month=TruncMonth("served_on"))
        .values("decision_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    served = {(r["decision_id"], _as_date(r["month"])): r["n"] for r in meals}
    payments = (
        ContributionPayment.objects.for_tenant(municipality)
        .filter(unit=unit, month__gte=first, month__lte=last)
        .values("decision_id", "month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    paid = {(r["decision_id"], r["month"]): r["total"] for r in payments}
    ids = {d for d, _m in served} | {d for d, _m in paid}
    decisions = Decision.objects.for_tenant(municipality).filter(pk__in=ids).select_related("person").order_by("number")
    cards = dict(
        MealCard.objects.for_tenant(municipality)
        .filter(unit=unit, decision_id__in=ids)
        .order_by("issued_at")
        .values_list("decision_id", "number")
    )
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    allowances = {}
    for m in months:
        rules = rules_in_force(municipality=municipality, on=month_bounds(m)[1])
        allowances[m] = rules.meal_allowance if rules else None
    accounts = []
    for decision in decisions:
        balances = []
        for m in months:
            n = served.get((decision.pk, m), 0)
            due = (
                contribution_due(
                    rate=decision.contribution_rate,
                    income_per_person=decision.income_per_person,
                    meals_served=n,
                    meal_allowance=allowances[m],
                )
                if n
                else Decimal(0)
            )
            balances.append(
                MonthBalance(m, n, due, paid.get((decision.pk, m), Decimal(0)), closed=month_bounds(m)[1] < today)
            )
        accounts.append(ContributionAccount(decision, cards.get(decision.pk, ""), balances))
    accounts.sort(key=lambda a: (-a.arrears, a.name))
    return accounts


def _as_date(value: Any) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def contribution_paid(*, decision: Decision, month: datetime.date) -> Decimal:
    return ContributionPayment.objects.for_tenant(decision.municipality_id).filter(
        decision=decision, month=month
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)


# --- periodic re-verification ------------------------------------------------------------------------------

REVERIFY_NOTICE_DAYS = 14  # a check is listed this many days before it falls due


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DueCheck:
    decision: Decision
    last_verified: datetime.date
    due_on: datetime.date
    overdue: bool


def reverifications_due(
    *, user: Any, on: datetime.date | None = None, notice_days: int = REVERIFY_NOTICE_DAYS
) -> list[DueCheck]:
    """The approved decisions in force whose file is due for its periodic check (the tenant's interval after
    the decision or the last re-verification) within ``notice_days``, overdue first. None when the
    municipality has not set the interval."""
    from django.utils import timezone

    on = on or timezone.localdate()
    municipality = getattr(user, "municipality_id", None)
    rules = rules_in_force(municipality=municipality, on=on) if municipality else None
    if rules is None or not rules.reverify_months:
        return []
    decisions = (
        decisions_visible_to(user)
        .filter(outcome=Outcome.APPROVED, valid_from__lte=on, valid_to__gte=on)
        .exclude(ended_on__lt=on)
        .annotate(last_check=Max("reverifications__verified_on"))
        .select_related("person", "unit")
    )
    horizon = on + datetime.timedelta(days=notice_days)
    due = []
    for decision in decisions:
        last = max(filter(None, (decision.decided_on, decision.last_check)))
        due_on = add_months(last, rules.reverify_months)
        if due_on <= horizon and (decision.last_day is None or due_on <= decision.last_day):
            due.append(DueCheck(decision, last, due_on, overdue=due_on < on))
    due.sort(key=lambda c: (c.due_on, c.decision.number))
    return due


# --- home-delivery rounds -----------------------------------------------------------------------------------


def _in_force_on(on: datetime.date) -> Q:
    """Decisions in force on a day (an early end shortens the period)."""
    return Q(outcome=Outcome.APPROVED, valid_from__lte=on, valid_to__gte=on) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )


def delivery_rounds(*, unit: CanteenUnit) -> QuerySet[DeliveryRound]:
    return (
        DeliveryRound.objects.for_tenant(unit.municipality_id)
        .filter(unit=unit)
        .select_related("driver")
        .annotate(size=Count("stops"))
        .order_by("-is_active", "name")
    )


def round_stops(*, delivery_round: DeliveryRound) -> QuerySet[RoundStop]:
    return (
        RoundStop.objects.for_tenant(delivery_round.municipality_id)
        .filter(delivery_round=delivery_round)
        .select_related("person", "decision")
        .order_by("position")
    )


def unassigned_home_deliveries(*, unit: CanteenUnit, on: datetime.date) -> QuerySet[Decision]:
    """Decisions of the unit delivered at home, in force today or later, that no round carries yet."""
    tenant = unit.municipality_id
    carried = RoundStop.objects.for_tenant(tenant).values("decision_id")
    return (
        Decision.objects.for_tenant(tenant)
        .filter(unit=unit, outcome=Outcome.APPROVED, home_delivery=True, valid_to__gte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .exclude(pk__in=carried)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def drivers_of_unit(*, unit: CanteenUnit) -> QuerySet:
    """Who may drive a round: the active staff of the unit's organisation and of its office."""
    orgs = [unit.organisation_id] + ([unit.office_id] if unit.office_id else [])
    members = Membership.objects.for_tenant(unit.municipality_id).filter(
        organisation_id__in=orgs, is_active=True, user__is_active=True
    )
    return (
        get_user_model()
        .objects.filter(pk__in=members.values("user_id"))
        .order_by("last_name", "first_name", "username")
    )


@dataclass(frozen=True)
class SheetRow:
    stop_id: Any
    person_id: Any
    position: int
    name: str
    address: str
    note: str
    card: str
    status: str  # "pending", "delivered" or "absent"


def round_sheet(*, delivery_round: DeliveryRound, on: datetime.date, kind: str) -> list[SheetRow]:
    """The driver's list for one day and meal, in route order: the round's persons whose decision is in force
    that day and grants that meal, each with what was marked (a delivered meal wins over an earlier absence)."""
    tenant = delivery_round.municipality_id
    stops = list(
        round_stops(delivery_round=delivery_round).filter(
            decision__in=Decision.objects.for_tenant(tenant).filter(_in_force_on(on), **{kind: True})
        )
    )
    persons = [s.person_id for s in stops]
    delivered = set(
        Meal.objects.for_tenant(tenant)
        .filter(person_id__in=persons, served_on=on, kind=kind)
        .values_list("person_id", flat=True)
    )
    absent = set(
        DeliveryAbsence.objects.for_tenant(tenant)
        .filter(person_id__in=persons, day=on, kind=kind)
        .values_list("person_id", flat=True)
    )
    cards = dict(
        MealCard.objects.for_tenant(tenant)
        .filter(decision_id__in=[s.decision_id for s in stops], status=CardStatus.ACTIVE)
        .values_list("decision_id", "number")
    )
    return [
        SheetRow(
            stop_id=s.pk,
            person_id=s.person_id,
            position=index,
            name=f"{s.person.last_name} {s.person.first_name}",
            address=s.person.address,
            note=s.note,
            card=cards.get(s.decision_id, ""),
            status="delivered" if s.person_id in delivered else "absent" if s.person_id in absent else "pending",
        )
        for index, s in enumerate(stops, start=1)
    ]


def sheet_counts(*, rows: list[SheetRow]) -> dict[str, int]:
    """How many of a day's sheet are still to visit, delivered, absent."""
    counts = {"pending": 0, "delivered": 0, "absent": 0}
    for row in rows:
        counts[row.status] += 1
    return counts

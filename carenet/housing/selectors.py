"""Every read of housing and residential places that is more than a ``get``; one figure, one selector.

* ``nights`` / ``occupancy_per_night`` / ``nights_per_person``: nights of accommodation computed from stays
  (a stay's nights are [check_in, check_out); an open stay counts up to the end of the period).
* ``live_capacity`` / ``capacity_by_service``: beds in use, occupied and free tonight, per residence and per
  directory service — the figure the directory's capacity and the referral form read (decision 0020).
* ``unmet_requests``: applications still waiting, by criterion and by waiting time (KPI 10 and the plans).
* ``stock_size`` and ``stock_new_or_modernised``: the stock, and dwellings new or modernised in a period (KPI 10).
* ``alerts``: households whose consumption or arrears cross the thresholds of the rule in force.
* ``rent_statement`` / ``arrears_rows`` / ``dwelling_arrears``: a tenancy's rent month by month and its arrears,
  one computation (``_statement``) for the rent page, the arrears list, the alert and the dwelling page.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Exists, OuterRef, Q, QuerySet, Subquery

from carenet.cases.models import Case, CaseStatus, HousingKind, SocialInquiry
from carenet.cases.permissions import cases_visible_to
from carenet.core.capacity import Places
from carenet.core.policy import actor_of

from .models import (
    Application,
    ApplicationStatus,
    Bed,
    ColdNight,
    Consumption,
    Contract,
    ContractStatus,
    Dwelling,
    ListStatus,
    RankedEntry,
    RankedList,
    RentMonth,
    RentPayment,
    Residence,
    Stay,
    TieBreak,
    WaitingEntry,
)
from .permissions import (
    applications_visible_to,
    contracts_visible_to,
    dwellings_visible_to,
    grids_visible_to,
    lists_visible_to,
    residences_visible_to,
    stays_visible_to,
)
from .services import contract_end, contract_of_month, rule_in_force, tenancy_contracts

DAY = datetime.timedelta(days=1)


def _mid(obj: Any) -> Any:
    return getattr(obj, "pk", obj)


# --- staff lists ---------------------------------------------------------------------------------------------


def application_list(*, user: Any, status: str = "", query: str = "") -> QuerySet[Application]:
    qs = applications_visible_to(user).select_related("grid")
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(file_number__icontains=query.strip())
    return qs.order_by("-filed_on", "file_number")


def application_answers(*, application: Application) -> dict[Any, Any]:
    """criterion id → chosen option id."""
    return dict(application.answers.values_list("criterion_id", "option_id"))


def grid_list(*, user: Any) -> QuerySet:
    return grids_visible_to(user).order_by("-year")


def grid_criteria(*, grid: Any) -> list[Any]:
    return list(grid.criteria.prefetch_related("options").order_by("order", "code"))


def ranked_lists(*, user: Any) -> QuerySet[RankedList]:
    return lists_visible_to(user).select_related("grid").order_by("-year", "-version")


def list_entries(*, ranked_list: RankedList) -> QuerySet[RankedEntry]:
    return ranked_list.entries.order_by("rank")


def dwelling_list(*, user: Any, status: str = "") -> QuerySet[Dwelling]:
    qs = dwellings_visible_to(user).select_related("building")
    return qs.filter(status=status) if status else qs


def contracts_due_for_renewal(*, user: Any, today: datetime.date | None = None) -> QuerySet[Contract]:
    """Contracts in force whose renewal reminder has been sent (the scheduled job), soonest end first."""
    return (
        contracts_visible_to(user)
        .filter(status=ContractStatus.ACTIVE, renewal_reminded_on__isnull=False)
        .select_related("dwelling__building")
        .order_by("ends_on")
    )


# --- the public list -----------------------------------------------------------------------------------------


@dataclass
class PublicRow:
    rank: int
    file_number: str
    score: int
    breakdown: list[tuple[str, int]]
    tie_break_value: str


def published_list(*, municipality: Any, year: int | None = None) -> tuple[RankedList | None, list[PublicRow]]:
    """The latest approved list of the year (or the latest year): file numbers, scores and their breakdown —
    never a name. The criteria are labelled as the grid names them."""
    qs = RankedList.objects.for_tenant(_mid(municipality)).filter(status=ListStatus.APPROVED)
    if year is not None:
        qs = qs.filter(year=year)
    ranked_list = qs.select_related("grid").order_by("-year", "-version").first()
    if ranked_list is None:
        return None, []
    labels = dict(ranked_list.grid.criteria.values_list("code", "label"))
    # Income is never published: under that rule the order shows the tie was broken, not the amounts.
    hide_tie = ranked_list.grid.tie_break == TieBreak.LOWER_INCOME
    rows = [
        PublicRow(
            rank=e.rank,
            file_number=e.file_number,
            score=e.score,
            breakdown=[(labels.get(code, code), points) for code, points in e.breakdown.items()],
            tie_break_value="" if hide_tie else e.tie_break_value,
        )
        for e in ranked_list.entries.order_by("rank")
    ]
    return ranked_list, rows


def published_years(*, municipality: Any) -> list[int]:
    return sorted(
        set(
            RankedList.objects.for_tenant(_mid(municipality))
            .filter(status=ListStatus.APPROVED)
            .values_list("year", flat=True)
        ),
        reverse=True,
    )


# --- nights and occupancy ------------------------------------------------------------------------------------


def _stays(municipality: Any, residence_ids: Iterable[Any] | None, start: datetime.date, end: datetime.date) -> Any:
    qs = (
        Stay.objects.for_tenant(_mid(municipality))
        .filter(check_in__lt=end)
        .filter(Q(check_out__isnull=True) | Q(check_out__gt=start))
    )
    if residence_ids is not None:
        qs = qs.filter(residence_id__in=list(residence_ids))
    return qs


def _clip(check_in: datetime.date, check_out: datetime.date | None, start: datetime.date, end: datetime.date) -> int:
    last = min(check_out or end, end)
    return max((last - max(check_in, start)).days, 0)


def nights(
    *, municipality: Any, start: datetime.date, end: datetime.date, residence_ids: Iterable[Any] | None = None
) -> int:
    """Nights of accommodation in [start, end) (end exclusive)."""
    return sum(
        _clip(ci, co, start, end)
        for ci, co in _stays(municipality, residence_ids, start, end).values_list("check_in", "check_out")
    )


def occupancy_per_night(
    *, municipality: Any, start: datetime.date, end: datetime.date, residence_ids: Iterable[Any] | None = None
) -> dict[datetime.date, int]:
    """Beds occupied on each night of [start, end)."""
    delta: Counter[datetime.date] = Counter()
    for ci, co in _stays(municipality, residence_ids, start, end).values_list("check_in", "check_out"):
        delta[max(ci, start)] += 1
        delta[min(co or end, end)] -= 1
    out, running, day = {}, 0, start
    while day < end:
        running += delta[day]
        out[day] = running
        day += DAY
    return out


def nights_per_person(
    *, municipality: Any, start: datetime.date, end: datetime.date, residence_ids: Iterable[Any] | None = None
) -> dict[Any, int]:
    per: dict[Any, int] = defaultdict(int)
    for pid, ci, co in _stays(municipality, residence_ids, start, end).values_list(
        "person_id", "check_in", "check_out"
    ):
        per[pid] += _clip(ci, co, start, end)
    return dict(per)


@dataclass
class Capacity:
    residence: Residence
    beds: int
    extra_beds: int
    occupied: int
    waiting: int

    @property
    def free(self) -> int:
        return max(self.beds + self.extra_beds - self.occupied, 0)

    @property
    def full(self) -> bool:
        return self.free == 0


def live_capacity(*, residences: Iterable[Residence], on: datetime.date | None = None) -> list[Capacity]:
    """Beds in use tonight, occupied and free, per residence (extra beds count on a declared cold night)."""
    residences = list(residences)
    if not residences:
        return []
    on = on or datetime.date.today()
    m = residences[0].municipality_id
    ids = [r.pk for r in residences]
    cold = ColdNight.objects.for_tenant(m).filter(night=on).exists()
    beds: Counter[Any] = Counter()
    extra: Counter[Any] = Counter()
    for rid, cold_only in (
        Bed.objects.for_tenant(m)
        .filter(residence_id__in=ids, active=True)
        .values_list("residence_id", "cold_night_only")
    ):
        (extra if cold_only else beds)[rid] += 1
    occupied = Counter(_stays(m, ids, on, on + DAY).values_list("residence_id", flat=True))
    waiting = Counter(
        WaitingEntry.objects.for_tenant(m)
        .filter(residence_id__in=ids, placed_on__isnull=True)
        .values_list("residence_id", flat=True)
    )
    return [Capacity(r, beds[r.pk], extra[r.pk] if cold else 0, occupied[r.pk], waiting[r.pk]) for r in residences]


def capacity_by_service(*, municipality: Any, on: datetime.date | None = None) -> dict[Any, tuple[int, int]]:
    """directory service id → (places in total, places free tonight): what the directory's capacity display and
    the referral form read (the portal or the directory call this; housing never edits them)."""
    residences = Residence.objects.for_tenant(_mid(municipality)).filter(service__isnull=False)
    out: dict[Any, tuple[int, int]] = {}
    for cap in live_capacity(residences=residences, on=on):
        total, free = out.get(cap.residence.service_id, (0, 0))
        out[cap.residence.service_id] = (total + cap.beds + cap.extra_beds, free + cap.free)
    return out


def live_places_by_service(municipality_id: Any, on: datetime.date | None) -> dict[Any, Places]:
    """The registered source of ``carenet.core.capacity``: a residence's service has its beds tonight."""
    return {
        sid: Places(total, free)
        for sid, (total, free) in capacity_by_service(municipality=municipality_id, on=on).items()
    }


def residence_list(*, user: Any) -> QuerySet[Residence]:
    return residences_visible_to(user).select_related("organisation")


def residence_stays(*, user: Any, residence: Residence, on: datetime.date) -> QuerySet[Stay]:
    """Stays of tonight in the residence, with the resident (already scoped to the user's residences)."""
    return (
        stays_visible_to(user)
        .filter(residence=residence)
        .filter(check_in__lte=on)
        .filter(Q(check_out__isnull=True) | Q(check_out__gt=on))
        .select_related("bed", "person")
        .order_by("bed__code")
    )


def residence_beds(*, residence: Residence) -> QuerySet[Bed]:
    return Bed.objects.for_tenant(residence.municipality_id).filter(residence=residence, active=True).order_by("code")


def residence_waiting(*, residence: Residence) -> QuerySet[WaitingEntry]:
    return (
        WaitingEntry.objects.for_tenant(residence.municipality_id)
        .filter(residence=residence, placed_on__isnull=True)
        .select_related("person")
        .order_by("added_on")
    )


def is_cold_night(*, municipality: Any, on: datetime.date) -> bool:
    return ColdNight.objects.for_tenant(_mid(municipality)).filter(night=on).exists()


def cold_night_outreach(*, user: Any, on: datetime.date | None = None) -> QuerySet[Case]:
    """The outreach list of a night: the user's open cases whose person the last social inquiry found homeless
    and who holds no bed that night in any residence — whom the street teams look for on a cold night. Only
    cases the user may see (their provider's, or the network's for those who read it)."""
    on = on or datetime.date.today()
    m = actor_of(user).municipality_id
    last_housing = SocialInquiry.objects.for_tenant(m).filter(case_id=OuterRef("pk")).order_by("-visited_on", "-pk")
    bedded = (
        Stay.objects.for_tenant(m)
        .filter(person_id=OuterRef("person_id"), check_in__lte=on)
        .filter(Q(check_out__isnull=True) | Q(check_out__gt=on))
    )
    return (
        cases_visible_to(user)
        .exclude(status__in=(CaseStatus.CLOSED, CaseStatus.REFUSED))
        .annotate(
            last_housing=Subquery(last_housing.values("housing")[:1]),
            last_inquiry_on=Subquery(last_housing.values("visited_on")[:1]),
        )
        .filter(last_housing=HousingKind.HOMELESS)
        .exclude(Exists(bedded))
        .select_related("person", "organisation")
        .order_by("person__last_name", "person__first_name")
    )


# --- KPI 10 and the plans ------------------------------------------------------------------------------------

WAITING = (ApplicationStatus.FILED, ApplicationStatus.SCORED, ApplicationStatus.OFFERED)
WAIT_BANDS = ((0, 365, "<1"), (365, 730, "1-2"), (730, 1826, "2-5"), (1826, None, "5+"))


@dataclass
class UnmetRequests:
    total: int
    by_criterion: dict[str, int]
    by_waiting_years: dict[str, int]


def unmet_requests(*, municipality: Any, on: datetime.date | None = None) -> UnmetRequests:
    """Applications filed by ``on`` and still waiting for a dwelling (filed, scored or with an open offer):
    counted in total, per criterion that gave them points, and per waiting time (years)."""
    on = on or datetime.date.today()
    rows = (
        Application.objects.for_tenant(_mid(municipality))
        .filter(status__in=WAITING, filed_on__lte=on)
        .values_list("filed_on", "breakdown")
    )
    by_criterion: Counter[str] = Counter()
    by_wait: Counter[str] = Counter({label: 0 for _lo, _hi, label in WAIT_BANDS})
    total = 0
    for filed_on, breakdown in rows:
        total += 1
        for code, points in (breakdown or {}).items():
            if points:
                by_criterion[code] += 1
        days = (on - filed_on).days
        for lo, hi, label in WAIT_BANDS:
            if days >= lo and (hi is None or days < hi):
                by_wait[label] += 1
    return UnmetRequests(total, dict(by_criterion), dict(by_wait))


def stock_size(*, municipality: Any, on: datetime.date) -> int:
    """The social housing stock on ``on``: registered dwellings, less those handed over new after it."""
    return Dwelling.objects.for_tenant(_mid(municipality)).filter(Q(new_on__isnull=True) | Q(new_on__lte=on)).count()


def stock_new_or_modernised(*, municipality: Any, start: datetime.date, end: datetime.date) -> int:
    """Dwellings handed over new or modernised in [start, end)."""
    return (
        Dwelling.objects.for_tenant(_mid(municipality))
        .filter(Q(new_on__gte=start, new_on__lt=end) | Q(modernised_on__gte=start, modernised_on__lt=end))
        .count()
    )


def dwellings_handed_over_new(*, municipality: Any, start: datetime.date, end: datetime.date) -> int:
    """Dwellings handed over new in [start, end): the social dwellings a plan "creates" (Bălți 4.1.3)."""
    return Dwelling.objects.for_tenant(_mid(municipality)).filter(new_on__gte=start, new_on__lt=end).count()


def sheltered_person_ids(
    *, municipality: Any, start: datetime.date, end: datetime.date, residence_ids: Iterable[Any] | None = None
) -> set[Any]:
    """The persons who spent at least one night of [start, end) in a residence."""
    return {
        pid
        for pid, n in nights_per_person(
            municipality=municipality, start=start, end=end, residence_ids=residence_ids
        ).items()
        if n > 0
    }


# --- monitoring alerts ---------------------------------------------------------------------------------------


@dataclass
class Alert:
    kind: str  # "consumption" | "arrears"
    dwelling: Dwelling
    detail: str
    value: Decimal
    threshold: Decimal


def alerts(*, user: Any, month: datetime.date | None = None) -> list[Alert]:
    """Dwellings whose consumption of ``month`` is above the rule's factor × their own monthly average, or
    whose tenant's arrears are above the rule's amount."""
    dwellings = {d.pk: d for d in dwellings_visible_to(user).select_related("building")}
    if not dwellings:
        return []
    m = next(iter(dwellings.values())).municipality_id
    rule = rule_in_force(municipality=m)
    if rule is None:
        return []
    if month is None:  # the latest month a supplier's figures reached
        month = (
            Consumption.objects.for_tenant(m)
            .filter(dwelling_id__in=dwellings)
            .order_by("-month")
            .values_list("month", flat=True)
            .first()
        )
    month = (month or datetime.date.today()).replace(day=1)
    found: list[Alert] = []
    averages = {
        (r["dwelling_id"], r["utility"]): r["avg"]
        for r in Consumption.objects.for_tenant(m)
        .filter(dwelling_id__in=dwellings, month__lt=month)
        .values("dwelling_id", "utility")
        .annotate(avg=Avg("quantity"))
    }
    for row in Consumption.objects.for_tenant(m).filter(dwelling_id__in=dwellings, month=month):
        avg = averages.get((row.dwelling_id, row.utility))
        if avg and row.quantity > Decimal(str(avg)) * rule.consumption_alert_factor:
            limit = (Decimal(str(avg)) * rule.consumption_alert_factor).quantize(Decimal("0.01"))
            found.append(Alert("consumption", dwellings[row.dwelling_id], row.utility, row.quantity, limit))
    if rule.arrears_alert > 0:
        for row in arrears_rows(user=user):
            if row.arrears > rule.arrears_alert and row.contract.dwelling_id in dwellings:
                found.append(Alert("arrears", dwellings[row.contract.dwelling_id], "", row.arrears, rule.arrears_alert))
    return found


def dwelling_consumption(*, dwelling: Dwelling) -> QuerySet[Consumption]:
    return (
        Consumption.objects.for_tenant(dwelling.municipality_id).filter(dwelling=dwelling).order_by("-month", "utility")
    )


def dwelling_arrears(*, dwelling: Dwelling) -> Decimal:
    """The arrears of the dwelling's tenancy in force (0 when it has none): its rent statement's balance."""
    contract = (
        Contract.objects.for_tenant(dwelling.municipality_id)
        .filter(dwelling=dwelling, status=ContractStatus.ACTIVE)
        .first()
    )
    return rent_statement(contract=contract).arrears if contract is not None else Decimal(0)


# --- rent ----------------------------------------------------------------------------------------------------
# The office's rules, in one place (decision 0020):
# * a month of the tenancy up to the last one before this month is due whether or not anyone recorded it: the
#   contract makes the rent due, not the ledger. A month with no row is shown "not recorded" and counted as
#   the rent of the contract that covered it, unpaid. This month, not recorded, is shown but not yet counted
#   (its rent is not late until the month ends); once a row or a payment exists it counts;
# * payments settle the oldest debt first (Codul civil art. 1509, imputation to the oldest debt due): an
#   overpayment is credit for the next months, and "months owed" are the counted months left not fully paid
#   once all that was paid is applied to them in order;
# * the arrears are the counted dues less all that was paid; below zero they are the tenant's credit.


@dataclass
class RentLine:
    month: datetime.date
    contract: Contract
    due: Decimal
    paid: Decimal
    recorded: bool
    counted: bool  # part of the arrears (a past month, or any month with a row)
    running: Decimal = Decimal(0)  # arrears after this month (below zero: credit)
    payments: list[RentPayment] | None = None

    @property
    def balance(self) -> Decimal:
        return self.due - self.paid if self.counted else Decimal(0)


@dataclass
class RentStatement:
    contracts: list[Contract]
    lines: list[RentLine]
    due: Decimal
    paid: Decimal
    months_owed: int

    @property
    def arrears(self) -> Decimal:
        return self.due - self.paid

    @property
    def credit(self) -> Decimal:
        return max(-self.arrears, Decimal(0))


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    out, month = [], first
    while month <= last:
        out.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return out


def _statement(
    chain: list[Contract], rows: Iterable[tuple[datetime.date, Decimal, Decimal]], today: datetime.date
) -> RentStatement:
    """The statement of one tenancy from its rows (month, due, paid), as of ``today`` (the rules above)."""
    this_month = today.replace(day=1)
    recorded: dict[datetime.date, list[Decimal]] = {}
    for month, due, paid in rows:
        cell = recorded.setdefault(month, [Decimal(0), Decimal(0)])
        cell[0] += due
        cell[1] += paid
    first = chain[0].starts_on.replace(day=1)
    last = min(this_month, max(contract_end(c) for c in chain).replace(day=1))
    months = sorted(set(_months(first, last)) | set(recorded))
    lines: list[RentLine] = []
    due_total = paid_total = Decimal(0)
    for month in months:
        contract = contract_of_month(chain, month) or chain[-1]
        if month in recorded:
            due, paid = recorded[month]
            line = RentLine(month, contract, due, paid, recorded=True, counted=True)
        else:
            line = RentLine(month, contract, contract.rent, Decimal(0), recorded=False, counted=month < this_month)
        if line.counted:
            due_total += line.due
        paid_total += line.paid
        line.running = due_total - paid_total
        lines.append(line)
    # Oldest debt first: what was paid in all settles the counted months in order; the rest are owed.
    left, owed = paid_total, 0
    for line in lines:
        if not line.counted or line.due <= 0:
            continue
        if left >= line.due:
            left -= line.due
        else:
            left, owed = Decimal(0), owed + 1
    return RentStatement(chain, lines, due_total, paid_total, owed)


def rent_statement(*, contract: Contract, today: datetime.date | None = None) -> RentStatement:
    """The rent statement of the contract's tenancy (its renewals included), month by month, with the payments
    of each month."""
    today = today or datetime.date.today()
    chain = tenancy_contracts(contract)
    m = contract.municipality_id
    ids = [c.pk for c in chain]
    rows = RentMonth.objects.for_tenant(m).filter(contract_id__in=ids).values_list("month", "due", "paid")
    statement = _statement(chain, rows, today)
    payments: dict[datetime.date, list[RentPayment]] = defaultdict(list)
    for payment in RentPayment.objects.for_tenant(m).filter(contract_id__in=ids).order_by("paid_on", "created_at"):
        payments[payment.month].append(payment)
    for line in statement.lines:
        line.payments = payments.get(line.month, [])
    return statement


@dataclass
class ArrearsRow:
    contract: Contract  # the contract in force of the tenancy
    arrears: Decimal
    months_owed: int
    above_alert: bool = False


def arrears_rows(*, user: Any, today: datetime.date | None = None) -> list[ArrearsRow]:
    """Tenancies in force (their contract active) that owe rent, the largest debt first; each above the
    rule's alert amount is flagged. Three queries, whatever the number of contracts."""
    today = today or datetime.date.today()
    contracts = {c.pk: c for c in contracts_visible_to(user).select_related("dwelling__building", "tenant")}
    if not contracts:
        return []
    m = next(iter(contracts.values())).municipality_id
    renewal_of = {c.renewed_from_id: c for c in contracts.values() if c.renewed_from_id}
    rows: dict[Any, list[tuple[datetime.date, Decimal, Decimal]]] = defaultdict(list)
    for cid, month, due, paid in (
        RentMonth.objects.for_tenant(m)
        .filter(contract_id__in=list(contracts))
        .values_list("contract_id", "month", "due", "paid")
    ):
        rows[cid].append((month, due, paid))
    rule = rule_in_force(municipality=m, on=today)
    alert = rule.arrears_alert if rule is not None and rule.arrears_alert > 0 else None
    out: list[ArrearsRow] = []
    for contract in contracts.values():
        if contract.status != ContractStatus.ACTIVE:
            continue
        chain = [contract]
        while chain[0].renewed_from_id in contracts and len(chain) < 100:
            chain.insert(0, contracts[chain[0].renewed_from_id])
        while chain[-1].pk in renewal_of and len(chain) < 100:
            chain.append(renewal_of[chain[-1].pk])
        statement = _statement(chain, [r for c in chain for r in rows[c.pk]], today)
        if statement.arrears > 0:
            out.append(
                ArrearsRow(
                    contract, statement.arrears, statement.months_owed, alert is not None and statement.arrears > alert
                )
            )
    out.sort(key=lambda r: (-r.arrears, r.contract.number))
    return out

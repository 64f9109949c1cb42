"""Demo: Baia Mare's residential services from the seeds, and a believable synthetic year of housing work.

Real, from the strategy (carenet/housing/data/baia_mare_residences.json, with the seed's line numbers): the
night shelter of the Multifunctional Social Centre (16,544 nights of accommodation in 2024) and the Social
Transit Centre for Young People (4,984 nights), run by their DAS structures as core.demo loaded them. The seeds
state no number of beds: the demo's beds are sized from those nights (their yearly average occupancy plus a
margin; the data file says so) and the provider replaces them. No phone, e-mail, address or hours is set.

Synthetic (flagged): the housing rule's values and the points grid (the council's real criteria are to be
entered), the buildings and dwellings (no address), the applications of registry persons that are already
synthetic, the list, offers, contracts, consumption and rent, and a year of stays whose nights add up to the
seeds' figures. Written in bulk; idempotent (a municipality with a housing rule is left alone).
"""

from __future__ import annotations

import datetime
import json
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from carenet.audit.services import audit_record
from carenet.core.models import Municipality, Organisation
from carenet.directory.models import Service
from carenet.people.models import HouseholdMember, Person

from .models import (
    Answer,
    Application,
    ApplicationStatus,
    Bed,
    Building,
    Consumption,
    Contract,
    Criterion,
    CriterionOption,
    Dwelling,
    DwellingStatus,
    EnergyState,
    HousingRule,
    ListStatus,
    Offer,
    OfferStatus,
    PointsGrid,
    RankedEntry,
    RankedList,
    RefusalConsequence,
    RentMonth,
    RentPayment,
    Residence,
    Stay,
    TieBreak,
    Utility,
    WaitingEntry,
)
from .services import rank, tie_break_label

DATA = Path(__file__).resolve().parent / "data" / "baia_mare_residences.json"
YEAR = 2025
DEMO_NOTE = "Valori demonstrative: de înlocuit cu hotărârea consiliului local."
# A typical grid of Romanian practice (Legea 114/1996 art. 43; the council sets the criteria): demo values.
CRITERIA = [
    (
        "conditii",
        "Condițiile actuale de locuire",
        [
            ("Fără locuință / evacuat", 10),
            ("Supraaglomerare", 6),
            ("Chiriaș în locuință improprie", 4),
            ("Condiții adecvate", 0),
        ],
    ),
    (
        "venit",
        "Venitul mediu net pe membru de familie",
        [("Sub 50% din salariul minim", 8), ("50–100% din salariul minim", 5), ("Peste salariul minim", 1)],
    ),
    ("familie", "Numărul membrilor familiei", [("5 sau mai mulți", 6), ("3–4", 4), ("1–2", 2)]),
    ("dizabilitate", "Persoană cu dizabilități în familie", [("Da", 5), ("Nu", 0)]),
    ("vechime", "Vechimea cererii", [("Peste 3 ani", 6), ("1–3 ani", 3), ("Sub un an", 1)]),
]


def load(*, stdout: Any = None) -> None:
    for municipality in Municipality.objects.order_by("slug"):
        if municipality.slug != "baia-mare":
            continue  # Bălți's new social housing (4.1.3) is planned: nothing to load yet
        if HousingRule.objects.for_tenant(municipality).exists():
            continue
        with transaction.atomic():
            counts = _load(municipality, rng=random.Random(19))
            audit_record(action="housing.demo.load", municipality=municipality, changes=counts)
        if stdout:
            stdout.write(f"  {municipality.name}: housing {counts}")


def _org(municipality: Municipality, code: str) -> Organisation | None:
    return Organisation.objects.for_tenant(municipality).filter(code=code).first()


def _load(m: Municipality, *, rng: random.Random) -> dict[str, int]:
    office = _org(m, "das")
    people = list(
        Person.objects.for_tenant(m)
        .filter(is_synthetic=True, merged_into__isnull=True)
        .order_by("id")
        .values_list("id", "birth_date")
    )
    adults = [pid for pid, born in people if born is None or born.year < YEAR - 18]
    if office is None or len(adults) < 100:
        return {}
    rng.shuffle(adults)
    HousingRule.objects.for_tenant(m).create(
        municipality=m,
        office=office,
        valid_from=datetime.date(YEAR, 1, 1),
        offer_answer_days=15,
        renewal_notice_days=60,
        arrears_alert=Decimal("600"),
        consumption_alert_factor=Decimal("1.8"),
        cold_night_below=Decimal("-10"),
        legal_basis="Legea nr. 114/1996; H.G. nr. 1275/2000. " + DEMO_NOTE,
    )
    counts = {"applications": 0, "dwellings": 0, "stays": 0, "nights": 0}
    applicants = adults[:80]
    residents = adults[80:]
    counts.update(_housing(m, applicants, rng))
    counts.update(_residences(m, residents, rng))
    return counts


def _housing(m: Municipality, applicants: list[Any], rng: random.Random) -> dict[str, int]:
    grid = PointsGrid.objects.for_tenant(m).create(
        municipality=m,
        year=YEAR,
        title="Criterii de repartizare a locuințelor sociale (grilă demonstrativă)",
        decision=DEMO_NOTE,
        valid_from=datetime.date(YEAR, 1, 1),
        valid_to=datetime.date(YEAR, 12, 31),
        tie_break=TieBreak.EARLIEST_FILED,
        minimum_points=5,
        refusal_consequence=RefusalConsequence.BACK_OF_LIST,
        refusals_allowed=1,
    )
    options: dict[str, list[CriterionOption]] = {}
    for order, (code, label, answers) in enumerate(CRITERIA):
        criterion = Criterion.objects.for_tenant(m).create(
            municipality=m, grid=grid, code=code, label=label, order=order
        )
        options[code] = CriterionOption.objects.for_tenant(m).bulk_create(
            CriterionOption(municipality=m, criterion=criterion, label=text, points=points, order=i)
            for i, (text, points) in enumerate(answers)
        )
    criteria = {c.code: c for c in Criterion.objects.for_tenant(m).filter(grid=grid)}
    households = dict(
        HouseholdMember.objects.for_tenant(m).filter(person_id__in=applicants).values_list("person_id", "household_id")
    )
    apps, answers_rows = [], []
    for i, pid in enumerate(applicants):
        filed = datetime.date(YEAR - rng.choice([0, 0, 1, 2, 4]), rng.randint(1, 12), rng.randint(1, 28))
        filed = min(filed, datetime.date(YEAR, 11, 30))
        chosen = {code: rng.choice(opts) for code, opts in options.items()}
        breakdown = {code: o.points for code, o in chosen.items()}
        score = sum(breakdown.values())
        size = {6: 5, 4: 3, 2: 2}[breakdown["familie"]] + rng.randint(0, 1)
        app = Application(
            municipality=m,
            file_number=f"LS-{YEAR}-{i + 1:04d}",
            grid=grid,
            applicant_id=pid,
            household_id=households.get(pid),
            household_size=size,
            monthly_income=Decimal(rng.randint(400, 2400) * size),
            rooms_needed=1 if size <= 2 else 2 if size <= 4 else 3,
            needs_accessible=breakdown["dizabilitate"] > 0 and rng.random() < 0.5,
            filed_on=filed,
            status=ApplicationStatus.SCORED if score >= grid.minimum_points else ApplicationStatus.INELIGIBLE,
            score=score,
            breakdown=breakdown,
            is_synthetic=True,
        )
        apps.append(app)
        answers_rows += [
            Answer(municipality=m, application=app, criterion=criteria[c], option=o) for c, o in chosen.items()
        ]
    Application.objects.for_tenant(m).bulk_create(apps)
    Answer.objects.for_tenant(m).bulk_create(answers_rows)
    ranked = rank(grid, [a for a in apps if a.status == ApplicationStatus.SCORED])
    ranked_list = RankedList.objects.for_tenant(m).create(
        municipality=m, grid=grid, year=YEAR, version=1, as_of=datetime.date(YEAR, 3, 1), status=ListStatus.APPROVED
    )
    RankedEntry.objects.for_tenant(m).bulk_create(
        RankedEntry(
            municipality=m,
            ranked_list=ranked_list,
            application=a,
            rank=n,
            file_number=a.file_number,
            score=a.score or 0,
            breakdown=a.breakdown,
            tie_break_value=tie_break_label(grid, a),
        )
        for n, a in enumerate(ranked, start=1)
    )
    # Stock: two synthetic blocks, some dwellings new or modernised (KPI 10); the first ranked are housed.
    buildings = Building.objects.for_tenant(m).bulk_create(
        Building(municipality=m, name=name, owner="Municipiul Baia Mare", built_year=year, is_synthetic=True)
        for name, year in (("Bloc demonstrativ A", 1978), ("Bloc demonstrativ B", 2021))
    )
    dwellings = []
    for b, count in zip(buildings, (24, 16), strict=True):
        for n in range(1, count + 1):
            rooms = rng.choice([1, 2, 2, 3])
            dwellings.append(
                Dwelling(
                    municipality=m,
                    building=b,
                    number=str(n),
                    rooms=rooms,
                    area=Decimal(18 + rooms * 16 + rng.randint(0, 8)),
                    accessible=n <= 2,
                    energy_state=EnergyState.B
                    if b.built_year and b.built_year > 2000
                    else rng.choice([EnergyState.D, EnergyState.E, EnergyState.C]),
                    new_on=datetime.date(YEAR, 6, 1) if b.built_year == 2021 else None,
                    modernised_on=datetime.date(YEAR, 9, 15) if b.built_year != 2021 and n % 6 == 0 else None,
                    rent=Decimal(60 + rooms * 35),
                    status=DwellingStatus.REPAIR if n == count else DwellingStatus.FREE,
                    is_synthetic=True,
                )
            )
    Dwelling.objects.for_tenant(m).bulk_create(dwellings)
    free = [d for d in dwellings if d.status == DwellingStatus.FREE]
    offers: list[Offer] = []
    contracts: list[Contract] = []
    housed: list[Application] = []
    rank_of = {a.pk: n for n, a in enumerate(ranked, start=1)}
    queue = list(ranked)
    for d in free[: len(free) - 6]:
        fit = next((a for a in queue if a.rooms_needed <= d.rooms and (not a.needs_accessible or d.accessible)), None)
        if fit is None:
            continue
        app = fit
        queue.remove(app)
        offered = datetime.date(YEAR, 3, 1) + datetime.timedelta(days=rng.randint(5, 200))
        offers.append(
            Offer(
                municipality=m,
                dwelling=d,
                application=app,
                ranked_list=ranked_list,
                rank=rank_of[app.pk],
                offered_on=offered,
                answer_by=offered + datetime.timedelta(days=15),
                status=OfferStatus.ACCEPTED,
                answered_on=offered + datetime.timedelta(days=rng.randint(1, 14)),
            )
        )
        start = offered + datetime.timedelta(days=20)
        contracts.append(
            Contract(
                municipality=m,
                number=f"CI-{YEAR}-{len(contracts) + 1:04d}",
                dwelling=d,
                application=app,
                tenant_id=app.applicant_id,
                starts_on=start,
                ends_on=start.replace(year=start.year + 1) - datetime.timedelta(days=1),
                rent=d.rent,
                is_synthetic=True,
            )
        )
        app.status = ApplicationStatus.HOUSED
        d.status = DwellingStatus.ALLOCATED
        housed.append(app)
    Offer.objects.for_tenant(m).bulk_create(offers)
    Contract.objects.for_tenant(m).bulk_create(contracts)
    Application.objects.for_tenant(m).bulk_update(housed, ["status"])
    Dwelling.objects.for_tenant(m).bulk_update(
        [d for d in dwellings if d.status == DwellingStatus.ALLOCATED], ["status"]
    )
    consumption: list[Consumption] = []
    for c in contracts:
        month = c.starts_on.replace(day=1)
        while month <= datetime.date(YEAR, 12, 1):
            winter = month.month in (1, 2, 3, 11, 12)
            for utility, base in (
                (Utility.HEAT, 1.2 if winter else 0.1),
                (Utility.WATER, 5.0),
                (Utility.ELECTRICITY, 90.0),
            ):
                q = Decimal(str(round(base * rng.uniform(0.7, 1.3) * (3 if rng.random() < 0.03 else 1), 2)))
                consumption.append(
                    Consumption(municipality=m, dwelling=c.dwelling, month=month, utility=utility, quantity=q)
                )
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    rent, payments = _rent_year(m, contracts, rng)
    Consumption.objects.for_tenant(m).bulk_create(consumption)
    RentMonth.objects.for_tenant(m).bulk_create(rent)
    RentPayment.objects.for_tenant(m).bulk_create(payments)
    return {"applications": len(apps), "dwellings": len(dwellings), "contracts": len(contracts)}


def _rent_year(
    m: Municipality, contracts: list[Contract], rng: random.Random
) -> tuple[list[RentMonth], list[RentPayment]]:
    """A synthetic year of rent for each contract, up to its end or last month: receipts at the cashier in the
    month they settle, mostly on time; one tenancy in six skips a few months or pays part, so the arrears list
    and the alert have something to show. A receipt number is unique in the municipality (``DEMO-…``)."""
    last_month = (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    months_of: list[RentMonth] = []
    payments: list[RentPayment] = []
    for c in contracts:
        late = rng.random() < 0.17
        month = c.starts_on.replace(day=1)
        while month <= min(c.ends_on.replace(day=1), last_month):
            share = Decimal(1)
            if late:
                share = rng.choice((Decimal(0), Decimal(0), Decimal("0.5"), Decimal(1), Decimal(1)))
            elif rng.random() < 0.04:
                share = Decimal(2)  # paid two months at once: credit for the next
            amount = (c.rent * share).quantize(Decimal("0.01"))
            months_of.append(RentMonth(municipality=m, contract=c, month=month, due=c.rent, paid=amount))
            if amount > 0:
                payments.append(
                    RentPayment(
                        municipality=m,
                        contract=c,
                        month=month,
                        amount=amount,
                        paid_on=month + datetime.timedelta(days=rng.randint(4, 24)),
                        receipt_number=f"DEMO-{month:%Y%m}-{len(payments) + 1:05d}",
                        is_synthetic=True,
                    )
                )
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months_of, payments


def _residences(m: Municipality, residents: list[Any], rng: random.Random) -> dict[str, int]:
    spec = json.loads(DATA.read_text(encoding="utf-8"))
    stays: list[Stay] = []
    made = 0
    start, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR + 1, 1, 1)
    for index, row in enumerate(spec["residences"]):
        # The night shelter draws from most of the synthetic adults; the other residences from the last 30.
        pool = iter(residents[:-30] if index == 0 else residents[-30:])
        organisation = _org(m, row["organisation_code"])
        if organisation is None:
            continue
        service = Service.objects.for_tenant(m).filter(organisation=organisation).order_by("name").first()
        residence = Residence.objects.for_tenant(m).create(
            municipality=m,
            organisation=organisation,
            service=service,
            name=row["name"],
            kind=row["kind"],
            opens_cold_nights=row["kind"] == "night_shelter",
        )
        target = int(row["nights_per_year"])
        beds_count = int(target / 365 * 1.15) + 2
        beds = Bed.objects.for_tenant(m).bulk_create(
            [Bed(municipality=m, residence=residence, code=f"P{i:02d}") for i in range(1, beds_count + 1)]
            + [
                Bed(municipality=m, residence=residence, code=f"X{i}", cold_night_only=True)
                for i in range(1, 1 + row.get("cold_night_beds", 0))
            ]
        )
        regular = [b for b in beds if not b.cold_night_only]
        free_from = {b.pk: start for b in regular}
        lengths = row["stay_nights"]
        nights = 0
        person_free: dict[Any, datetime.date] = defaultdict(lambda: start)
        people: list[Any] = []
        # Empty nights between stays, so that the year's nights spread over the whole year (not a full house
        # from January until the figure is reached): mean gap = mean stay × (1 − occupancy) / occupancy.
        occupancy = target / (365 * len(regular))
        gap = sum(lengths) / 2 * (1 - occupancy) / occupancy * 0.97
        while nights < target:
            b = min(regular, key=lambda x: free_from[x.pk])
            day = free_from[b.pk]
            if day >= end:
                break
            free_people = [p for p in people if person_free[p] <= day]
            pid = next(pool, None) if not free_people or rng.random() < 0.2 else None
            if pid is not None:
                people.append(pid)
            elif free_people:
                pid = rng.choice(free_people)
            else:  # nobody free tonight: the bed stays empty one night
                free_from[b.pk] = day + datetime.timedelta(days=1)
                continue
            check_in = day
            length = min(rng.randint(*lengths), target - nights, (end - check_in).days)
            check_out = check_in + datetime.timedelta(days=length)
            stays.append(
                Stay(
                    municipality=m,
                    residence=residence,
                    bed=b,
                    person_id=pid,
                    check_in=check_in,
                    check_out=check_out,
                    is_synthetic=True,
                )
            )
            person_free[pid] = check_out
            free_from[b.pk] = check_out + datetime.timedelta(days=round(rng.uniform(0, 2 * gap)))
            nights += length
        made += nights
        # Tonight's residents, when the demo is looked at after its year: open stays from the new year on.
        today = datetime.date.today()
        if today > end and people:
            tonight = rng.sample(people, min(len(people), round(target / 365)))
            for b, pid in zip(regular, tonight, strict=False):
                check_in = max(end, today - datetime.timedelta(days=rng.randint(0, 20)))
                stays.append(
                    Stay(
                        municipality=m, residence=residence, bed=b, person_id=pid, check_in=check_in, is_synthetic=True
                    )
                )
        waiting = [pid for pid in people[-3:]]
        WaitingEntry.objects.for_tenant(m).bulk_create(
            WaitingEntry(
                municipality=m,
                residence=residence,
                person_id=pid,
                added_on=end - datetime.timedelta(days=3),
                note="(sintetic)",
            )
            for pid in waiting[:1]
        )
    Stay.objects.for_tenant(m).bulk_create(stays, batch_size=2000)
    return {"stays": len(stays), "nights": made}

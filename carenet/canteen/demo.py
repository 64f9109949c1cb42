"""Demo: the canteen's rules of both municipalities (from the seeds), Baia Mare's four canteen units (the
strategy's names: line 541) and a believable synthetic year of their work; Bălți's canteen run by the
municipal enterprise (action 5.1.2, no synthetic meals: its categories are not stated) and a synthetic
cold season of firewood and coal (action 5.1.4).

What is real: the law's values the seeds state (90 days, 30 %, two meals, 30 days to decide), the units'
names and organisations. What is synthetic (flagged ``is_synthetic``): the applications, decisions, cards,
meals, lists and aid — made for the synthetic persons the cases demo loaded. The seeds state neither the
threshold nor the food allowance: the demo fills both with values marked as the demo's, kept in the
ruleset's ``unstated`` list so every page flags them. Rows are written in bulk (the loader stays well
under 10 s), with one audit event per municipality; idempotent.
"""

from __future__ import annotations

import datetime
import random
import uuid
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from carenet.audit.services import audit_record
from carenet.core.ids import uuid7
from carenet.core.models import Municipality, Organisation
from carenet.people.models import Person

from . import services
from .eligibility import Facts, assess
from .models import (
    AidAllocation,
    AidSeason,
    Application,
    ApplicationStatus,
    CanteenUnit,
    ContributionPayment,
    Decision,
    DeliveryAbsence,
    DeliveryRound,
    ListStatus,
    Meal,
    MealCard,
    NominalEntry,
    NominalList,
    Outcome,
    Reverification,
    ReverificationOutcome,
    RoundStop,
)

# Beneficiaries per unit in the synthetic year (the 2024 meals were 100,211 / 154,041 / 9,425 / 6,180: the
# demo keeps their order at about a tenth of the volume).
PERSONS_PER_UNIT = {
    "cantina-ajutor-social": 45,
    "azil-noapte": 40,
    "centrul-multifunctional-romani": 10,
    "centrul-comunitar-multifunctional": 8,
}
# The demo's stand-ins for what the seeds do not state (RON); flagged on every page as not from the seeds.
DEMO_THRESHOLD = Decimal("600.00")
DEMO_REVERIFY_MONTHS = 6
DEMO_MEAL_ALLOWANCE = Decimal("15.00")
CATEGORY_WEIGHTS = [("c", 40), ("d", 15), ("e", 20), ("a", 10), ("b", 5), ("f", 10)]


def load(*, stdout: Any = None) -> None:
    for municipality in Municipality.objects.filter(slug__in=["baia-mare", "balti"]):
        services.rules_seed(municipality=municipality)
        if municipality.slug == "baia-mare":
            _baia_mare(municipality, stdout)
        else:
            _balti(municipality, stdout)


def _org(municipality: Municipality, code: str) -> Organisation | None:
    return Organisation.objects.for_tenant(municipality).filter(code=code).first()


@transaction.atomic
def _baia_mare(municipality: Municipality, stdout: Any) -> None:
    spec = services.seed_data()["baia-mare"]
    ruleset = services.selectors.rules_in_force(municipality=municipality, on=timezone.localdate())
    if ruleset is not None and ruleset.threshold is None:
        ruleset.threshold = DEMO_THRESHOLD
        ruleset.meal_allowance = DEMO_MEAL_ALLOWANCE
        ruleset.source += " · prag și alocație: valori demonstrative (sintetice), nu din documente"
        ruleset.save(update_fields=["threshold", "meal_allowance", "source"])
    if ruleset is not None and ruleset.reverify_months is None:
        # The strategy says "renewed and verified periodically" without an interval: a demo value, flagged.
        ruleset.reverify_months = DEMO_REVERIFY_MONTHS
        ruleset.unstated = sorted({*ruleset.unstated, "reverify_months"})
        ruleset.save(update_fields=["reverify_months", "unstated"])
    office = _org(municipality, "das")
    units = []
    for u in spec["units"]:
        organisation = _org(municipality, u["organisation"]) or office
        if organisation is None:
            continue
        units.append(
            services.unit_save(
                municipality=municipality,
                code=u["code"],
                name=u["name"],
                organisation=organisation,
                office=office,
                home_delivery=u["home_delivery"],
                source=u["source"],
            )
        )
    if Application.objects.for_tenant(municipality).filter(is_synthetic=True).exists() or office is None:
        return
    persons = list(Person.objects.for_tenant(municipality).filter(is_synthetic=True).order_by("id"))
    if not persons:
        return
    counts = _synthetic_year(municipality, office, units, persons)
    audit_record(action="canteen.demo.load", municipality=municipality, object_type="canteen", changes=counts)
    if stdout:
        stdout.write(f"  {municipality.name}: canteen {counts}")


def _synthetic_year(
    municipality: Municipality, office: Organisation, units: list[CanteenUnit], persons: list[Person]
) -> dict[str, int]:
    rng = random.Random(18)
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=365)).replace(day=1)
    mid = municipality.pk
    ruleset = services.selectors.rules_in_force(municipality=municipality, on=today)
    categories = services.selectors.categories_in_force(municipality=municipality, on=today)
    applications, decisions, cards, meals = [], [], [], []
    codes = [c for c, w in CATEGORY_WEIGHTS for _ in range(w)]
    pool = iter(rng.sample(persons, min(len(persons), sum(PERSONS_PER_UNIT.values()))))
    # Two rounds a unit that delivers at home (synthetic; the driver is left for the unit to name).
    rounds = {
        unit.pk: [
            DeliveryRound.objects.create(municipality_id=mid, unit=unit, name=f"Runda {letter} (sintetic)")
            for letter in "AB"
        ]
        for unit in units
        if unit.home_delivery
    }
    carried: dict[Any, DeliveryRound] = {}
    absences: list[DeliveryAbsence] = []
    n = 0
    for unit in units:
        prefix = "".join(w[0] for w in unit.code.split("-") if w)[:4].upper()
        for i in range(PERSONS_PER_UNIT.get(unit.code, 0)):
            person = next(pool, None)
            if person is None:
                break
            n += 1
            received = start + datetime.timedelta(days=rng.randrange(0, 200))
            valid_from = received + datetime.timedelta(days=rng.randrange(5, 30))
            size = rng.choice([1, 1, 2, 3, 4])
            wanted = rng.choice(codes)
            result = None
            for category in (wanted, "e"):
                income = (
                    Decimal(300 * size)
                    if category in ("a", "b")
                    else Decimal(0)
                    if category == "f"
                    else Decimal(rng.choice([300, 800, 1400, 2200]))
                )
                facts = Facts(
                    birth_date=person.birth_date,
                    household_size=size,
                    household_income=income,
                    in_full_time_education=category == "b",
                    is_pensioner=category == "c",
                    of_pension_age=category == "d",
                    isolated_or_unsupported=category == "d",
                    invalid_or_chronic=category == "e",
                    temporarily_no_income=category == "f",
                )
                result = assess(facts=facts, rules=ruleset, categories=categories, on=valid_from, requested=category)
                if result.eligible and result.category == category:
                    break
            if result is None or not result.eligible:
                continue
            category = result.category
            length = 89 if category == "f" else rng.choice([180, 365, 540])
            valid_to = valid_from + datetime.timedelta(days=length)
            per_person = result.income_per_person
            rate = result.contribution_rate
            dinner = unit.code == "azil-noapte" or rng.random() < 0.5
            home = unit.home_delivery and rng.random() < 0.15
            application = Application(
                municipality_id=mid,
                number=f"CAS-{received.year}-D{n:04d}",
                person=person,
                organisation=office,
                unit=unit,
                received_on=received,
                requested_category=category,
                household_size=size,
                household_income=income,
                is_pensioner=category == "c",
                of_pension_age=category == "d",
                isolated_or_unsupported=category == "d",
                invalid_or_chronic=category == "e",
                temporarily_no_income=category == "f",
                in_full_time_education=category == "b",
                lunch=True,
                dinner=dinner,
                home_delivery=home,
                documents=list(services.DOCUMENTS),
                status=ApplicationStatus.DECIDED,
                is_synthetic=True,
            )
            decision = Decision(
                municipality_id=mid,
                application=application,
                person=person,
                number=f"DCAS-{valid_from.year}-D{n:04d}",
                outcome=Outcome.APPROVED,
                category=category,
                unit=unit,
                valid_from=valid_from,
                valid_to=valid_to,
                lunch=True,
                dinner=dinner,
                home_delivery=home,
                contribution_rate=rate,
                income_per_person=per_person,
                reasons=[r.as_json() for r in result.reasons],
                decided_on=received + datetime.timedelta(days=rng.randrange(3, 28)),
                is_synthetic=True,
            )
            card = MealCard(
                municipality_id=mid, number=f"{prefix}-{i + 1:06d}", decision=decision, person=person, unit=unit
            )
            applications.append(application)
            decisions.append(decision)
            cards.append(card)
            delivery_round = rng.choice(rounds[unit.pk]) if home else None
            if delivery_round is not None:
                carried[decision.pk] = delivery_round
            day = max(valid_from, start)
            last = min(valid_to, today - datetime.timedelta(days=1))
            attendance = rng.uniform(0.7, 0.95)
            while day <= last:
                if delivery_round is not None and day.weekday() < 5 and rng.random() > attendance:
                    absences.append(
                        DeliveryAbsence(
                            municipality_id=mid,
                            delivery_round=delivery_round,
                            decision=decision,
                            person=person,
                            day=day,
                            kind="lunch",
                            is_synthetic=True,
                        )
                    )
                elif (day.weekday() < 5 or unit.code == "azil-noapte") and rng.random() < attendance:
                    for kind in ("lunch", "dinner") if dinner else ("lunch",):
                        meals.append(
                            {
                                "card_id": card.pk,
                                "decision_id": decision.pk,
                                "person_id": person.pk,
                                "unit_id": unit.pk,
                                "category": category,
                                "served_on": day,
                                "kind": kind,
                                "home_delivery": home,
                                "delivery_round_id": delivery_round.pk if delivery_round else None,
                            }
                        )
                day += datetime.timedelta(days=1)
    Application.objects.bulk_create(applications)
    Decision.objects.bulk_create(decisions)
    MealCard.objects.bulk_create(cards)
    _insert_meals(mid, meals)
    DeliveryAbsence.objects.bulk_create(absences, batch_size=1000)
    stops = _synthetic_stops(decisions, carried, today=today)
    lists = 0
    for unit in units:
        for month in (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1), today.replace(day=1):
            nominal_list = NominalList.objects.create(
                municipality_id=mid, unit=unit, month=month, version=1, status=ListStatus.SENT, sent_at=timezone.now()
            )
            NominalEntry.objects.bulk_create(services.list_entries_build(nominal_list=nominal_list))
            lists += 1
    payments = _synthetic_payments(units, start=start, today=today, rng=rng)
    checks = _synthetic_checks(decisions, interval=ruleset.reverify_months if ruleset else None, today=today, rng=rng)
    return {
        "applications": len(applications),
        "meals": len(meals),
        "lists": lists,
        "payments": payments,
        "re-verifications": checks,
        "round stops": stops,
        "absences": len(absences),
    }


def _synthetic_stops(decisions: list[Decision], carried: dict[Any, DeliveryRound], *, today: datetime.date) -> int:
    """The rounds carry the persons delivered at home whose decision is in force today or later, by name."""
    rows: list[RoundStop] = []
    positions: dict[Any, int] = {}
    current = [d for d in decisions if d.pk in carried and d.valid_to and d.valid_to >= today]
    for decision in sorted(current, key=lambda d: (d.person.last_name, d.person.first_name)):
        delivery_round = carried[decision.pk]
        positions[delivery_round.pk] = positions.get(delivery_round.pk, 0) + 1
        rows.append(
            RoundStop(
                municipality_id=decision.municipality_id,
                delivery_round=delivery_round,
                decision=decision,
                person_id=decision.person_id,
                position=positions[delivery_round.pk],
            )
        )
    RoundStop.objects.bulk_create(rows)
    return len(rows)


def _synthetic_checks(decisions: list[Decision], *, interval: int | None, today: datetime.date, rng: Any) -> int:
    """Most files checked when they fell due (circumstances unchanged), a few left for the office to do."""
    if not interval:
        return 0
    rows = []
    for decision in decisions:
        due = services.selectors.add_months(decision.decided_on, interval)
        while due < today - datetime.timedelta(days=14) and due <= (decision.last_day or due):
            if rng.random() < 0.15:
                break  # overdue: on the office's list
            checked = due + datetime.timedelta(days=rng.randint(-10, 5))
            rows.append(
                Reverification(
                    municipality_id=decision.municipality_id,
                    decision=decision,
                    verified_on=checked,
                    outcome=ReverificationOutcome.CONFIRMED,
                    note="Venituri și componența familiei neschimbate (sintetic).",
                )
            )
            due = services.selectors.add_months(checked, interval)
    Reverification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _synthetic_payments(units: list[CanteenUnit], *, start: datetime.date, today: datetime.date, rng: Any) -> int:
    """Most closed months paid in full by the 10th of the next month, some left unpaid (arrears to follow up)."""
    rows: list[ContributionPayment] = []
    for unit in units:
        accounts = services.selectors.contribution_accounts(unit=unit, first=start, last=today, today=today)
        for account in accounts:
            for m in account.months:
                if not m.closed or not m.due or rng.random() < 0.12:
                    continue
                rows.append(
                    ContributionPayment(
                        municipality_id=unit.municipality_id,
                        decision=account.decision,
                        person_id=account.decision.person_id,
                        unit=unit,
                        month=m.month,
                        amount=m.due,
                        paid_on=min((m.month + datetime.timedelta(days=32)).replace(day=rng.randint(1, 10)), today),
                        receipt=f"CH-{unit.code[:12]}-{len(rows) + 1:05d}",
                        is_synthetic=True,
                    )
                )
    ContributionPayment.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _insert_meals(municipality_id: Any, rows: list[dict[str, Any]]) -> None:
    """The year's meals in one ``executemany`` (tens of thousands of rows: the ORM's per-row model and value
    preparation would take most of the loader's time). Every column is written; values are adapted once."""
    fields = list(Meal._meta.concrete_fields)
    ops = connection.ops
    uuid_value = (lambda u: u) if connection.vendor == "postgresql" else (lambda u: u.hex)
    now = ops.adapt_datetimefield_value(timezone.now())
    fixed = {
        "municipality_id": uuid_value(municipality_id) if isinstance(municipality_id, uuid.UUID) else municipality_id,
        "client_key": None,
        "served_by_id": None,
        "recorded_at": now,
        "is_synthetic": True,
    }
    uuid_columns = {"card_id", "decision_id", "person_id", "unit_id", "delivery_round_id"}
    values = []
    for row in rows:
        record = []
        for f in fields:
            name = f.attname
            if name == "id":
                record.append(uuid_value(uuid7()))
            elif name in uuid_columns:
                record.append(None if row[name] is None else uuid_value(row[name]))
            elif name == "served_on":
                record.append(ops.adapt_datefield_value(row[name]))
            elif name in fixed:
                record.append(fixed[name])
            else:
                record.append(row[name])
        values.append(record)
    table = connection.ops.quote_name(Meal._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # The table and column names are the model's own (quoted), never input; the values are parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start : start + 5000])


@transaction.atomic
def _balti(municipality: Municipality, stdout: Any) -> None:
    enterprise = _org(municipality, "im")
    if enterprise is not None:
        services.unit_save(
            municipality=municipality,
            code="cantina-sociala-im",
            name="Cantina socială (ÎM)",
            organisation=enterprise,
            source="Planul de acțiuni Bălți 2025-2027, acțiunea 5.1.2",
        )
    if AidSeason.objects.for_tenant(municipality).filter(is_synthetic=True).exists():
        return
    persons = list(Person.objects.for_tenant(municipality).filter(is_synthetic=True).order_by("id")[:60])
    if not persons:
        return
    today = timezone.localdate()
    year = today.year if today.month >= 10 else today.year - 1
    season = AidSeason.objects.create(
        municipality=municipality,
        name=f"Perioada rece {year}-{year + 1}",
        starts_on=datetime.date(year, 10, 15),
        ends_on=datetime.date(year + 1, 4, 15),
        legal_basis="Planul de acțiuni Bălți 2025-2027, acțiunea 5.1.4",
        is_synthetic=True,
    )
    rng = random.Random(514)
    rows = []
    for person in persons:
        item = rng.choice(["firewood", "coal"])
        quantity, unit = (
            (Decimal(rng.choice([2, 3, 4])), "m3") if item == "firewood" else (Decimal(rng.choice([1, 2])), "t")
        )
        delivered = rng.random() < 0.6
        rows.append(
            AidAllocation(
                municipality=municipality,
                season=season,
                person=person,
                item=item,
                quantity=quantity,
                unit=unit,
                decided_on=season.starts_on,
                delivered_on=min(season.starts_on + datetime.timedelta(days=rng.randrange(5, 40)), today)
                if delivered
                else None,
                delivered_quantity=quantity if delivered else None,
                is_synthetic=True,
            )
        )
    AidAllocation.objects.bulk_create(rows)
    audit_record(
        action="canteen.demo.load", municipality=municipality, object_type="canteen", changes={"aid": len(rows)}
    )
    if stdout:
        stdout.write(f"  {municipality.name}: aid in kind {len(rows)}")

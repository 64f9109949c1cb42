"""The flow application → decision → list → card → meal, and the figures that must agree."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carenet.audit.models import AuditEvent
from carenet.canteen import selectors, services
from carenet.canteen.models import CardStatus, ListStatus, Meal, MealCard, Outcome
from carenet.testing.factories import make_person

from .conftest import make_application

TODAY = timezone.localdate


def test_approval_takes_the_category_and_the_30_percent_contribution_and_issues_a_card(approved_a):
    assert approved_a.outcome == Outcome.APPROVED
    assert approved_a.category == "c"
    assert approved_a.contribution_rate == Decimal("0.300")
    assert approved_a.income_per_person == Decimal("900.00")
    card = MealCard.objects.for_tenant(approved_a.municipality_id).get(decision=approved_a)
    assert card.status == CardStatus.ACTIVE
    assert AuditEvent.objects.filter(action="canteen.decision.approve", object_id=str(approved_a.pk)).exists()


def test_a_caseworker_cannot_decide(caseworker_a, application_a, unit):
    with pytest.raises(PermissionDenied):
        services.decision_approve(
            actor=caseworker_a, application=application_a, valid_from=TODAY(), valid_to=TODAY(), unit=unit
        )


def test_approval_needs_the_documents_and_the_social_inquiry(caseworker_a, manager_a, person_b, org_a, unit):
    application = make_application(caseworker_a, person_b, org_a, unit, documents=["request"], is_pensioner=True)
    with pytest.raises(ValidationError) as exc:
        services.decision_approve(actor=manager_a, application=application, valid_from=TODAY(), valid_to=TODAY())
    assert set(exc.value.message_dict) == {"documents", "case"}


def test_refusal_takes_the_legal_reason_of_the_eligibility(caseworker_a, manager_a, org_a, unit, baia_mare):
    child = make_person(baia_mare, org_a, first="Ana", last="Rus", born=TODAY() - datetime.timedelta(days=365 * 10))
    application = make_application(
        caseworker_a, child, org_a, unit, requested_category="a", household_size=2, household_income=Decimal("1200")
    )
    decision = services.decision_refuse(actor=manager_a, application=application)
    assert (decision.outcome, decision.refusal_reason) == (Outcome.REFUSED, "income_not_under")


def test_art_2_2_a_decision_for_category_f_cannot_grant_a_91st_day(
    caseworker_a, manager_a, person_a, org_a, unit, case_a, inquiry_a
):
    application = make_application(
        caseworker_a, person_a, org_a, unit, case_a, requested_category="f", temporarily_no_income=True
    )
    start = datetime.date(TODAY().year, 1, 1)
    with pytest.raises(ValidationError) as exc:
        services.decision_approve(
            actor=manager_a, application=application, valid_from=start, valid_to=start + datetime.timedelta(days=90)
        )
    assert "valid_to" in exc.value.message_dict
    decision = services.decision_approve(
        actor=manager_a, application=application, valid_from=start, valid_to=start + datetime.timedelta(days=89)
    )
    assert decision.category == "f"
    assert (
        selectors.days_granted(municipality=unit.municipality_id, person=person_a, category="f", year=start.year) == 90
    )


def test_the_months_nominal_list_equals_the_approved_decisions_active_that_month(
    caseworker_a, manager_a, approved_a, unit, org_a, baia_mare, case_a
):
    # a refused one and one that ended before the month are not on it
    other = make_person(baia_mare, org_a, first="Ion", last="Pop")
    make_application(caseworker_a, other, org_a, unit)
    month = TODAY().replace(day=1)
    nominal_list = services.nominal_list_generate(actor=manager_a, unit=unit, month=month)
    active = set(
        selectors.decisions_active(municipality=baia_mare, unit=unit, month=month).values_list("pk", flat=True)
    )
    on_list = set(selectors.list_entries(nominal_list=nominal_list).values_list("decision_id", flat=True))
    assert on_list == active == {approved_a.pk}
    entry = selectors.list_entries(nominal_list=nominal_list).get()
    assert entry.card_number.startswith("CAS-")
    assert entry.contribution > 0


def test_a_sent_list_is_frozen_and_a_new_version_supersedes_it(manager_a, approved_a, unit):
    month = TODAY().replace(day=1)
    first = services.nominal_list_generate(actor=manager_a, unit=unit, month=month)
    services.nominal_list_send(actor=manager_a, nominal_list=first)
    assert AuditEvent.objects.filter(action="canteen.list.send", object_id=str(first.pk)).exists()
    with pytest.raises(ValidationError):
        services.nominal_list_send(actor=manager_a, nominal_list=first)
    second = services.nominal_list_generate(actor=manager_a, unit=unit, month=month)
    services.nominal_list_send(actor=manager_a, nominal_list=second)
    first.refresh_from_db()
    assert (first.status, second.version) == (ListStatus.SUPERSEDED, 2)
    assert selectors.list_entries(nominal_list=first).count() == 1  # the sent snapshot is kept


def _serve(actor, unit, card, kind="lunch", day=None, key=None):
    return services.meal_record(
        actor=actor, unit=unit, key=key or uuid.uuid4(), card_number=card.number, kind=kind, served_on=day
    )


def test_the_counter_refuses_a_second_lunch_the_same_day_but_serves_dinner(cook, approved_a, unit):
    card = MealCard.objects.for_tenant(unit.municipality_id).get(decision=approved_a)
    assert _serve(cook, unit, card).created
    with pytest.raises(services.Refused) as exc:
        _serve(cook, unit, card)
    assert exc.value.code == "already_served"
    assert _serve(cook, unit, card, kind="dinner").created


def test_a_resend_of_the_same_key_is_recorded_once(cook, approved_a, unit):
    card = MealCard.objects.for_tenant(unit.municipality_id).get(decision=approved_a)
    key = uuid.uuid4()
    assert _serve(cook, unit, card, key=key).created
    assert not _serve(cook, unit, card, key=key).created
    assert Meal.objects.for_tenant(unit.municipality_id).count() == 1


def test_the_counter_refuses_a_card_out_of_its_period_and_a_revoked_card(cook, manager_a, approved_a, unit):
    card = MealCard.objects.for_tenant(unit.municipality_id).get(decision=approved_a)
    approved_a.valid_from = TODAY() + datetime.timedelta(days=1)
    approved_a.valid_to = TODAY() + datetime.timedelta(days=30)
    approved_a.save()
    with pytest.raises(services.Refused) as exc:
        _serve(cook, unit, card)
    assert exc.value.code == "out_of_period"
    services.card_revoke(actor=manager_a, card=card, reason="lost")
    with pytest.raises(services.Refused) as exc:
        _serve(cook, unit, card)
    assert exc.value.code == "card_revoked"


def test_art_2_2_the_counter_refuses_the_91st_day_of_category_f(
    cook, caseworker_a, manager_a, person_a, org_a, unit, case_a, inquiry_a, monkeypatch
):
    today = datetime.date(TODAY().year, 6, 15)
    monkeypatch.setattr(services, "_today", lambda: today)
    application = make_application(
        caseworker_a, person_a, org_a, unit, case_a, requested_category="f", temporarily_no_income=True
    )
    decision = services.decision_approve(
        actor=manager_a, application=application, valid_from=today - datetime.timedelta(days=2), valid_to=today
    )
    card = MealCard.objects.for_tenant(unit.municipality_id).get(decision=decision)
    # 90 earlier days of this year already served under category f
    Meal.objects.bulk_create(
        Meal(
            municipality_id=unit.municipality_id,
            decision=decision,
            person=person_a,
            unit=unit,
            category="f",
            served_on=datetime.date(today.year, 1, 1) + datetime.timedelta(days=i),
            kind="lunch",
        )
        for i in range(90)
    )
    with pytest.raises(services.Refused) as exc:
        _serve(cook, unit, card)
    assert exc.value.code == "cap_reached"
    # the 90th day itself (a day already counted) still takes its dinner
    Meal.objects.for_tenant(unit.municipality_id).filter(served_on=datetime.date(today.year, 1, 1)).update(
        served_on=today
    )
    assert _serve(cook, unit, card, kind="dinner").created


def test_the_monthly_statement_counts_exactly_the_meals_recorded(cook, approved_a, unit):
    card = MealCard.objects.for_tenant(unit.municipality_id).get(decision=approved_a)
    today = TODAY()
    for kind in ("lunch", "dinner"):
        _serve(cook, unit, card, kind=kind)
    if today.day > 1:
        _serve(cook, unit, card, day=today - datetime.timedelta(days=1))
    recorded = (
        Meal.objects.for_tenant(unit.municipality_id)
        .filter(served_on__year=today.year, served_on__month=today.month)
        .count()
    )
    statement = selectors.monthly_statement(unit=unit, month=today)
    assert statement.meals == recorded
    assert statement.meals == selectors.meals_total(
        municipality=unit.municipality_id, first=today.replace(day=1), last=today, unit=unit
    )
    row = statement.rows[0]
    # 30 % of 900 = 270, capped at the meals' cost (15 per meal)
    assert row.contribution == min(Decimal("270.00"), Decimal(15) * row.meals)


def test_aid_in_kind_asks_to_confirm_an_unusual_quantity(coordinator, baia_mare, person_a):
    season = services.aid_season_create(
        actor=coordinator, municipality=baia_mare, name="Iarna 2026", starts_on=TODAY(), ends_on=TODAY()
    )
    with pytest.raises(ValidationError) as exc:
        services.aid_allocate(
            actor=coordinator, season=season, person=person_a, item="firewood", quantity=Decimal(50), unit="m3"
        )
    assert "quantity" in exc.value.message_dict
    allocation = services.aid_allocate(
        actor=coordinator, season=season, person=person_a, item="firewood", quantity=Decimal(5), unit="m3"
    )
    services.aid_deliver(actor=coordinator, allocation=allocation, delivered_on=TODAY())
    assert allocation.delivered_quantity == Decimal(5)


def test_balti_rules_are_seeded_with_what_the_seeds_do_not_state_flagged(balti_rules):
    assert balti_rules.currency == "MDL"
    assert balti_rules.threshold is None
    assert {"law", "threshold", "meal_allowance", "contribution_rate"} <= set(balti_rules.unstated)

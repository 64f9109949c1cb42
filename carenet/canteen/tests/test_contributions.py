"""Contributions (art. 2 (3) Legea 208/1997): the amount due per month computed from the meals served, each
payment recorded with its receipt, arrears shown (issue 18)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carenet.canteen import selectors, services
from carenet.canteen.models import ContributionPayment, MealCard
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused

TODAY = timezone.localdate()
MONTH = TODAY.replace(day=1)
NEXT_MONTH = (MONTH + datetime.timedelta(days=32)).replace(day=1)


def _lunch(cook, unit):
    card = MealCard.objects.for_tenant(unit.municipality_id).get()
    services.meal_record(actor=cook, unit=unit, key=uuid.uuid4(), card_number=card.number, kind="lunch")


def _account(unit, today):
    [account] = selectors.contribution_accounts(unit=unit, first=MONTH, last=MONTH, today=today)
    return account


def test_a_month_owes_the_share_of_income_capped_at_the_meals_served(cook, approved_a, unit):
    """900 a month per person, 30 % is 270, but one lunch at 15 was served: 15 is due (art. 2 (3))."""
    _lunch(cook, unit)
    account = _account(unit, TODAY)
    assert account.due == Decimal("15.00")
    statement = selectors.monthly_statement(unit=unit, month=MONTH)
    assert account.due == statement.rows[0].contribution  # one figure, one computation
    assert account.arrears == 0  # the month is not over yet


def test_an_unpaid_month_once_over_is_in_arrears_and_a_payment_clears_it(cook, approved_a, unit):
    _lunch(cook, unit)
    after = NEXT_MONTH + datetime.timedelta(days=1)
    assert _account(unit, after).arrears == Decimal("15.00")
    services.contribution_payment_record(
        actor=cook, decision=approved_a, month=MONTH, amount=Decimal("15.00"), paid_on=TODAY, receipt="C-1"
    )
    account = _account(unit, after)
    assert (account.paid, account.arrears, account.months_in_arrears) == (Decimal("15.00"), 0, 0)


def test_a_payment_above_the_monthly_contribution_is_refused_and_nothing_is_saved(cook, approved_a, unit):
    with pytest.raises(ValidationError) as exc:
        services.contribution_payment_record(
            actor=cook, decision=approved_a, month=MONTH, amount=Decimal("270.01"), paid_on=TODAY
        )
    assert "amount" in exc.value.message_dict
    assert not ContributionPayment.objects.for_tenant(unit.municipality_id).exists()


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("paid_on", {"paid_on": TODAY + datetime.timedelta(days=1)}),
        ("month", {"month": MONTH - datetime.timedelta(days=400)}),
        ("amount", {"amount": Decimal("0")}),
    ],
)
def test_a_bad_payment_is_refused_naming_the_field(cook, approved_a, unit, field, changes):
    data = {"month": MONTH, "amount": Decimal("10"), "paid_on": TODAY, **changes}
    with pytest.raises(ValidationError) as exc:
        services.contribution_payment_record(actor=cook, decision=approved_a, **data)
    assert field in exc.value.message_dict


def test_a_receipt_number_is_recorded_once(cook, approved_a, unit):
    pay = {"decision": approved_a, "month": MONTH, "amount": Decimal("5"), "paid_on": TODAY, "receipt": "C-7"}
    services.contribution_payment_record(actor=cook, **pay)
    with pytest.raises(ValidationError) as exc:
        services.contribution_payment_record(actor=cook, **pay)
    assert "receipt" in exc.value.message_dict


def test_the_unit_staff_record_a_payment_through_the_page(client, cook, approved_a, unit):
    _lunch(cook, unit)
    client.force_login(cook)
    page = client.get(reverse("canteen:contributions", args=[unit.pk]))
    assert page.status_code == 200 and len(page.context["accounts"]) == 1
    url = reverse("canteen:contribution_pay", args=[approved_a.pk])
    r = client.post(url, {"month": f"{MONTH:%Y-%m}", "amount": "15", "paid_on": TODAY.isoformat(), "receipt": "C-2"})
    assert r.status_code == 302
    assert ContributionPayment.objects.for_tenant(unit.municipality_id).get().receipt == "C-2"
    r = client.post(url, {"month": "garbage", "amount": "abc", "paid_on": ""})
    assert r.status_code == 200 and {"month", "amount", "paid_on"} <= set(r.context["form"].errors)


def test_a_caseworker_of_another_provider_cannot_see_or_take_the_contributions(client, caseworker_b, approved_a, unit):
    client.force_login(caseworker_b)
    assert_refused(client, reverse("canteen:contributions", args=[unit.pk]), NOT_FOUND)
    assert_refused(client, reverse("canteen:contribution_pay", args=[approved_a.pk]), NOT_FOUND)


def test_a_user_of_the_other_municipality_cannot_take_a_payment(client, other_tenant_user, approved_a):
    client.force_login(other_tenant_user)
    assert_refused(client, reverse("canteen:contribution_pay", args=[approved_a.pk]), NOT_FOUND)


def test_the_auditor_reads_the_contributions_but_takes_no_payment(client, auditor, approved_a, unit):
    client.force_login(auditor)
    assert client.get(reverse("canteen:contributions", args=[unit.pk])).status_code == 200
    assert_refused(client, reverse("canteen:contribution_pay", args=[approved_a.pk]), FORBIDDEN)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, approved_a, unit):
    assert_login_required(client, reverse("canteen:contribution_pay", args=[approved_a.pk]))

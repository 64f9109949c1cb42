"""Rent of a tenancy: the statement month by month (the rent of the contract that covered each month, a past
month with nothing recorded counted as due, this month counted once recorded), payments posted as receipts
(refused with the field named, nothing half-saved), overpayment carried as credit, payments settling the
oldest month first, and the arrears list and alert reading the same figure."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from carenet.audit.models import AuditEvent
from carenet.housing import selectors, services
from carenet.housing.models import RentMonth, RentPayment

from .conftest import THIS_MONTH, TODAY, end_of, months_ago


@pytest.fixture
def tenancy(signed: Any, officer: Any) -> Any:
    """Five months ago at 120 a month for three months, renewed two months ago at 150."""
    first = signed(starts_on=months_ago(5), ends_on=end_of(months_ago(3)))
    return services.contract_renew(
        actor=officer, contract=first, ends_on=months_ago(2).replace(year=months_ago(2).year + 1), rent=Decimal("150")
    )


def pay(officer: Any, contract: Any, month: datetime.date, amount: str, receipt: str, **kw: Any) -> Any:
    data = services.PaymentInput(month=month, amount=amount, paid_on=kw.get("paid_on", TODAY), receipt_number=receipt)
    return services.rent_payment_record(actor=officer, contract=contract, data=data)


def test_each_month_is_due_at_the_rent_of_the_contract_that_covered_it(tenancy: Any) -> None:
    statement = selectors.rent_statement(contract=tenancy)
    dues = {line.month: line.due for line in statement.lines}
    assert [dues[months_ago(n)] for n in (5, 4, 3, 2, 1, 0)] == [Decimal(120)] * 3 + [Decimal(150)] * 3
    assert [line.contract.number for line in statement.lines[:3]] == [statement.contracts[0].number] * 3


def test_a_past_month_not_recorded_counts_as_due_and_this_month_only_once_recorded(tenancy: Any, officer: Any) -> None:
    statement = selectors.rent_statement(contract=tenancy)
    assert not any(line.recorded for line in statement.lines)
    assert [line.counted for line in statement.lines] == [True] * 5 + [False]
    assert statement.arrears == 3 * 120 + 2 * 150
    pay(officer, tenancy, THIS_MONTH, "50", "R-1")
    assert selectors.rent_statement(contract=tenancy).arrears == 3 * 120 + 3 * 150 - 50


def test_arrears_equal_the_dues_of_past_months_less_every_payment(tenancy: Any, officer: Any) -> None:
    payments = [(months_ago(5), "120"), (months_ago(4), "60"), (months_ago(2), "150"), (months_ago(2), "10")]
    for n, (month, amount) in enumerate(payments):
        pay(officer, tenancy, month, amount, f"R-{n}")
    statement = selectors.rent_statement(contract=tenancy)
    independent = sum(Decimal(r) for r in ("120", "120", "120", "150", "150")) - sum(Decimal(a) for _m, a in payments)
    assert statement.arrears == independent == Decimal("320")
    assert statement.lines[-2].running == independent  # the running total ends on the arrears
    line = next(x for x in statement.lines if x.month == months_ago(2))
    assert line.paid == 160 and [p.receipt_number for p in line.payments] == ["R-2", "R-3"]
    # The month's row (read by the alert code and the importer's consumers) holds the sum of its payments.
    row = RentMonth.objects.for_tenant(tenancy.municipality_id).get(month=months_ago(2))
    assert (row.due, row.paid, row.contract_id) == (Decimal("150"), Decimal("160"), tenancy.pk)


def test_an_overpayment_is_credit_for_the_next_months_settling_the_oldest_first(tenancy: Any, officer: Any) -> None:
    pay(officer, tenancy, months_ago(5), "700", "R-1")
    statement = selectors.rent_statement(contract=tenancy)
    assert statement.arrears == Decimal("-40") and statement.credit == Decimal("40") and statement.months_owed == 0
    pay(officer, tenancy, months_ago(1), "5", "R-2")
    assert selectors.rent_statement(contract=tenancy).credit == Decimal("45")


def test_months_owed_are_those_left_after_paying_the_oldest_first(tenancy: Any, officer: Any) -> None:
    pay(officer, tenancy, months_ago(1), "300", "R-1")  # posted late in the year, it settles the oldest months
    statement = selectors.rent_statement(contract=tenancy)
    assert statement.arrears == Decimal("360") and statement.months_owed == 3  # 120 + 150 + 150 left, part of one


@pytest.mark.parametrize(
    ("month", "amount", "receipt", "paid_on", "field"),
    [
        (months_ago(6), "120", "R-9", TODAY, "month"),  # before the tenancy began
        (THIS_MONTH.replace(year=THIS_MONTH.year + 2), "120", "R-9", TODAY, "month"),  # after it ends
        ((THIS_MONTH + datetime.timedelta(days=32)).replace(day=1), "120", "R-9", TODAY, "month"),  # in advance
        (months_ago(1), "-5", "R-9", TODAY, "amount"),
        (months_ago(1), "0", "R-9", TODAY, "amount"),
        (months_ago(1), "1.005", "R-9", TODAY, "amount"),
        (months_ago(1), "120", "R-1", TODAY, "receipt_number"),  # the receipt is already recorded
        (months_ago(1), "120", "  ", TODAY, "receipt_number"),
        (months_ago(1), "120", "R-9", TODAY + datetime.timedelta(days=1), "paid_on"),
    ],
)
def test_a_payment_is_refused_naming_the_field_and_nothing_is_saved(
    tenancy: Any, officer: Any, month: Any, amount: str, receipt: str, paid_on: Any, field: str
) -> None:
    pay(officer, tenancy, months_ago(2), "150", "R-1")
    m = tenancy.municipality_id
    before = (RentPayment.objects.for_tenant(m).count(), list(RentMonth.objects.for_tenant(m).values_list("paid")))
    events = AuditEvent.objects.filter(action="housing.rent.pay").count()
    with pytest.raises(ValidationError) as exc:
        pay(officer, tenancy, month, amount, receipt, paid_on=paid_on)
    assert field in exc.value.message_dict
    assert (
        RentPayment.objects.for_tenant(m).count(),
        list(RentMonth.objects.for_tenant(m).values_list("paid")),
    ) == before
    assert AuditEvent.objects.filter(action="housing.rent.pay").count() == events


def test_a_payment_is_audited_with_its_receipt(tenancy: Any, officer: Any) -> None:
    pay(officer, tenancy, months_ago(1), "150", "R-7")
    event = AuditEvent.objects.get(action="housing.rent.pay")
    assert event.changes["receipt_number"] == "R-7" and event.changes["amount"] == "150.00"


def test_the_auditor_may_not_record_a_payment(tenancy: Any, auditor: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        pay(auditor, tenancy, months_ago(1), "150", "R-1")


def test_rent_month_record_still_sets_a_month_and_the_statement_reads_it(tenancy: Any, officer: Any) -> None:
    services.rent_month_record(actor=officer, contract=tenancy, month=months_ago(1), due="150", paid="150")
    statement = selectors.rent_statement(contract=tenancy)
    assert statement.arrears == 3 * 120 + 150


def test_the_arrears_list_and_the_alert_read_the_statement(tenancy: Any, officer: Any) -> None:
    # 660 owed, above the rule's alert of 500.
    rows = selectors.arrears_rows(user=officer)
    assert [(r.contract.pk, r.arrears, r.months_owed, r.above_alert) for r in rows] == [
        (tenancy.pk, Decimal("660"), 5, True)
    ]
    assert [(a.kind, a.value) for a in selectors.alerts(user=officer)] == [("arrears", Decimal("660"))]
    assert selectors.dwelling_arrears(dwelling=tenancy.dwelling) == Decimal("660")
    pay(officer, tenancy, months_ago(5), "660", "R-1")
    assert selectors.arrears_rows(user=officer) == [] and selectors.alerts(user=officer) == []

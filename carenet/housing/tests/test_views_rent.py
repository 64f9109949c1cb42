"""The rent pages: the officer records a payment on the tenancy's page (a wrong field is named, nothing is
saved), the statement prints as an audited PDF, the arrears list shows the largest debt first; every page
refuses with its one status code — the other municipality 404, a provider that is not the housing office 404
on a record and 403 on the list, the auditor 403 on recording, an anonymous visitor 302 to sign in."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from carenet.audit.models import AuditEvent
from carenet.housing.models import RentPayment
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

from .conftest import TODAY, months_ago


@pytest.fixture
def contract(signed: Any) -> Any:
    return signed(starts_on=months_ago(3), ends_on=months_ago(3).replace(year=months_ago(3).year + 1))


def payment(month: datetime.date, amount: str = "120", receipt: str = "R-1") -> dict[str, str]:
    return {"month": month.strftime("%Y-%m"), "amount": amount, "paid_on": TODAY.isoformat(), "receipt_number": receipt}


def urls(contract: Any) -> dict[str, str]:
    return {
        "rent": reverse("housing:contract_rent", args=[contract.pk]),
        "pay": reverse("housing:contract_rent_pay", args=[contract.pk]),
        "statement": reverse("housing:contract_rent_statement", args=[contract.pk]),
        "arrears": reverse("housing:arrears"),
    }


def test_the_officer_records_a_payment_and_sees_it_on_the_statement(client: Any, officer: Any, contract: Any) -> None:
    client.force_login(officer)
    response = client.post(urls(contract)["pay"], payment(months_ago(2), "120", "CH-0042"))
    assert response.status_code == 302 and response["Location"] == urls(contract)["rent"]
    page = client.get(urls(contract)["rent"]).text
    assert "CH-0042" in page and "not recorded" in page
    assert f"{months_ago(3):%Y-%m}" in page and contract.tenant.last_name in page
    event = AuditEvent.objects.filter(action="person.list_view", object_type="housing.rent.statement").first()
    assert event is not None and str(contract.tenant_id) in event.changes["subject_ids"]


def test_bad_input_is_named_on_the_form_and_nothing_is_saved(client: Any, officer: Any, contract: Any) -> None:
    client.force_login(officer)
    response = client.post(urls(contract)["pay"], payment(months_ago(5)))
    assert response.status_code == 400 and "outside the contract" in response.text
    response = client.post(urls(contract)["pay"], payment(months_ago(1), amount="-3"))
    assert response.status_code == 400 and "more than zero" in response.text
    response = client.post(urls(contract)["pay"], {**payment(months_ago(1)), "month": "not a month"})
    assert response.status_code == 400
    assert not RentPayment.objects.for_tenant(contract.municipality_id).exists()


def test_the_statement_prints_as_an_audited_pdf(client: Any, officer: Any, contract: Any) -> None:
    client.force_login(officer)
    response = client.get(urls(contract)["statement"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action__contains="export", object_type__contains="housing.rent.statement").exists()


def test_the_arrears_list_shows_the_largest_debt_first_with_its_months(
    client: Any, officer: Any, contract: Any
) -> None:
    client.force_login(officer)
    page = client.get(urls(contract)["arrears"])
    assert page.status_code == 200
    assert contract.number in page.text and urls(contract)["rent"] in page.text
    assert "360.00" in page.text  # three past months at 120, nothing paid
    assert "badge--bad" not in page.text  # the rule's alert is 500: not marked
    client.post(urls(contract)["pay"], payment(months_ago(3), "360", "R-1"))
    assert contract.number not in client.get(urls(contract)["arrears"]).text


def test_the_auditor_reads_the_rent_but_may_not_record(client: Any, auditor: Any, contract: Any) -> None:
    client.force_login(auditor)
    page = client.get(urls(contract)["rent"])
    assert page.status_code == 200 and "Record the payment" not in page.text
    assert_refused(client, urls(contract)["pay"], FORBIDDEN, method="post", data=payment(months_ago(1)))
    assert not RentPayment.objects.for_tenant(contract.municipality_id).exists()


@pytest.mark.parametrize("name", ["rent", "pay", "statement"])
def test_the_other_municipality_is_told_nothing(client: Any, other_tenant_user: Any, contract: Any, name: str) -> None:
    client.force_login(other_tenant_user)
    method = "post" if name == "pay" else "get"
    assert_refused(
        client,
        urls(contract)[name],
        NOT_FOUND,
        method=method,
        data=payment(months_ago(1)) if method == "post" else None,
    )


@pytest.mark.parametrize("name", ["rent", "pay", "statement"])
def test_a_provider_that_is_not_the_housing_office_is_told_nothing(
    client: Any, caseworker_a: Any, contract: Any, name: str
) -> None:
    client.force_login(caseworker_a)
    method = "post" if name == "pay" else "get"
    assert_refused(
        client,
        urls(contract)[name],
        NOT_FOUND,
        method=method,
        data=payment(months_ago(1)) if method == "post" else None,
    )


def test_the_arrears_list_is_the_housing_offices(
    client: Any, caseworker_a: Any, other_tenant_user: Any, contract: Any
) -> None:
    client.force_login(caseworker_a)
    assert_refused(client, urls(contract)["arrears"], FORBIDDEN)
    client.force_login(other_tenant_user)  # Bălți's coordinator reads Bălți's list, never Baia Mare's tenancies
    page = client.get(urls(contract)["arrears"])
    assert page.status_code == 200 and contract.number not in page.text


@pytest.mark.parametrize("name", ["rent", "pay", "statement", "arrears"])
def test_anonymous_is_sent_to_sign_in(client: Any, contract: Any, name: str) -> None:
    method = "post" if name == "pay" else "get"
    assert_refused(
        client,
        urls(contract)[name],
        LOGIN_REDIRECT,
        method=method,
        data=payment(months_ago(1)) if method == "post" else None,
    )

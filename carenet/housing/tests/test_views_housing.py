"""The housing office's pages: the officer scores and sees applications (never case files); every page refuses
with its one status code — another provider 404 on a record (403 on a staff page), the other municipality 404,
a lower role 403, an anonymous visitor 302 to the login page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from carenet.housing import services
from carenet.housing.models import ListStatus
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

from .conftest import TODAY, answers

STAFF_PAGES = ["home", "applications", "application_create", "grids", "lists", "dwellings", "consumption_import"]


@pytest.fixture
def application(applicant_factory: Any) -> Any:
    return applicant_factory(filed_on=TODAY - datetime.timedelta(days=3))


@pytest.fixture
def draft_list(application: Any, officer: Any, grid: Any) -> Any:
    services.application_score(
        actor=officer, application=application, answers=answers(grid, conditions=10, household=2, disability=0)
    )
    return services.ranked_list_draw(actor=officer, grid=grid)


def test_the_officer_scores_an_application_and_sees_the_breakdown(client, officer, application, grid):
    client.force_login(officer)
    url = reverse("housing:application", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Current housing conditions" in page.text
    response = client.post(
        reverse("housing:application_score", args=[application.pk]),
        {f"criterion_{k}": v for k, v in answers(grid, conditions=10, household=4, disability=5).items()},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.score == 19
    assert "Disability in the household: 5" in client.get(url).text


def test_a_housing_officer_sees_applications_not_case_files(client, officer, application, case_a):
    client.force_login(officer)
    assert application.file_number in client.get(reverse("housing:applications")).text
    assert_refused(client, reverse("cases:detail", args=[case_a.pk]), NOT_FOUND)


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_anonymous_is_sent_to_login(client, name, housing_rule):
    assert_refused(client, reverse(f"housing:{name}"), LOGIN_REDIRECT)


@pytest.mark.parametrize("name", ["applications", "grids", "lists", "dwellings", "application_create"])
def test_another_providers_caseworker_is_refused_the_housing_pages(client, caseworker_b, housing_rule, name):
    client.force_login(caseworker_b)
    assert_refused(client, reverse(f"housing:{name}"), FORBIDDEN)


def test_another_provider_gets_404_for_an_application(client, caseworker_b, application):
    client.force_login(caseworker_b)
    assert_refused(client, reverse("housing:application", args=[application.pk]), NOT_FOUND)


def test_the_other_municipality_gets_404_for_an_application_and_list(
    client, other_tenant_user, application, draft_list
):
    client.force_login(other_tenant_user)
    assert_refused(client, reverse("housing:application", args=[application.pk]), NOT_FOUND)
    assert_refused(client, reverse("housing:list", args=[draft_list.pk]), NOT_FOUND)
    assert_refused(client, reverse("housing:list_approve", args=[draft_list.pk]), NOT_FOUND, method="post")
    response = client.get(reverse("housing:applications"))
    assert response.status_code == 200 and application.file_number not in response.text


def test_the_auditor_reads_but_does_not_score(client, auditor, application, grid):
    client.force_login(auditor)
    assert client.get(reverse("housing:application", args=[application.pk])).status_code == 200
    assert_refused(
        client,
        reverse("housing:application_score", args=[application.pk]),
        FORBIDDEN,
        method="post",
        data=answers(grid, conditions=10, household=2, disability=0),
    )
    assert_refused(client, reverse("housing:application_create"), FORBIDDEN)


def test_only_the_coordinator_approves_the_list(client, officer, coordinator, draft_list):
    client.force_login(officer)
    assert_refused(client, reverse("housing:list_approve", args=[draft_list.pk]), FORBIDDEN, method="post")
    client.force_login(coordinator)
    assert client.post(reverse("housing:list_approve", args=[draft_list.pk])).status_code == 302
    draft_list.refresh_from_db()
    assert draft_list.status == ListStatus.APPROVED


def test_the_officer_cannot_edit_the_council_grid(client, officer, grid):
    client.force_login(officer)
    assert_refused(
        client,
        reverse("housing:grid", args=[grid.pk]),
        FORBIDDEN,
        method="post",
        data={"code": "x", "label": "X", "options": "a = 1"},
    )


def test_a_criterion_with_a_malformed_line_names_the_line(client, coordinator, grid):
    client.force_login(coordinator)
    response = client.post(
        reverse("housing:grid", args=[grid.pk]), {"code": "eviction", "label": "Evacuare", "options": "Da = 5\nNu"}
    )
    assert response.status_code == 400 and "Line 2" in response.text


def test_the_coordinator_makes_a_grid_and_a_duplicate_year_is_refused(client, coordinator, grid):
    client.force_login(coordinator)
    data = {
        "year": grid.year,
        "title": "X",
        "valid_from": "2026-01-01",
        "tie_break": "earliest_filed",
        "minimum_points": 0,
        "refusal_consequence": "none",
        "refusals_allowed": 0,
    }
    response = client.post(reverse("housing:grids"), data)
    assert response.status_code == 400 and "already a grid for this year" in response.text


def test_an_application_form_with_bad_input_saves_nothing(client, officer, grid):
    client.force_login(officer)
    response = client.post(reverse("housing:application_create"), {"grid": grid.pk, "household_size": 0})
    assert response.status_code == 400
    from carenet.housing.models import Application

    assert not Application.objects.for_tenant(grid.municipality_id).exists()


def test_the_stock_page_offers_in_rank_and_records_a_refusal(
    client, officer, coordinator, draft_list, dwelling, application
):
    services.ranked_list_approve(actor=coordinator, ranked_list=draft_list)
    client.force_login(officer)
    client.post(reverse("housing:dwelling_offer", args=[dwelling.pk]))
    offer = dwelling.offers.get()
    assert offer.application == application
    page = client.get(reverse("housing:dwelling", args=[dwelling.pk]))
    assert application.file_number in page.text
    client.post(reverse("housing:offer_refuse", args=[offer.pk]), {"reason": "location"})
    offer.refresh_from_db()
    assert offer.status == "refused" and offer.consequence == "back_of_list"


def test_offer_pages_refuse_another_provider_with_404(client, caseworker_b, coordinator, draft_list, dwelling, officer):
    services.ranked_list_approve(actor=coordinator, ranked_list=draft_list)
    offer = services.offer_make(actor=officer, dwelling=dwelling)
    client.force_login(caseworker_b)
    for name, arg in (
        ("dwelling", dwelling.pk),
        ("dwelling_offer", dwelling.pk),
        ("offer_accept", offer.pk),
        ("offer_refuse", offer.pk),
    ):
        method = "get" if name == "dwelling" else "post"
        assert_refused(client, reverse(f"housing:{name}", args=[arg]), NOT_FOUND, method=method)


def test_the_application_export_is_audited(client, officer, application):
    from carenet.audit.models import AuditEvent

    client.force_login(officer)
    response = client.get(reverse("housing:applications") + "?format=csv")
    assert response.status_code == 200
    assert (
        AuditEvent.objects.filter(action__startswith="export").exists()
        or AuditEvent.objects.filter(action__contains="export").exists()
    )

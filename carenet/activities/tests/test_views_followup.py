"""The follow-up pages of the network registers (issue 17): a recommendation marked implemented on a date, a
sub-plan's own indicators assessed (achieved yes/no). Recorded by a manager or data officer of the organisation
or the coordinator; another provider's record and the other municipality's are a 404, a lower role a 403,
an anonymous visitor goes to the login."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from carenet.activities import services
from carenet.activities.models import Recommendation, SubPlanIndicator
from carenet.audit.models import AuditEvent
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

DAY = datetime.date(2025, 5, 1)


@pytest.fixture
def rec_a(manager_a: Any, org_a: Any) -> Recommendation:
    return services.recommendation_create(
        actor=manager_a, organisation=org_a, source="platform", text="Rampă de acces la intrare", formulated_on=DAY
    )


@pytest.fixture
def plan_a(manager_a: Any, org_a: Any) -> Any:
    return services.sub_plan_create(
        actor=manager_a,
        organisation=org_a,
        kind="library",
        title="Planul bibliotecii 2025",
        year=2025,
        indicators=("10 cluburi de lectură", "O sală accesibilă", "200 de cititori noi"),
    )


def _urls(rec: Any, plan: Any) -> list[str]:
    return [
        reverse("activities:recommendation_status", args=[rec.pk]),
        reverse("activities:sub_plan_assess", args=[plan.pk]),
    ]


def test_a_manager_marks_her_recommendation_implemented_with_its_date(client: Any, manager_a: Any, rec_a: Any) -> None:
    client.force_login(manager_a)
    url = reverse("activities:recommendation_status", args=[rec_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Rampă de acces" in page.text
    response = client.post(url, {"status": "implemented", "implemented_on": "2025-09-15"})
    assert response.status_code == 302
    rec_a.refresh_from_db()
    assert (rec_a.status, rec_a.implemented_on) == ("implemented", datetime.date(2025, 9, 15))
    assert AuditEvent.objects.filter(action="recommendation.status").count() == 1


def test_implemented_without_a_date_or_before_it_was_formulated_is_refused_naming_the_field(
    client: Any, coordinator: Any, rec_a: Any
) -> None:
    client.force_login(coordinator)
    url = reverse("activities:recommendation_status", args=[rec_a.pk])
    for bad in ({"status": "implemented"}, {"status": "implemented", "implemented_on": "2025-01-01"}):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert "implemented_on" in response.context["form"].errors
    response = client.post(url, {"status": "nonsense"})
    assert response.status_code == 400 and "status" in response.context["form"].errors
    rec_a.refresh_from_db()
    assert (rec_a.status, rec_a.implemented_on) == ("formulated", None)
    assert not AuditEvent.objects.filter(action="recommendation.status").exists()


def test_a_manager_assesses_the_indicators_of_her_sub_plan(client: Any, manager_a: Any, plan_a: Any) -> None:
    client.force_login(manager_a)
    url = reverse("activities:sub_plan_assess", args=[plan_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and "10 cluburi de lectură" in page.text
    first, second, third = SubPlanIndicator.objects.for_tenant(plan_a.municipality_id).order_by("order")
    response = client.post(url, {f"i-{first.pk}": "yes", f"i-{second.pk}": "no", f"i-{third.pk}": ""})
    assert response.status_code == 302
    answers = list(
        SubPlanIndicator.objects.for_tenant(plan_a.municipality_id).order_by("order").values_list("achieved", flat=True)
    )
    assert answers == [True, False, None]
    assert AuditEvent.objects.filter(action="subplan.indicator.assess").count() == 2
    # the register shows the share achieved
    assert "1 / 3" in client.get(reverse("activities:register", args=["subplans"])).text


def test_a_bad_answer_names_the_indicator_and_saves_nothing(client: Any, coordinator: Any, plan_a: Any) -> None:
    client.force_login(coordinator)
    url = reverse("activities:sub_plan_assess", args=[plan_a.pk])
    first, second, _ = SubPlanIndicator.objects.for_tenant(plan_a.municipality_id).order_by("order")
    response = client.post(url, {f"i-{first.pk}": "yes", f"i-{second.pk}": "maybe"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [f"i-{second.pk}"]
    assert not SubPlanIndicator.objects.for_tenant(plan_a.municipality_id).filter(achieved__isnull=False).exists()


def test_another_providers_record_is_404(client: Any, manager_b: Any, rec_a: Any, plan_a: Any) -> None:
    client.force_login(manager_b)
    for url in _urls(rec_a, plan_a):
        assert_refused(client, url, NOT_FOUND)
        assert_refused(client, url, NOT_FOUND, method="post", data={"status": "implemented"})


def test_the_other_municipality_is_404(client: Any, other_tenant_user: Any, rec_a: Any, plan_a: Any) -> None:
    client.force_login(other_tenant_user)
    for url in _urls(rec_a, plan_a):
        assert_refused(client, url, NOT_FOUND)


def test_a_caseworker_of_the_organisation_is_403(client: Any, caseworker_a: Any, rec_a: Any, plan_a: Any) -> None:
    client.force_login(caseworker_a)
    for url in _urls(rec_a, plan_a):
        assert_refused(client, url, FORBIDDEN)
        assert_refused(client, url, FORBIDDEN, method="post", data={"status": "implemented"})
    rec_a.refresh_from_db()
    assert rec_a.implemented_on is None


def test_an_auditor_reads_the_registers_but_follows_nothing_up(
    client: Any, auditor: Any, rec_a: Any, plan_a: Any
) -> None:
    client.force_login(auditor)
    for url in _urls(rec_a, plan_a):
        assert_refused(client, url, FORBIDDEN)


def test_anonymous_goes_to_the_login(client: Any, rec_a: Any, plan_a: Any) -> None:
    for url in _urls(rec_a, plan_a):
        assert_refused(client, url, LOGIN_REDIRECT)


def test_the_register_links_each_record_to_its_follow_up(client: Any, manager_a: Any, rec_a: Any, plan_a: Any) -> None:
    client.force_login(manager_a)
    recs = client.get(reverse("activities:register", args=["recommendations"])).text
    assert reverse("activities:recommendation_status", args=[rec_a.pk]) in recs
    plans = client.get(reverse("activities:register", args=["subplans"])).text
    assert reverse("activities:sub_plan_assess", args=[plan_a.pk]) in plans

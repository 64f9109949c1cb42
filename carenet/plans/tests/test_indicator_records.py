"""The drill-down from a computed indicator to the activities behind its value, and its refusals."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from carenet.activities import services as registers
from carenet.activities.services import ActivityInput
from carenet.plans.services import indicator_sources_apply
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused


def _setup(balti_plan: Any, balti: Any, balti_coordinator: Any) -> tuple[str, Any]:
    from carenet.core.models import Organisation

    indicator_sources_apply(plan=balti_plan)
    kind = registers.activity_kind_save(municipality=balti, code="campanie", name="Campanie", category="campaign")
    action = balti_plan.actions.get(code="1.4.1")
    organiser = Organisation.objects.for_tenant(balti).get(code="primaria")
    for day, title in (
        (datetime.date(2025, 4, 1), "Campania de primăvară"),
        (datetime.date(2026, 4, 1), "Campania 2026"),
    ):
        registers.activity_create(
            actor=balti_coordinator,
            municipality=balti,
            data=ActivityInput(kind=kind, title=title, starts_on=day, organiser=organiser, plan_action=action),
        )
    indicator = balti_plan.indicators.get(code="1.4.1.1")
    return reverse("plans:indicator_records", args=[balti_plan.pk, indicator.pk, "2025"]), indicator


def test_coordinator_drills_down(client: Any, balti_plan: Any, balti: Any, balti_coordinator: Any) -> None:
    url, _indicator = _setup(balti_plan, balti, balti_coordinator)
    client.force_login(balti_coordinator)
    listing = client.get(reverse("plans:indicators", args=[balti_plan.pk]))
    assert url.replace("2025", listing.context["drill_period"].code) in listing.text
    response = client.get(url)
    assert response.status_code == 200
    assert "Campania de primăvară" in response.text and "Campania 2026" not in response.text
    assert response.context["total"] == 1


def test_refusals(
    client: Any,
    balti_plan: Any,
    balti: Any,
    balti_coordinator: Any,
    cultura_officer: Any,
    bm_coordinator: Any,
) -> None:
    url, _indicator = _setup(balti_plan, balti, balti_coordinator)
    assert_refused(client, url, LOGIN_REDIRECT)
    client.force_login(cultura_officer)  # a reporting body of Bălți: sees the plan, not the coordinator's pages
    assert_refused(client, url, FORBIDDEN)
    client.force_login(bm_coordinator)  # Baia Mare's coordinator
    assert_refused(client, url, NOT_FOUND)

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carenet.audit.models import AuditEvent
from carenet.plans import services
from carenet.plans.models import PlanStatus, PlanVersion, VersionKind

pytestmark = pytest.mark.django_db


def test_the_council_decision_approves_the_draft_plan_and_amendments_are_versions(balti_plan, balti_coordinator, balti):
    assert balti_plan.status == PlanStatus.DRAFT
    services.plan_version_add(
        actor=balti_coordinator,
        plan=balti_plan,
        kind=VersionKind.APPROVAL,
        decision_reference="Decizia nr. 3/12",
        decision_date=datetime.date(2025, 3, 27),
    )
    balti_plan.refresh_from_db()
    assert balti_plan.status == PlanStatus.APPROVED
    with pytest.raises(ValidationError):
        services.plan_version_add(
            actor=balti_coordinator, plan=balti_plan, kind=VersionKind.AMENDMENT, decision_reference="Decizia nr. 9/1"
        )
    services.plan_version_add(
        actor=balti_coordinator,
        plan=balti_plan,
        kind=VersionKind.AMENDMENT,
        decision_reference="Decizia nr. 9/1",
        summary="Acțiunea 1.6.10 renumerotată 1.6.1",
    )
    numbers = list(PlanVersion.objects.for_tenant(balti).filter(plan=balti_plan).values_list("number", "kind"))
    assert numbers == [(1, "approval"), (2, "approval"), (3, "amendment")]
    assert AuditEvent.objects.filter(action="plan.version.amendment").count() == 1


def test_only_the_coordinator_amends_the_plan(balti_plan, cultura_officer):
    with pytest.raises(PermissionDenied):
        services.plan_version_add(
            actor=cultura_officer, plan=balti_plan, kind="amendment", decision_reference="x", summary="y"
        )


def test_a_baia_mare_coordinator_cannot_amend_the_balti_plan(balti_plan, bm_coordinator):
    with pytest.raises(PermissionDenied):
        services.plan_version_add(actor=bm_coordinator, plan=balti_plan, kind="approval", decision_reference="x")


def test_targets_per_period_are_set_within_the_plan_years(balti_plan, balti_coordinator):
    indicator = balti_plan.indicators.get(code="1.1.1.1")
    services.indicator_target_set(actor=balti_coordinator, indicator=indicator, year=2025, value=D(3))
    with pytest.raises(ValidationError):
        services.indicator_target_set(actor=balti_coordinator, indicator=indicator, year=2031, value=D(3))
    percent = balti_plan.indicators.get(code="1.1.1.2")
    with pytest.raises(ValidationError):
        services.indicator_target_set(actor=balti_coordinator, indicator=percent, year=2025, value=D(130))
    assert indicator.targets.get(year=2025).value == 3


def test_version_page_records_an_amendment_and_names_the_missing_field(client, balti_plan, balti_coordinator):
    from django.urls import reverse

    client.force_login(balti_coordinator)
    url = reverse("plans:version_add", args=[balti_plan.pk])
    bad = client.post(url, {"kind": "amendment", "decision_reference": "Decizia 9/1", "summary": ""})
    assert bad.status_code == 400 and 'href="#id_summary"' in bad.content.decode()
    ok = client.post(url, {"kind": "amendment", "decision_reference": "Decizia 9/1", "summary": "Termen prelungit"})
    assert ok.status_code == 302
    assert balti_plan.versions.count() == 2


def test_version_page_is_refused_to_a_data_officer_and_to_another_tenant(
    client, balti_plan, cultura_officer, bm_coordinator
):
    from django.urls import reverse

    url = reverse("plans:version_add", args=[balti_plan.pk])
    client.force_login(cultura_officer)
    assert client.get(url).status_code == 403
    client.force_login(bm_coordinator)
    assert client.get(url).status_code == 404

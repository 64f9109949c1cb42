"""The role home page (core.home): each role sees what waits for it, each item one click from its action,
and nothing of another provider or municipality."""

import datetime

import pytest
from django.urls import reverse

from carenet.cases import services as case_services
from carenet.cases.models import MonitoringDuty
from carenet.core.home import HOME_PANELS, home_panels, register_home_panel
from carenet.testing.language import english
from carenet.testing.refusals import assert_login_required

__all__ = ["english"]  # autouse: the assertions read English

HOME = "/dashboard/"


def _overdue_duty(case, actor):
    duty = case_services.duty_add(
        actor=actor,
        case=case,
        kind="plan_follow_up",
        starts_on=case.opened_on,
        interval_weeks=2,
        ends_on=case.opened_on + datetime.timedelta(days=200),
        responsible=actor,
    )
    MonitoringDuty.objects.for_tenant(case.municipality_id).filter(pk=duty.pk).update(
        next_due_on=datetime.date.today() - datetime.timedelta(days=9)
    )
    return duty


@pytest.mark.django_db
def test_a_caseworker_sees_the_overdue_visit_and_records_it_in_one_click(client, caseworker_a, case_a):
    duty = _overdue_duty(case_a, caseworker_a)
    case_services.task_add(
        actor=caseworker_a, case=case_a, title="Call the school", due_on=datetime.date.today(), assignee=caseworker_a
    )
    client.force_login(caseworker_a)
    html = client.get(HOME).content.decode()
    visit_url = reverse("cases:visit_add", args=[case_a.pk, duty.pk])
    assert "Monitoring visits overdue" in html
    assert f'href="{visit_url}"' in html
    assert "9 days late" in html
    assert "Call the school" in html
    assert "My caseload" in html and case_a.reference in html
    assert client.get(visit_url).status_code == 200  # the action behind the link opens


@pytest.mark.django_db
def test_a_caseworker_sees_no_coordinator_or_auditor_panel(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    html = client.get(HOME).content.decode()
    assert "Directory entries to verify" not in html
    assert "Unusual reads" not in html
    assert "Waiting for your approval" not in html


@pytest.mark.django_db
def test_a_manager_sees_the_plan_waiting_for_approval_with_a_link_to_it(client, manager_a, caseworker_a, case_a):
    case_services.case_decide(
        actor=caseworker_a,
        case=case_a,
        expected_version=case_a.version,
        admitted=True,
        decided_on=datetime.date.today(),
    )
    case_a.refresh_from_db()
    plan = case_services.plan_create(actor=caseworker_a, case=case_a, goals="Autonomie la domiciliu")
    case_services.plan_action_add(
        actor=caseworker_a,
        plan=plan,
        action="Vizite la domiciliu",
        responsible="Asistent social",
        due_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    case_services.plan_submit(actor=caseworker_a, plan=plan)
    client.force_login(manager_a)
    html = client.get(HOME).content.decode()
    assert "Waiting for your approval" in html
    assert reverse("cases:detail", args=[case_a.pk]) + "#plan-heading" in html
    assert "Review the plan" in html


@pytest.mark.django_db
def test_the_coordinator_sees_the_directory_to_verify_and_the_stuck_referrals(client, coordinator, service_a):
    client.force_login(coordinator)
    html = client.get(HOME).content.decode()
    assert "Directory entries to verify" in html
    assert service_a.name in html  # never verified: due
    assert "Referrals stuck without an answer" in html
    assert "Alerts: help requests with no answer" in html


@pytest.mark.django_db
def test_the_auditor_sees_the_unusual_reads_one_click_from_the_audit_log(client, auditor, caseworker_a, baia_mare):
    from carenet.audit.services import audit_record

    audit_record(
        action="person.read_volume_alert",
        actor=caseworker_a,
        municipality=baia_mare,
        object_type="accounts.user",
        object_id=caseworker_a.pk,
        object_label=caseworker_a.username,
        changes={"persons_read": 240, "caseload": 12},
    )
    client.force_login(auditor)
    html = client.get(HOME).content.decode()
    assert "Unusual reads of persons" in html
    assert "240 records read" in html
    assert reverse("audit:log") + "?actor=" in html


@pytest.mark.django_db
def test_the_home_page_of_the_other_municipality_shows_nothing_of_this_one(
    client, other_tenant_user, caseworker_a, case_a, service_a
):
    _overdue_duty(case_a, caseworker_a)
    client.force_login(other_tenant_user)
    html = client.get(HOME).content.decode()
    assert case_a.reference not in html
    assert case_a.person.full_name not in html
    assert service_a.name not in html


@pytest.mark.django_db
def test_another_providers_caseworker_does_not_see_the_overdue_visit(client, caseworker_b, caseworker_a, case_a):
    _overdue_duty(case_a, caseworker_a)
    client.force_login(caseworker_b)
    html = client.get(HOME).content.decode()
    assert case_a.person.full_name not in html


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    assert_login_required(client, HOME)


def test_a_panel_registers_once_and_a_panel_for_someone_else_stays_away(rf):
    def nobody(request):
        return None

    register_home_panel(nobody, order=99)
    register_home_panel(nobody, order=99)
    assert sum(1 for _, p in HOME_PANELS if p is nobody) == 1
    HOME_PANELS[:] = [(o, p) for o, p in HOME_PANELS if p is not nobody]


@pytest.mark.django_db
def test_the_platform_administrator_gets_a_home_page_without_panels_of_a_municipality(client, admin_user):
    client.force_login(admin_user)
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Monitoring visits overdue" not in response.content.decode()


def test_home_panels_are_found_by_module_name(rf, db):
    request = rf.get(HOME)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    home_panels(request)
    names = {p.__module__ for _, p in HOME_PANELS}
    assert {"carenet.cases.home", "carenet.referrals.home", "carenet.portal.home", "carenet.accounts.home"} <= names

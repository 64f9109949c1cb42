"""A supervisor returns a submitted plan with what must change (issue 16); the plan's goals are met through
services of the network and by named staff, with a review date."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from carenet.cases import services
from carenet.cases.models import CaseEvent, PlanStatus

TODAY = datetime.date.today()


@pytest.fixture
def submitted_plan(caseworker_a, case_a, service_a):
    case = services.case_decide(actor=caseworker_a, case=case_a, expected_version=1, admitted=True, decided_on=TODAY)
    plan = services.plan_create(actor=caseworker_a, case=case, goals="Autonomy at home", review_on=TODAY)
    services.plan_action_add(
        actor=caseworker_a,
        plan=plan,
        action="Hot meal every day",
        responsible="",
        due_on=TODAY,
        service=service_a,
        staff=caseworker_a,
    )
    return services.plan_submit(actor=caseworker_a, plan=plan)


def _return_url(plan):
    return f"/cases/{plan.case_id}/plans/{plan.pk}/return/"


def test_the_supervisor_returns_the_plan_with_a_reason_the_caseworker_then_reads(
    client, manager_a, caseworker_a, submitted_plan
):
    client.force_login(manager_a)
    r = client.post(_return_url(submitted_plan), {"reason": "Add the family doctor to the actions."})
    assert r.status_code == 302
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == PlanStatus.DRAFT and submitted_plan.returned_by == manager_a
    assert (
        CaseEvent.objects.for_tenant(submitted_plan.municipality_id)
        .filter(case_id=submitted_plan.case_id, kind="plan_return", summary="Add the family doctor to the actions.")
        .exists()
    )
    client.force_login(caseworker_a)
    page = client.get(f"/cases/{submitted_plan.case_id}/").content.decode()
    assert "Returned for changes" in page and "Add the family doctor to the actions." in page
    assert "Plan returned for changes" in page  # the timeline, in the reader's language
    # the caseworker can change the plan and submit it again
    services.plan_action_add(
        actor=caseworker_a,
        plan=submitted_plan,
        action="Visit of the family doctor",
        responsible="Dr. Pop",
        due_on=TODAY,
    )
    assert services.plan_submit(actor=caseworker_a, plan=submitted_plan).status == PlanStatus.SUBMITTED


def test_a_plan_is_returned_only_with_a_reason(client, manager_a, submitted_plan):
    client.force_login(manager_a)
    r = client.post(_return_url(submitted_plan), {"reason": "   "})
    assert r.status_code == 200 and "reason" in r.context["form"].errors
    submitted_plan.refresh_from_db()
    assert submitted_plan.status == PlanStatus.SUBMITTED


def test_only_a_submitted_plan_can_be_returned(manager_a, submitted_plan):
    services.plan_return(actor=manager_a, plan=submitted_plan, reason="Redo")
    with pytest.raises(ValidationError):
        services.plan_return(actor=manager_a, plan=submitted_plan, reason="Again")


def test_the_caseworker_cannot_return_their_own_plan(client, caseworker_a, submitted_plan):
    client.force_login(caseworker_a)
    assert client.post(_return_url(submitted_plan), {"reason": "x"}).status_code == 403


def test_a_manager_of_another_provider_cannot_return_the_plan(client, manager_b, submitted_plan):
    client.force_login(manager_b)
    assert client.post(_return_url(submitted_plan), {"reason": "x"}).status_code == 404


def test_a_user_of_the_other_municipality_cannot_return_the_plan(client, other_tenant_user, submitted_plan):
    client.force_login(other_tenant_user)
    assert client.get(_return_url(submitted_plan)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, submitted_plan):
    r = client.post(_return_url(submitted_plan), {"reason": "x"})
    assert r.status_code == 302 and "/login" in r["Location"]


def test_an_action_names_its_service_and_member_of_staff(client, caseworker_a, submitted_plan):
    client.force_login(caseworker_a)
    page = client.get(f"/cases/{submitted_plan.case_id}/").content.decode()
    assert "Cantina socială" in page
    action = submitted_plan.actions.get()
    assert action.staff == caseworker_a and action.responsible  # filled from the member of staff


def test_a_member_of_another_provider_cannot_be_named_on_the_plan(caseworker_a, caseworker_b, case_a):
    case = services.case_decide(actor=caseworker_a, case=case_a, expected_version=1, admitted=True, decided_on=TODAY)
    plan = services.plan_create(actor=caseworker_a, case=case, goals="Goals")
    with pytest.raises(ValidationError) as exc:
        services.plan_action_add(
            actor=caseworker_a, plan=plan, action="Visit", responsible="", due_on=TODAY, staff=caseworker_b
        )
    assert "staff" in exc.value.message_dict
    assert not plan.actions.exists()


def test_an_action_with_nobody_responsible_is_refused_naming_the_field(client, caseworker_a, case_a):
    services.case_decide(actor=caseworker_a, case=case_a, expected_version=1, admitted=True, decided_on=TODAY)
    services.plan_create(actor=caseworker_a, case=case_a, goals="Goals")
    client.force_login(caseworker_a)
    r = client.post(f"/cases/{case_a.pk}/step/plan_action/", {"action": "Visit", "due_on": TODAY.isoformat()})
    assert r.status_code == 200
    assert r.context["form"].errors["responsible"] == ["Name who is responsible: a member of staff or someone else."]


def test_a_review_date_in_the_past_is_refused(caseworker_a, case_a):
    case = services.case_decide(actor=caseworker_a, case=case_a, expected_version=1, admitted=True, decided_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=caseworker_a, case=case, goals="G", review_on=TODAY - datetime.timedelta(days=1))
    assert "review_on" in exc.value.message_dict

"""Every transition of a case is refused with one status code (docs/architecture.md §3):

* an anonymous visitor is sent to sign in (302);
* a caseworker of another provider, who may not see the case, gets 404 (its existence is not confirmed);
* a user of the other municipality gets 404;
* a role that sees the case but may not take the step gets 403 — the coordinator, whose view of the network's
  cases is read-only, for the caseworker's steps; the case's own caseworker for the supervisor's approvals.

Each refusal leaves the case as it was; the same request by the one who may take the step goes through.
"""

import datetime

import pytest

from carenet.cases import services
from carenet.cases.models import Case, CaseEvent, CaseStatus, InterventionPlan, PlanStatus

TODAY = datetime.date.today()


def _admitted(case, actor):
    return services.case_decide(actor=actor, case=case, expected_version=case.version, admitted=True, decided_on=TODAY)


def _active(case, actor):
    _admitted(case, actor)
    return services.contract_sign(
        actor=actor, case=case, expected_version=case.version, contract_number="C-1", signed_on=TODAY
    )


def _draft_plan(case, actor):
    _active(case, actor)
    plan = services.plan_create(actor=actor, case=case, goals="Autonomy at home")
    services.plan_action_add(actor=actor, plan=plan, action="Weekly visit", responsible="cw_a", due_on=TODAY)
    return plan


def _submitted_plan(case, actor):
    plan = _draft_plan(case, actor)
    return services.plan_submit(actor=actor, plan=plan)


def _closing(case, actor):
    _active(case, actor)
    return services.closure_request(
        actor=actor, case=case, expected_version=case.version, outcome="goals_met", closure_note="Independent"
    )


def _reload(case):
    return Case.objects.for_tenant(case.municipality_id).get(pk=case.pk)


def _plan_status(case):
    plan = InterventionPlan.objects.for_tenant(case.municipality_id).filter(case=case).first()
    return plan.status if plan else None


# name: (prepare the case, the request (method-less: all are POSTs), who may take it, what it changes)
TRANSITIONS = {
    "admit": (
        lambda case, cw: None,
        lambda case: (
            f"/cases/{case.pk}/step/decision/",
            {"version": case.version, "admitted": "yes", "decided_on": TODAY},
        ),
        "caseworker_a",
        lambda case: _reload(case).status == CaseStatus.ADMITTED,
    ),
    "refuse": (
        lambda case, cw: None,
        lambda case: (
            f"/cases/{case.pk}/step/decision/",
            {"version": case.version, "admitted": "no", "decided_on": TODAY, "refusal_reason": "Not eligible"},
        ),
        "caseworker_a",
        lambda case: _reload(case).status == CaseStatus.REFUSED,
    ),
    "contract": (
        _admitted,
        lambda case: (
            f"/cases/{case.pk}/step/contract/",
            {"version": case.version, "contract_number": "C-9", "signed_on": TODAY},
        ),
        "caseworker_a",
        lambda case: _reload(case).status == CaseStatus.ACTIVE,
    ),
    "plan_submit": (
        _draft_plan,
        lambda case: (f"/cases/{case.pk}/plans/{case.plans.get().pk}/submit/", {}),
        "caseworker_a",
        lambda case: _plan_status(case) == PlanStatus.SUBMITTED,
    ),
    "plan_approve": (
        _submitted_plan,
        lambda case: (f"/cases/{case.pk}/plans/{case.plans.get().pk}/approve/", {}),
        "manager_a",
        lambda case: _plan_status(case) == PlanStatus.APPROVED,
    ),
    "closure_request": (
        _active,
        lambda case: (
            f"/cases/{case.pk}/step/closure/",
            {"version": case.version, "outcome": "goals_met", "closure_note": "Independent"},
        ),
        "caseworker_a",
        lambda case: _reload(case).status == CaseStatus.CLOSING,
    ),
    "closure_approve": (
        _closing,
        lambda case: (f"/cases/{case.pk}/closure/", {"version": case.version, "approve": "1"}),
        "manager_a",
        lambda case: _reload(case).status == CaseStatus.CLOSED,
    ),
    "closure_reject": (
        _closing,
        lambda case: (f"/cases/{case.pk}/closure/", {"version": case.version, "approve": "0"}),
        "manager_a",
        lambda case: _reload(case).status == CaseStatus.ACTIVE,
    ),
}
APPROVALS = {"plan_approve", "closure_approve", "closure_reject"}


@pytest.fixture
def prepared(request, case_a, caseworker_a, manager_a):
    """The case in the state where the transition is possible, and the request that takes it."""
    prepare, build, _allowed, _done = TRANSITIONS[request.param]
    prepare(case_a, caseworker_a)
    case = _reload(case_a)
    url, data = build(case)
    before = (case.status, case.version, _plan_status(case), CaseEvent.objects.for_tenant(case.municipality_id).count())
    return request.param, case, url, data, before


def _unchanged(case, before):
    case = _reload(case)
    events = CaseEvent.objects.for_tenant(case.municipality_id).count()
    return (case.status, case.version, _plan_status(case), events) == before


@pytest.mark.parametrize("prepared", list(TRANSITIONS), indirect=True)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, prepared):
    _name, case, url, data, before = prepared
    response = client.post(url, data)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert _unchanged(case, before)


@pytest.mark.parametrize("prepared", list(TRANSITIONS), indirect=True)
@pytest.mark.parametrize("stranger", ["caseworker_b", "manager_b"])
def test_another_provider_gets_404(request, client, prepared, stranger):
    _name, case, url, data, before = prepared
    client.force_login(request.getfixturevalue(stranger))
    assert client.post(url, data).status_code == 404
    assert _unchanged(case, before)


@pytest.mark.parametrize("prepared", list(TRANSITIONS), indirect=True)
def test_the_other_municipality_gets_404(client, other_tenant_user, prepared):
    _name, case, url, data, before = prepared
    client.force_login(other_tenant_user)
    assert client.post(url, data).status_code == 404
    assert _unchanged(case, before)


@pytest.mark.parametrize("prepared", list(TRANSITIONS), indirect=True)
def test_a_role_that_sees_the_case_but_may_not_take_the_step_gets_403(
    client, prepared, coordinator, caseworker_a, manager_a
):
    name, case, url, data, before = prepared
    # The supervisor's approvals are refused to the case's own caseworker; the caseworker's steps to the
    # coordinator, who reads the network's cases but does not work on them.
    client.force_login(caseworker_a if name in APPROVALS else coordinator)
    assert client.post(url, data).status_code == 403
    assert _unchanged(case, before)


@pytest.mark.parametrize("prepared", list(TRANSITIONS), indirect=True)
def test_the_one_who_may_take_the_step_takes_it(request, client, prepared):
    name, case, url, data, _before = prepared
    _prepare, _build, allowed, done = TRANSITIONS[name]
    client.force_login(request.getfixturevalue(allowed))
    assert client.post(url, data).status_code == 302
    assert done(case)


# --- opening a case (intake): the person's page, before any case exists -----------------------------------


def _open(client, person, org):
    data = {"organisation": str(org.pk), "channel": "in_person", "opened_on": TODAY.isoformat()}
    return client.post(f"/cases/new/{person.pk}/", data)


def _cases_of(person):
    return Case.objects.for_tenant(person.municipality_id).filter(person=person).count()


def test_opening_a_case_sends_an_anonymous_visitor_to_sign_in(client, person_a, org_a):
    response = _open(client, person_a, org_a)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert _cases_of(person_a) == 0


def test_opening_a_case_for_a_person_of_another_provider_is_a_404(client, caseworker_b, person_a, org_b):
    client.force_login(caseworker_b)
    assert _open(client, person_a, org_b).status_code == 404
    assert _cases_of(person_a) == 0


def test_opening_a_case_for_a_person_of_the_other_municipality_is_a_404(client, other_tenant_user, person_a, org_a):
    client.force_login(other_tenant_user)
    assert _open(client, person_a, org_a).status_code == 404
    assert _cases_of(person_a) == 0


def test_opening_a_case_is_refused_to_the_coordinator_who_sees_the_person(client, coordinator, person_a, org_a):
    client.force_login(coordinator)
    assert client.get(f"/people/{person_a.pk}/").status_code == 200
    assert _open(client, person_a, org_a).status_code == 403
    assert _cases_of(person_a) == 0


def test_the_persons_provider_opens_the_case(client, caseworker_a, person_a, org_a):
    client.force_login(caseworker_a)
    assert _open(client, person_a, org_a).status_code == 302
    assert _cases_of(person_a) == 1

"""The coordinator's pages: register and decide a request, place and lift a hold, change the schedule, run it."""

import datetime

from carenet.audit.models import AuditEvent
from carenet.privacy.models import LegalHold, RequestStatus, RetentionRule, RetentionRun, SubjectRequest


def test_register_then_decide_a_rectification(client, schedule, coordinator, person_a):
    client.force_login(coordinator)
    response = client.post(
        f"/privacy/persons/{person_a.pk}/requests/new/",
        {"kind": "rectification", "received_on": datetime.date.today().isoformat(), "last_name": "Muntean"},
    )
    request = SubjectRequest.objects.for_tenant(person_a.municipality_id).get()
    assert response.status_code == 302 and request.corrections == {"last_name": "Muntean"}
    response = client.post(f"/privacy/requests/{request.pk}/decide/", {"decision": "grant", "reason": "Conform CI."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DONE
    person_a.refresh_from_db()
    assert person_a.last_name == "Muntean"


def test_a_rectification_without_a_value_is_refused_naming_the_field(client, schedule, coordinator, person_a):
    client.force_login(coordinator)
    response = client.post(
        f"/privacy/persons/{person_a.pk}/requests/new/",
        {"kind": "rectification", "received_on": datetime.date.today().isoformat()},
    )
    assert response.status_code == 200
    assert "Enter at least one corrected value." in response.content.decode()
    assert not SubjectRequest.objects.for_tenant(person_a.municipality_id).exists()


def test_a_decision_without_a_reason_is_refused(client, schedule, coordinator, person_a):
    client.force_login(coordinator)
    client.post(
        f"/privacy/persons/{person_a.pk}/requests/new/",
        {"kind": "access", "received_on": datetime.date.today().isoformat()},
    )
    request = SubjectRequest.objects.for_tenant(person_a.municipality_id).get()
    response = client.post(f"/privacy/requests/{request.pk}/decide/", {"decision": "grant", "reason": ""})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == RequestStatus.REGISTERED


def test_the_erasure_page_shows_what_the_law_keeps(client, schedule, coordinator, person_a, case_a):
    client.force_login(coordinator)
    client.post(
        f"/privacy/persons/{person_a.pk}/requests/new/",
        {"kind": "erasure", "received_on": datetime.date.today().isoformat()},
    )
    request = SubjectRequest.objects.for_tenant(person_a.municipality_id).get()
    page = client.get(f"/privacy/requests/{request.pk}/").content.decode()
    assert f"The case {case_a.reference} is open." in page
    client.post(f"/privacy/requests/{request.pk}/decide/", {"decision": "grant", "reason": "Cerere scrisă."})
    page = client.get(f"/privacy/requests/{request.pk}/").content.decode()
    assert "Refused because the law requires keeping" in page and case_a.reference in page


def test_place_and_lift_a_hold(client, schedule, coordinator, person_a):
    client.force_login(coordinator)
    client.post(f"/privacy/persons/{person_a.pk}/holds/new/", {"reason": "Dosar 45/2026"})
    hold = LegalHold.objects.for_tenant(person_a.municipality_id).get()
    assert "Dosar 45/2026" in client.get(f"/privacy/persons/{person_a.pk}/").content.decode()
    client.post(f"/privacy/holds/{hold.pk}/lift/")
    hold.refresh_from_db()
    assert hold.lifted_on == datetime.date.today()
    assert AuditEvent.objects.filter(action="privacy.hold_lift").exists()


def test_a_new_rule_version_and_a_run_from_the_pages(client, schedule, coordinator):
    client.force_login(coordinator)
    response = client.post(
        "/privacy/schedule/rule/",
        {
            "kind": "feedback",
            "keep_years": 3,
            "action": "delete",
            "legal_ground": "HCL 12/2026",
            "valid_from": "2026-02-01",
        },
    )
    assert response.status_code == 302
    assert RetentionRule.objects.for_tenant(coordinator.municipality_id).filter(legal_ground="HCL 12/2026").exists()
    assert "HCL 12/2026" in client.get("/privacy/schedule/").content.decode()
    client.post("/privacy/runs/now/")
    run = RetentionRun.objects.for_tenant(coordinator.municipality_id).get()
    assert run.started_by == coordinator
    assert "Feedback on services" in client.get("/privacy/runs/").content.decode()


def test_the_person_page_links_to_the_privacy_page_for_coordinators_only(client, coordinator, caseworker_a, person_a):
    client.force_login(coordinator)
    assert f"/privacy/persons/{person_a.pk}/" in client.get(f"/people/{person_a.pk}/").content.decode()
    client.force_login(caseworker_a)
    assert f"/privacy/persons/{person_a.pk}/" not in client.get(f"/people/{person_a.pk}/").content.decode()


def test_the_nav_shows_privacy_to_coordinators(client, coordinator, caseworker_a):
    client.force_login(coordinator)
    assert 'href="/privacy/"' in client.get("/privacy/").content.decode()
    client.force_login(caseworker_a)
    assert 'href="/privacy/"' not in client.get("/people/").content.decode()

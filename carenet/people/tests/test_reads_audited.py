"""Issue 26, Medium 7 and "purpose of access": every response that shows persons is one audit event listing
them; the API's page is capped; reading more persons in an hour than one's caseload alerts the coordinator and
the auditor; a caseworker opening a person outside their caseload says why, and the auditor sees it."""

import datetime

import pytest
from django.core import mail

from carenet.audit.models import AuditEvent
from carenet.people.tests.conftest import make_person
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, assert_refused

TODAY = datetime.date.today()


def _list_events(user, what):
    return list(AuditEvent.objects.filter(actor=user, action="person.list_view", object_type=what))


@pytest.fixture
def many(baia_mare, org_a):
    return [make_person(baia_mare, org_a, first=f"Ion{i}", last="Rusu", born=None) for i in range(6)]


def test_the_person_search_page_is_one_audit_event_listing_the_persons(client, caseworker_a, many):
    client.force_login(caseworker_a)
    assert client.get("/people/?q=Rusu").status_code == 200
    [event] = _list_events(caseworker_a, "people.person.search")
    assert sorted(event.changes["subject_ids"]) == sorted(str(p.pk) for p in many)
    assert "Rusu" not in str(event.changes) and event.purpose == ""  # the search words are not kept


def test_a_page_of_the_persons_api_is_audited_and_capped(api, caseworker_a, many, settings):
    api.force_authenticate(caseworker_a)
    body = api.get("/api/v1/persons/?page=1&page_size=1000").json()
    assert len(body["results"]) == len(many)
    [event] = _list_events(caseworker_a, "api.persons.list")
    assert sorted(event.changes["subject_ids"]) == sorted(str(p.pk) for p in many)
    from carenet.api.pagination import ListPagination

    assert ListPagination.max_page_size == 100
    body = api.get("/api/v1/persons/?page_size=2").json()
    assert len(body["results"]) == 2


def test_case_lists_registers_and_forms_are_audited(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    for url, what in [
        ("/cases/", "cases.workspace"),
        ("/cases/all/?status=all", "cases.case.list"),
        (f"/cases/{case_a.pk}/step/note/", "cases.case.step.note"),
        (f"/cases/new/{case_a.person_id}/", "cases.case.new"),
    ]:
        assert client.get(url).status_code == 200, url
        [event] = _list_events(caseworker_a, what)
        assert event.changes["subject_ids"] == [str(case_a.person_id)], url


def test_a_person_sub_form_is_audited_as_a_read(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    assert client.get(f"/people/{case_a.person_id}/documents/new/").status_code == 200
    assert AuditEvent.objects.filter(
        actor=caseworker_a, action="person.view", object_id=str(case_a.person_id), purpose="form"
    ).exists()


def test_reading_more_persons_than_the_caseload_alerts_coordinator_and_auditor_once(
    client, caseworker_a, coordinator, auditor, many, settings, django_capture_on_commit_callbacks
):
    settings.CARENET_READ_ALERT_FLOOR = 3
    coordinator.email, auditor.email = "coord@test.local", "auditor@test.local"
    coordinator.save(update_fields=["email"])
    auditor.save(update_fields=["email"])
    client.force_login(caseworker_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/people/?q=Rusu")  # 6 persons > max(caseload 0, floor 3)
        client.get("/people/?q=Rusu")
    alerts = AuditEvent.objects.filter(action="person.read_volume_alert", object_id=str(caseworker_a.pk))
    assert alerts.count() == 1
    assert alerts.get().changes["persons_read"] == len(many)
    assert sorted(m.to[0] for m in mail.outbox) == ["auditor@test.local", "coord@test.local"]
    assert "cw_a" in mail.outbox[0].body


def test_below_the_caseload_there_is_no_alert(client, caseworker_a, many, settings):
    settings.CARENET_READ_ALERT_FLOOR = 10
    client.force_login(caseworker_a)
    client.get("/people/?q=Rusu")
    assert not AuditEvent.objects.filter(action="person.read_volume_alert").exists()


# --- purpose of access -----------------------------------------------------------------------------------


def test_a_caseworker_opening_a_person_outside_their_caseload_says_why_first(client, caseworker_a, person_a):
    client.force_login(caseworker_a)
    page = client.get(f"/people/{person_a.pk}/").content.decode()
    assert 'id="purpose-form"' in page and "Str. Victoriei 10" not in page
    assert not AuditEvent.objects.filter(action="person.view", object_id=str(person_a.pk)).exists()
    page = client.get(f"/people/{person_a.pk}/?purpose=other&note=").content.decode()
    assert 'id="purpose-form"' in page  # "other" needs the words
    page = client.get(f"/people/{person_a.pk}/?purpose=other&note=Sora+a+sunat").content.decode()
    assert "Str. Victoriei 10" in page
    event = AuditEvent.objects.get(action="person.view", object_id=str(person_a.pk))
    assert event.purpose == "other: Sora a sunat" and event.changes == {"outside_caseload": True}


def test_the_api_asks_the_same_reason(api, caseworker_a, person_a):
    api.force_authenticate(caseworker_a)
    response = api.get(f"/api/v1/persons/{person_a.pk}/")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "purpose"
    assert api.get(f"/api/v1/persons/{person_a.pk}/?purpose=other").status_code == 400  # "other" needs words
    assert api.get(f"/api/v1/persons/{person_a.pk}/?purpose=duplicate_check").status_code == 200
    event = AuditEvent.objects.get(action="person.view", object_id=str(person_a.pk))
    assert event.purpose == "duplicate_check" and event.changes == {"outside_caseload": True}


def test_a_person_of_the_caseworkers_own_case_opens_without_a_reason(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    page = client.get(f"/people/{case_a.person_id}/").content.decode()
    assert "Str. Victoriei 10" in page
    assert AuditEvent.objects.get(action="person.view", object_id=str(case_a.person_id)).changes == {}


def test_the_auditor_sees_the_openings_outside_a_caseload(client, caseworker_a, auditor, person_a):
    client.force_login(caseworker_a)
    client.get(f"/people/{person_a.pk}/?purpose=cover")
    client.force_login(auditor)
    page = client.get("/people/access-report/").content.decode()
    assert "cw_a" in page and person_a.full_name in page
    assert "Covering for a colleague" in page


def test_the_access_report_is_refused_with_one_status_code_each(
    client, caseworker_a, coordinator, other_tenant_user, auditor, person_a
):
    url = "/people/access-report/"
    assert_refused(client, url, LOGIN_REDIRECT)
    client.force_login(caseworker_a)  # lower role
    assert_refused(client, url, FORBIDDEN)
    client.force_login(coordinator)
    assert_refused(client, url, FORBIDDEN)
    # The other municipality's auditor sees only their own chain: Baia Mare's openings are not listed.
    client.force_login(caseworker_a)
    client.get(f"/people/{person_a.pk}/?purpose=cover")
    from carenet.core.roles import Role
    from carenet.testing.factories import make_user

    balti_org = other_tenant_user.memberships.first().organisation
    balti_auditor = make_user("b_auditor", other_tenant_user.municipality, balti_org, Role.AUDITOR)
    client.force_login(balti_auditor)
    assert person_a.full_name not in client.get(url).content.decode()
    assert mail.outbox == []

"""The authenticated API for persons, cases and deliveries is scoped exactly like the pages."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carenet.audit.models import AuditEvent
from carenet.people.models import Person, SensitiveProfile


def test_anonymous_callers_get_nothing(api, case_a):
    # The token authentication answers first: an unauthenticated call is a 401 (docs/architecture.md §3).
    assert api.get("/api/v1/persons/").status_code == 401
    assert api.get(f"/api/v1/cases/{case_a.pk}/").status_code == 401
    assert api.get(f"/api/v1/persons/{case_a.person_id}/").status_code == 401
    assert api.post("/api/v1/cases/", {}).status_code == 401


def test_a_caseworker_lists_and_opens_their_own_persons_and_cases(api, caseworker_a, case_a):
    api.force_authenticate(caseworker_a)
    persons = api.get("/api/v1/persons/").json()["results"]
    assert [p["id"] for p in persons] == [str(case_a.person_id)]
    assert api.get(f"/api/v1/cases/{case_a.pk}/").json()["reference"] == case_a.reference
    assert AuditEvent.objects.filter(action="case.view", object_id=str(case_a.pk)).exists()


def test_a_caseworker_of_provider_b_cannot_list_search_open_or_guess_by_uuid(api, caseworker_b, case_a):
    api.force_authenticate(caseworker_b)
    assert api.get("/api/v1/persons/").json()["results"] == []
    assert api.get("/api/v1/persons/?q=Munteanu").json()["results"] == []
    assert api.get("/api/v1/cases/?status=all").json()["results"] == []
    assert api.get(f"/api/v1/persons/{case_a.person_id}/").status_code == 404
    assert api.get(f"/api/v1/cases/{case_a.pk}/").status_code == 404
    r = api.get("/api/v1/persons/duplicates/?first_name=Stefan&last_name=Munteanu&birth_date=1957-03-02")
    assert r.json() == []
    r = api.post(
        "/api/v1/cases/",
        {"person": str(case_a.person_id), "organisation": str(case_a.organisation_id), "channel": "phone"},
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "person"


def test_a_balti_user_reaches_nothing_of_baia_mare_through_the_api(api, other_tenant_user, case_a):
    api.force_authenticate(other_tenant_user)
    assert api.get("/api/v1/persons/").json()["results"] == []
    assert api.get(f"/api/v1/persons/{case_a.person_id}/").status_code == 404
    assert api.get(f"/api/v1/cases/{case_a.pk}/").status_code == 404
    assert api.get("/api/v1/deliveries/").json()["results"] == []


def test_special_category_data_is_absent_from_the_api_for_roles_without_need(api, caseworker_a, coordinator, case_a):
    SensitiveProfile.objects.create(
        municipality_id=case_a.municipality_id, person_id=case_a.person_id, health_notes="HEALTH-SECRET"
    )
    api.force_authenticate(caseworker_a)
    data = api.get(f"/api/v1/persons/{case_a.person_id}/").json()
    assert data["special_category"]["health_notes"] == "HEALTH-SECRET"
    api.force_authenticate(coordinator)
    data = api.get(f"/api/v1/persons/{case_a.person_id}/").json()
    assert "special_category" not in data and "HEALTH-SECRET" not in str(data)


def test_every_api_view_of_a_person_is_audited(api, caseworker_a, case_a):
    api.force_authenticate(caseworker_a)
    api.get(f"/api/v1/persons/{case_a.person_id}/")
    assert AuditEvent.objects.filter(action="person.view", object_id=str(case_a.person_id)).count() == 1


def test_registering_through_the_api_reports_likely_duplicates_first(api, caseworker_a, case_a):
    api.force_authenticate(caseworker_a)
    payload = {"first_name": "Munteanu", "last_name": "Stefan", "birth_date": "1957-03-02"}
    r = api.post("/api/v1/persons/", payload)
    assert r.status_code == 409 and r.json()["matches"][0]["person"]["id"] == str(case_a.person_id)
    assert r.json()["matches"][0]["band"] == "probable" and "same date of birth" in r.json()["matches"][0]["reasons"]
    r = api.post("/api/v1/persons/?confirm_new=1", payload)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "reason"
    assert api.post("/api/v1/persons/?confirm_new=1&reason=another+man", payload).status_code == 201
    assert AuditEvent.objects.filter(action="person.duplicate_override", purpose="another man").count() == 1


def test_the_api_registers_without_a_409_when_the_match_is_only_possible(api, caseworker_a, case_a):
    api.force_authenticate(caseworker_a)
    # Same name, no date of birth, no identifier: not enough for "probable".
    r = api.post("/api/v1/persons/", {"first_name": "Stefan", "last_name": "Munteanu"})
    assert r.status_code == 201


def test_a_bad_identifier_is_refused_by_the_api_naming_the_field(api, caseworker_a):
    api.force_authenticate(caseworker_a)
    r = api.post(
        "/api/v1/persons/",
        {"first_name": "A", "last_name": "B", "identifier_kind": "cnp", "national_id": "1800101221145"},
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "national_id"
    assert Person.objects.all_tenants().count() == 0


@pytest.mark.parametrize(("who", "status"), [("caseworker_b", 404), ("other_tenant_user", 404), ("coordinator", 403)])
def test_a_case_update_is_refused_with_one_status_code(request, api, case_a, who, status):
    # Another provider and the other municipality do not see the case (404); the coordinator sees it but its
    # view of the network's cases is read-only (403).
    api.force_authenticate(request.getfixturevalue(who))
    assert api.patch(f"/api/v1/cases/{case_a.pk}/", {"version": 1, "request_summary": "x"}).status_code == status
    case_a.refresh_from_db()
    assert case_a.version == 1 and case_a.request_summary == "Ajutor la domiciliu"


def test_a_stale_case_update_is_refused_with_409(api, caseworker_a, case_a):
    api.force_authenticate(caseworker_a)
    assert api.patch(f"/api/v1/cases/{case_a.pk}/", {"version": 1, "request_summary": "a"}).status_code == 200
    r = api.patch(f"/api/v1/cases/{case_a.pk}/", {"version": 1, "request_summary": "b"})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "version"


def test_deliveries_are_recorded_and_listed_by_their_provider_only(api, caseworker_a, caseworker_b, case_a, service_a):
    api.force_authenticate(caseworker_a)
    today = datetime.date.today().isoformat()
    r = api.post(
        "/api/v1/deliveries/",
        {
            "person": str(case_a.person_id),
            "service": str(service_a.pk),
            "delivered_on": today,
            "quantity": "2",
            "unit": "meal",
        },
    )
    assert r.status_code == 201, r.json()
    assert len(api.get("/api/v1/deliveries/").json()["results"]) == 1
    api.force_authenticate(caseworker_b)
    assert api.get("/api/v1/deliveries/").json()["results"] == []


def test_delivery_counts_give_unique_persons_and_acts_within_what_the_user_may_see(
    api, caseworker_a, caseworker_b, case_a, service_a
):
    from carenet.cases.services import delivery_record

    today = datetime.date.today()
    for _ in range(3):
        delivery_record(actor=caseworker_a, person=case_a.person, service=service_a, delivered_on=today)
    api.force_authenticate(caseworker_a)
    r = api.get(f"/api/v1/deliveries/counts/?date_from={today}&date_to={today}")
    assert r.status_code == 200
    assert [(row["persons"], row["acts"]) for row in r.json()] == [(1, 3)]
    api.force_authenticate(caseworker_b)
    assert api.get(f"/api/v1/deliveries/counts/?date_from={today}&date_to={today}").json() == []
    r = api.get(f"/api/v1/deliveries/counts/?date_from={today}&date_to=2000-01-01")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "date_to"


def test_the_openapi_schema_describes_the_new_endpoints(api, caseworker_a):
    api.force_authenticate(caseworker_a)
    schema = api.get("/api/schema/?format=json").json()
    for path in ("/api/v1/persons/", "/api/v1/cases/{id}/", "/api/v1/deliveries/"):
        assert path in schema["paths"]


junk = st.one_of(
    st.text(max_size=30), st.integers(), st.none(), st.booleans(), st.lists(st.text(max_size=5), max_size=3)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payload=st.dictionaries(
        st.sampled_from(
            [
                "first_name",
                "last_name",
                "birth_date",
                "identifier_kind",
                "national_id",
                "sex",
                "area",
                "person",
                "organisation",
                "channel",
                "opened_on",
                "service",
                "quantity",
                "delivered_on",
                "version",
                "email",
            ]
        ),
        junk,
        max_size=8,
    ),
    target=st.sampled_from(["/api/v1/persons/", "/api/v1/cases/", "/api/v1/deliveries/"]),
)
def test_fuzzed_api_input_never_causes_a_server_error(api, caseworker_a, case_a, payload, target):
    api.force_authenticate(caseworker_a)
    r = api.post(target, payload, format="json")
    assert r.status_code < 500
    r = api.patch(f"/api/v1/cases/{case_a.pk}/", payload, format="json")
    assert r.status_code < 500
    r = api.get("/api/v1/persons/duplicates/", {k: str(v) for k, v in payload.items()})
    assert r.status_code < 500

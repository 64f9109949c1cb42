"""Duplicate check at intake: likely matches among the persons the user may see."""

import datetime

import pytest

from carenet.people.selectors import person_duplicates

from .conftest import make_person

BORN = datetime.date(1957, 3, 2)


@pytest.mark.parametrize(
    ("first", "last"),
    [("Stefan", "Munteanu"), ("Штефан", "Мунтяну"), ("Munteanu", "Stefan"), ("Ștefan", "Muntenu")],
)
def test_the_duplicate_check_finds_stefan_munteanu_under_any_spelling(caseworker_a, person_a, first, last):
    matches = person_duplicates(user=caseworker_a, first_name=first, last_name=last, birth_date=BORN)
    assert [m.person.pk for m in matches] == [person_a.pk]


def test_the_same_identifier_is_a_certain_match(caseworker_a, baia_mare, org_a):
    p = make_person(baia_mare, org_a, first="Ion", last="Pop", identifier_kind="cnp", national_id="1800101221144")
    matches = person_duplicates(user=caseworker_a, first_name="X", last_name="Y", national_id="1800101221144")
    assert matches[0].person == p and matches[0].score == 1.0


def test_a_different_person_born_the_same_day_is_not_a_match(caseworker_a, person_a):
    assert person_duplicates(user=caseworker_a, first_name="Maria", last_name="Pop", birth_date=BORN) == []


def test_the_duplicate_check_shows_nothing_the_user_may_not_see(caseworker_b, person_a, other_tenant_user):
    for user in (caseworker_b, other_tenant_user):
        assert person_duplicates(user=user, first_name="Stefan", last_name="Munteanu", birth_date=BORN) == []


def test_the_intake_page_shows_likely_matches_before_registering(client, caseworker_a, person_a):
    client.force_login(caseworker_a)
    data = {
        "first_name": "Штефан",
        "last_name": "Мунтяну",
        "birth_date": "1957-03-02",
        "sex": "M",
        "document_status": "unknown",
    }
    response = client.post("/people/new/", data)
    assert response.status_code == 200
    assert f"/people/{person_a.pk}/" in response.content.decode()
    from carenet.people.models import Person

    assert Person.objects.all_tenants().count() == 1
    response = client.post("/people/new/", {**data, "confirm_new": "on"})
    assert response.status_code == 302
    assert Person.objects.all_tenants().count() == 2


def test_a_coordinator_merges_two_records_with_an_audit_trail(client, coordinator, baia_mare, org_a, person_a):
    from carenet.audit.models import AuditEvent
    from carenet.people.models import Consent

    dup = make_person(baia_mare, org_a, first="Штефан", last="Мунтяну", phone="0722000000")
    Consent.objects.create(
        municipality=baia_mare,
        person=dup,
        purpose="sharing",
        given_on=BORN,
        recorded_by=coordinator,
        recorded_for=org_a,
    )
    client.force_login(coordinator)
    response = client.post(f"/people/{person_a.pk}/merge/", {"duplicate": str(dup.pk), "reason": "same CNP on paper"})
    assert response.status_code == 302
    dup.refresh_from_db()
    person_a.refresh_from_db()
    assert dup.merged_into == person_a
    assert person_a.phone == "0722000000"
    assert "Штефан Мунтяну" in person_a.other_spellings
    assert Consent.objects.for_tenant(baia_mare).get().person == person_a
    assert AuditEvent.objects.filter(action="person.merge", object_id=str(person_a.pk)).exists()
    assert AuditEvent.objects.filter(action="person.merged_away", object_id=str(dup.pk)).exists()


def test_a_caseworker_cannot_merge(client, caseworker_a, baia_mare, org_a, person_a):
    dup = make_person(baia_mare, org_a)
    client.force_login(caseworker_a)
    response = client.post(f"/people/{person_a.pk}/merge/", {"duplicate": str(dup.pk), "reason": "x"})
    assert response.status_code == 403

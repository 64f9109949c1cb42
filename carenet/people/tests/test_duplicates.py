"""Duplicate check at intake: probable and possible matches among the persons the user may see, with reasons."""

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
    assert matches[0].probable


def test_the_same_identifier_with_a_similar_name_is_a_probable_duplicate(caseworker_a, baia_mare, org_a):
    p = make_person(
        baia_mare,
        org_a,
        first="Ion",
        last="Pop",
        born=datetime.date(1980, 1, 1),
        identifier_kind="cnp",
        national_id="1800101221144",
    )
    matches = person_duplicates(
        user=caseworker_a, first_name="Ioan", last_name="Pop", national_id="1800101221144", identifier_kind="cnp"
    )
    assert matches[0].person == p and matches[0].probable
    assert "same national identifier" in matches[0].reasons


def test_an_identifier_with_one_wrong_digit_still_finds_the_person(caseworker_a, baia_mare, org_a):
    p = make_person(
        baia_mare,
        org_a,
        first="Ion",
        last="Pop",
        born=datetime.date(1980, 1, 1),
        identifier_kind="cnp",
        national_id="1800101221144",
    )
    matches = person_duplicates(user=caseworker_a, first_name="Ion", last_name="Pop", national_id="1800101221154")
    assert matches and matches[0].person == p
    assert "national identifier one digit apart" in matches[0].reasons


def test_a_cyrillic_record_of_a_latin_registered_person_is_found_with_its_reasons(caseworker_a, baia_mare, org_a):
    p = make_person(baia_mare, org_a, first="Ion", last="Ceban", sex="M")
    [match] = person_duplicates(user=caseworker_a, first_name="Ион", last_name="Чебан", birth_date=BORN, sex="M")
    assert match.person == p and match.probable
    expected = {"same given name", "same family name", "same date of birth", "name written in the other alphabet"}
    assert expected <= set(match.reasons)


def test_a_different_person_born_the_same_day_is_not_a_match(caseworker_a, person_a):
    assert person_duplicates(user=caseworker_a, first_name="Maria", last_name="Pop", birth_date=BORN) == []


@pytest.mark.parametrize(
    ("first", "born"),
    [
        ("Ștefan", datetime.date(1983, 7, 14)),  # his son, the same name, 26 years younger
        ("Vasile", BORN),  # his twin brother
    ],
)
def test_relatives_sharing_name_address_or_birthday_are_not_matches(caseworker_a, person_a, first, born):
    matches = person_duplicates(
        user=caseworker_a, first_name=first, last_name="Munteanu", birth_date=born, sex="M", address="Str. Victoriei 10"
    )
    assert matches == []


def test_the_duplicate_check_shows_nothing_the_user_may_not_see(caseworker_b, person_a, other_tenant_user):
    for user in (caseworker_b, other_tenant_user):
        assert person_duplicates(user=user, first_name="Stefan", last_name="Munteanu", birth_date=BORN) == []


def test_the_intake_page_warns_of_a_probable_duplicate_and_asks_a_reason(client, caseworker_a, person_a):
    from carenet.audit.models import AuditEvent
    from carenet.people.models import Person

    client.force_login(caseworker_a)
    data = {
        "first_name": "Штефан",
        "last_name": "Мунтяну",
        "birth_date": "1957-03-02",
        "sex": "M",
        "document_status": "unknown",
    }
    response = client.post("/people/new/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"/people/{person_a.pk}/" in page and "Very likely the same person" in page
    assert "same date of birth" in page and "name written in the other alphabet" in page
    assert Person.objects.all_tenants().count() == 1
    response = client.post("/people/new/", {**data, "confirm_new": "on"})
    assert response.status_code == 200
    assert "Say why this is not the person already registered." in response.content.decode()
    assert Person.objects.all_tenants().count() == 1
    response = client.post("/people/new/", {**data, "confirm_new": "on", "reason": "Another man, seen his papers"})
    assert response.status_code == 302
    assert Person.objects.all_tenants().count() == 2
    event = AuditEvent.objects.get(action="person.duplicate_override")
    assert event.purpose == "Another man, seen his papers" and str(person_a.pk) in str(event.changes)


def test_a_possible_duplicate_is_a_notice_that_needs_no_reason(client, caseworker_a, baia_mare, org_a):
    from carenet.people.models import LinkageSettings, Person

    make_person(baia_mare, org_a, first="Ion", last="Ceban", born=None, address="Str. Horea 3")
    # This municipality's thresholds make the pair below (same name, nothing else known) "possible".
    LinkageSettings.objects.create(
        municipality=baia_mare, possible_threshold=0.001, probable_threshold=0.999, valid_from=BORN
    )
    client.force_login(caseworker_a)
    data = {"first_name": "Ion", "last_name": "Ceban", "sex": "M", "document_status": "unknown"}
    response = client.post("/people/new/", data)
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "Possibly the same person" in page, page[page.find("<main") :]
    assert 'name="reason"' not in page, page[page.find("<main") :]
    assert client.post("/people/new/", {**data, "confirm_new": "on"}).status_code == 302
    assert Person.objects.all_tenants().count() == 2


def test_a_not_same_decision_follows_the_merged_record(coordinator, baia_mare, org_a, person_a):
    from carenet.people.models import NotSamePerson
    from carenet.people.services import not_same_person_record, person_merge

    dup = make_person(baia_mare, org_a, first="Штефан", last="Мунтяну")
    other = make_person(baia_mare, org_a, first="Ștefan", last="Munteanu", born=datetime.date(1983, 7, 14))
    not_same_person_record(actor=coordinator, person=dup, other=other, reason="his son")
    person_merge(actor=coordinator, survivor=person_a, duplicate=dup, reason="same person")
    decision = NotSamePerson.objects.for_tenant(baia_mare).get()
    assert {decision.person_id, decision.other_id} == {person_a.pk, other.pk}


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


def test_an_undated_record_of_a_father_or_his_son_shows_both_as_possible(caseworker_a, baia_mare, org_a):
    """No birth date, no identifier, a name father and son share at one address: the record is one of them,
    and nothing in it says which. Intake shows both, as a notice naming the other, rather than nothing."""
    father = make_person(baia_mare, org_a, first="Ion", last="Ceban", born=BORN, sex="M", address="Str. Horea 3")
    son = make_person(
        baia_mare, org_a, first="Ion", last="Ceban", born=datetime.date(1982, 5, 9), sex="M", address="Str. Horea 3"
    )
    matches = person_duplicates(user=caseworker_a, first_name="Ion", last_name="Ceban", sex="M", address="Str. Horea 3")
    assert {m.person for m in matches} == {father, son}
    assert all(not m.probable for m in matches)
    assert all("another registered person, certainly not this one, matches as well" in m.differences for m in matches)

"""Bad input gets a clear, translated error naming the field, and saves nothing."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from carenet.people.models import Consent, Person
from carenet.people.uploads import MAX_UPLOAD_BYTES

PDF = b"%PDF-1.4\n%test\n"


def _person_data(**extra):
    return {"first_name": "Ion", "last_name": "Rusu", "sex": "M", "document_status": "none", **extra}


def test_a_bad_cnp_is_refused_with_a_message_naming_the_field_and_nothing_is_saved(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.post("/people/new/", _person_data(identifier_kind="cnp", national_id="1800101221145"))
    assert response.status_code == 200
    assert "control digit" in response.content.decode()
    assert 'href="#id_national_id"' in response.content.decode()
    assert Person.objects.all_tenants().count() == 0


def test_the_identifier_error_is_in_romanian_for_a_romanian_user(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.post("/people/new/", _person_data(national_id="1800101221144"), HTTP_ACCEPT_LANGUAGE="ro")
    html = response.content.decode()
    assert 'href="#id_identifier_kind"' in html
    assert "Choose the type of the national identifier." not in html
    assert "Alegeți tipul identificatorului național." in html
    assert Person.objects.all_tenants().count() == 0


def test_a_person_without_identity_document_can_be_registered(client, caseworker_a):
    client.force_login(caseworker_a)
    response = client.post("/people/new/", _person_data())
    assert response.status_code == 302
    assert Person.objects.all_tenants().get().document_status == "none"


def test_a_wrong_file_type_is_refused_and_nothing_is_saved(client, caseworker_a, person_a):
    client.force_login(caseworker_a)
    upload = SimpleUploadedFile("consent.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = client.post(
        f"/people/{person_a.pk}/consents/new/",
        {"purpose": "sharing", "given_on": "2025-01-10", "scan": upload},
    )
    assert response.status_code == 200
    assert "This file type is not accepted" in response.content.decode()
    assert Consent.objects.all_tenants().count() == 0


def test_a_file_whose_content_does_not_match_its_type_is_refused(client, caseworker_a, person_a):
    client.force_login(caseworker_a)
    upload = SimpleUploadedFile("consent.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(
        f"/people/{person_a.pk}/consents/new/", {"purpose": "sharing", "given_on": "2025-01-10", "scan": upload}
    )
    assert "does not match" in response.content.decode()
    assert Consent.objects.all_tenants().count() == 0


def test_a_too_large_file_is_refused_and_nothing_is_saved(client, caseworker_a, person_a):
    client.force_login(caseworker_a)
    upload = SimpleUploadedFile("consent.pdf", PDF + b"0" * MAX_UPLOAD_BYTES, content_type="application/pdf")
    response = client.post(
        f"/people/{person_a.pk}/consents/new/", {"purpose": "sharing", "given_on": "2025-01-10", "scan": upload}
    )
    assert "too large" in response.content.decode()
    assert Consent.objects.all_tenants().count() == 0


def test_a_consent_with_a_scan_is_recorded_and_served_only_to_those_who_see_the_person(
    client, caseworker_a, caseworker_b, person_a, org_b
):
    client.force_login(caseworker_a)
    upload = SimpleUploadedFile("consent.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/people/{person_a.pk}/consents/new/",
        {"purpose": "sharing", "given_on": "2025-01-10", "scan": upload, "scope": [str(org_b.pk)]},
    )
    assert response.status_code == 302
    consent = Consent.objects.all_tenants().get()
    assert list(consent.scope.all()) == [org_b]
    assert consent.recorded_by == caseworker_a
    url = f"/people/{person_a.pk}/consents/{consent.pk}/scan/"
    assert b"".join(client.get(url).streaming_content).startswith(b"%PDF")
    client.force_login(caseworker_b)
    assert client.get(url).status_code == 404


def test_a_consent_is_withdrawn_with_its_date(client, caseworker_a, person_a, baia_mare, org_a):
    consent = Consent.objects.create(
        municipality=baia_mare,
        person=person_a,
        purpose="sharing",
        given_on=datetime.date(2025, 1, 1),
        recorded_by=caseworker_a,
        recorded_for=org_a,
    )
    client.force_login(caseworker_a)
    response = client.post(f"/people/{person_a.pk}/consents/{consent.pk}/withdraw/", {"withdrawn_on": "2025-02-01"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == datetime.date(2025, 2, 1)


def test_the_upload_error_is_translated_for_a_romanian_user(client, caseworker_a, person_a):
    client.force_login(caseworker_a)
    upload = SimpleUploadedFile("consent.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = client.post(
        f"/people/{person_a.pk}/consents/new/",
        {"purpose": "sharing", "given_on": "2025-01-10", "scan": upload},
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert "Acest tip de fișier nu este acceptat" in response.content.decode()
    assert Consent.objects.all_tenants().count() == 0


def test_a_person_joins_an_existing_household_of_the_same_family(client, caseworker_a, person_a, baia_mare, org_a):
    from carenet.people.models import HouseholdMember
    from carenet.people.tests.conftest import make_person

    client.force_login(caseworker_a)
    assert client.post(f"/people/{person_a.pk}/household/", {"role": "head"}).status_code == 302
    household = HouseholdMember.objects.for_tenant(baia_mare).get(person=person_a).household
    child = make_person(baia_mare, org_a, first="Ana", last="Munteanu", born=datetime.date(2015, 1, 1))
    response = client.post(f"/people/{child.pk}/household/", {"role": "child", "household": str(household.pk)})
    assert response.status_code == 302
    assert HouseholdMember.objects.for_tenant(baia_mare).filter(household=household).count() == 2
    html = client.get(f"/people/{child.pk}/?purpose=cover").content.decode()
    assert "Ștefan Munteanu" in html


def test_opening_the_edit_page_of_a_person_is_audited(client, caseworker_a, person_a):
    from carenet.audit.models import AuditEvent

    client.force_login(caseworker_a)
    client.get(f"/people/{person_a.pk}/edit/")
    assert AuditEvent.objects.filter(action="person.view", object_id=str(person_a.pk)).count() == 1


def _cnp(first12: str) -> str:
    from carenet.core.identifiers import cnp_check_digit

    return first12 + str(cnp_check_digit(first12))


def test_a_cnp_whose_birth_date_contradicts_the_one_entered_is_refused_naming_both(client, caseworker_a):
    client.force_login(caseworker_a)
    cnp = _cnp("180010122114")  # a man born on 1 January 1980
    data = _person_data(identifier_kind="cnp", national_id=cnp, birth_date="1981-03-02")
    html = client.post("/people/new/", data).content.decode()
    assert "The CNP gives the date of birth" in html
    assert "1980" in html and "1981" in html
    assert 'href="#id_national_id"' in html
    assert Person.objects.all_tenants().count() == 0


def test_a_cnp_whose_sex_contradicts_the_one_entered_is_refused_naming_both(client, caseworker_a):
    client.force_login(caseworker_a)
    cnp = _cnp("180010122114")
    data = _person_data(identifier_kind="cnp", national_id=cnp, birth_date="1980-01-01", sex="F")
    html = client.post("/people/new/", data).content.decode()
    assert "The CNP gives the sex “Male”, but the sex entered is “Female”." in html
    assert Person.objects.all_tenants().count() == 0


def test_a_cnp_agreeing_with_the_birth_date_and_sex_is_accepted(client, caseworker_a):
    client.force_login(caseworker_a)
    cnp = _cnp("280010122114")  # a woman born on 1 January 1980
    data = _person_data(identifier_kind="cnp", national_id=cnp, birth_date="1980-01-01", sex="F", first_name="Ioana")
    response = client.post("/people/new/", data)
    assert response.status_code == 302
    assert Person.objects.all_tenants().count() == 1

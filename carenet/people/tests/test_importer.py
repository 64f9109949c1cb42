"""The validated CSV import of persons: every row checked, errors naming row and field, all or nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from carenet.audit.models import AuditEvent
from carenet.core.identifiers import cnp_check_digit
from carenet.people.importers import ImportRefused, persons_import_csv
from carenet.people.models import Person

from .conftest import make_person

pytestmark = pytest.mark.django_db

HEADER = "first_name,last_name,sex,birth_date,identifier_kind,national_id,document_status,address,phone,email\n"


def cnp(born: datetime.date, sex: str = "M", serial: int = 123) -> str:
    first = ("1" if sex == "M" else "2") if born.year < 2000 else ("5" if sex == "M" else "6")
    body = f"{first}{born:%y%m%d}24{serial:03d}"
    return body + str(cnp_check_digit(body))


GOOD_CNP = cnp(datetime.date(1957, 3, 2))


def good_file() -> str:
    return (
        HEADER
        + f"Ștefan,Munteanu,M,1957-03-02,cnp,{GOOD_CNP},,Str. Victoriei 10,0740000000,stefan@example.org\n"
        + "Ana,Pop,F,01.05.1990,,,none,,,\n"
        + "Kovács,Ilona,f,,,,,,,\n"
    )


def persons_of(municipality):
    return Person.objects.for_tenant(municipality)


def test_a_good_file_is_imported_whole_with_one_audit_event(caseworker_a, org_a, baia_mare):
    before = AuditEvent.objects.filter(action="person.import").count()
    result = persons_import_csv(actor=caseworker_a, source=good_file(), file_name="list.csv", purpose="intake")
    assert result.created == 3
    stefan = persons_of(baia_mare).get(national_id=GOOD_CNP)
    assert stefan.birth_date == datetime.date(1957, 3, 2)
    assert stefan.identifier_kind == "cnp" and stefan.document_status == "has"
    assert stefan.registered_by_organisation_id == org_a.pk
    assert stefan.name_key  # searchable by the duplicate check
    ana = persons_of(baia_mare).get(first_name="Ana")
    assert ana.birth_date == datetime.date(1990, 5, 1) and ana.document_status == "none"
    assert persons_of(baia_mare).get(first_name="Kovács").sex == "F"
    events = AuditEvent.objects.filter(action="person.import")
    assert events.count() == before + 1
    event = events.latest("id")
    assert event.changes["rows"] == 3 and event.municipality_id == baia_mare.pk


def test_a_bad_row_refuses_the_whole_file_and_names_row_and_field(caseworker_a, baia_mare):
    bad_cnp = GOOD_CNP[:-1] + str((int(GOOD_CNP[-1]) + 1) % 10)
    text = (
        HEADER
        + "Ana,Pop,F,1990-05-01,,,,,,\n"
        + f"Ion,Rusu,M,1957-03-02,cnp,{bad_cnp},,,,\n"
        + ",Lungu,X,2999-01-01,,,,,,not-an-email\n"
    )
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        persons_import_csv(actor=caseworker_a, source=text)
    found = {(e.row, e.field) for e in refused.value.errors}
    assert (3, "national_id") in found
    assert {(4, "first_name"), (4, "sex"), (4, "birth_date"), (4, "email")} <= found
    assert "control digit" in next(e.message for e in refused.value.errors if e.field == "national_id")
    with translation.override("en"):
        assert str(refused.value.errors[0]).startswith("Row 3, national_id")
    assert not persons_of(baia_mare).exists()  # the good row was not saved either
    assert not AuditEvent.objects.filter(action="person.import").exists()


def test_an_identifier_repeated_in_the_file_or_already_registered_is_refused(caseworker_a, org_a, baia_mare):
    make_person(baia_mare, org_a, national_id=GOOD_CNP, identifier_kind="cnp")
    other = cnp(datetime.date(1960, 1, 1), serial=7)
    text = HEADER + f"A,B,M,,cnp,{GOOD_CNP},,,,\nC,D,M,,cnp,{other},,,,\nE,F,M,,cnp,{other},,,,\n"
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        persons_import_csv(actor=caseworker_a, source=text)
    errors = {(e.row, e.field): e.message for e in refused.value.errors}
    assert "already registered" in errors[(2, "national_id")]
    assert "row 3" in errors[(4, "national_id")]
    assert persons_of(baia_mare).count() == 1


def test_the_cnp_must_match_the_date_of_birth(caseworker_a):
    with pytest.raises(ImportRefused) as refused:
        persons_import_csv(actor=caseworker_a, source=HEADER + f"A,B,M,1958-03-02,cnp,{GOOD_CNP},,,,\n")
    assert [(e.row, e.field) for e in refused.value.errors] == [(2, "national_id")]


def test_an_unknown_or_missing_column_refuses_the_file(caseworker_a):
    with pytest.raises(ImportRefused) as refused:
        persons_import_csv(actor=caseworker_a, source="first_name,surname\nA,B\n")
    assert {(e.row, e.field) for e in refused.value.errors} == {(1, "last_name"), (1, "surname")}


def test_a_row_with_too_many_cells_and_an_empty_file_are_refused(caseworker_a):
    with pytest.raises(ImportRefused) as refused:
        persons_import_csv(actor=caseworker_a, source="first_name,last_name\nA,B,C\n")
    assert refused.value.errors[0].row == 2
    with pytest.raises(ImportRefused):
        persons_import_csv(actor=caseworker_a, source="first_name,last_name\n\n")
    with pytest.raises(ImportRefused):
        persons_import_csv(actor=caseworker_a, source=b"first_name,last_name\n\xff\xfe,B\n")


def test_semicolons_and_a_bom_are_accepted_and_idnp_is_the_default_in_moldova(balti, balti_org):
    from carenet.core.identifiers import md_check_digit
    from carenet.core.roles import Role
    from conftest import make_user

    user = make_user("balti_cw", balti, balti_org, Role.CASEWORKER)
    body = "200012345678"
    idnp = body + str(md_check_digit(body))
    text = "\ufefffirst_name;last_name;national_id\nIon;Ciobanu;" + idnp + "\n"
    persons_import_csv(actor=user, source=text.encode())
    person = Person.objects.for_tenant(balti).get()
    assert person.identifier_kind == "idnp" and person.national_id == idnp


def test_a_user_who_may_not_register_persons_cannot_import(citizen, auditor):
    for user in (citizen, auditor):
        with pytest.raises(PermissionDenied):
            persons_import_csv(actor=user, source=good_file())
    assert not Person.objects.all_tenants().exists()


def test_an_import_lands_in_the_importers_municipality_only(caseworker_a, other_tenant_user, baia_mare, balti, org_a):
    with pytest.raises(PermissionDenied):
        persons_import_csv(
            actor=caseworker_a, source=good_file(), organisation=other_tenant_user.memberships.first().organisation
        )
    persons_import_csv(actor=caseworker_a, source=good_file())
    assert persons_of(baia_mare).count() == 3
    assert not persons_of(balti).exists()


def test_the_management_command_imports_or_lists_the_errors(caseworker_a, baia_mare, org_a, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(good_file(), encoding="utf-8")
    call_command("import_persons", str(good), user=caseworker_a.username, organisation=org_a.code)
    assert persons_of(baia_mare).count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "A,,M,,,,,,,\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_persons", str(bad), user=caseworker_a.username)
    assert "Row 2, last_name" in capsys.readouterr().err
    assert persons_of(baia_mare).count() == 3


def test_a_caseworker_cannot_import_on_behalf_of_another_provider(caseworker_a, org_b, baia_mare):
    with pytest.raises(PermissionDenied):
        persons_import_csv(actor=caseworker_a, source=good_file(), organisation=org_b)
    assert not persons_of(baia_mare).exists()


def test_a_coordinator_imports_for_a_provider_of_the_network(coordinator, org_b, baia_mare):
    result = persons_import_csv(actor=coordinator, source=good_file(), organisation=org_b)
    assert result.created == 3
    assert set(persons_of(baia_mare).values_list("registered_by_organisation_id", flat=True)) == {org_b.pk}

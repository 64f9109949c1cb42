"""The retention schedule: what has passed its period is anonymised, what a hold or an open case protects is kept."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from carenet.cases.models import Case, CaseStatus, Note
from carenet.people.models import Person
from carenet.privacy import services
from carenet.privacy.models import Action, RecordDisposal, RecordKind, RetentionRule, RetentionRun
from carenet.privacy.selectors import rule_for
from carenet.privacy.tasks import apply_retention_schedules
from carenet.testing.factories import CaseFactory, make_person

LONG_AGO = datetime.date(2015, 3, 1)


def _closed_case(org, person, *, closed_on=LONG_AGO, summary="Violență în familie"):
    case = CaseFactory(
        organisation=org,
        municipality=org.municipality,
        person=person,
        status=CaseStatus.CLOSED,
        opened_on=closed_on - datetime.timedelta(days=200),
        closed_on=closed_on,
        request_summary=summary,
        closure_note="Închis",
    )
    Note.objects.create(municipality=org.municipality, case=case, text="Detalii private")
    return case


@pytest.fixture
def three_cases(schedule, baia_mare, org_a, coordinator):
    expired = _closed_case(org_a, make_person(baia_mare, org_a, first="Expired", last="One"))
    held_person = make_person(baia_mare, org_a, first="Held", last="Two")
    held = _closed_case(org_a, held_person)
    services.legal_hold_place(actor=coordinator, person=held_person, reason="Dosar penal 123/2026")
    open_person = make_person(baia_mare, org_a, first="Open", last="Three")
    old_closed_of_open = _closed_case(org_a, open_person)
    open_case = CaseFactory(
        organisation=org_a, municipality=baia_mare, person=open_person, status=CaseStatus.ACTIVE, opened_on=LONG_AGO
    )
    return {"expired": expired, "held": held, "open_old": old_closed_of_open, "open": open_case}


def test_a_run_anonymises_an_expired_closed_case_but_not_one_under_hold_or_open(three_cases, baia_mare):
    run = services.retention_run(municipality=baia_mare)

    expired = Case.objects.for_tenant(baia_mare).get(pk=three_cases["expired"].pk)
    assert expired.request_summary == "" and expired.closure_note == ""
    assert not Note.objects.for_tenant(baia_mare).filter(case=expired).exists()
    person = Person.objects.for_tenant(baia_mare).get(pk=expired.person_id)
    assert person.first_name != "Expired" and person.national_id == ""  # no record of theirs is kept any longer

    for key in ("held", "open_old", "open"):
        kept = Case.objects.for_tenant(baia_mare).get(pk=three_cases[key].pk)
        assert kept.request_summary == "Violență în familie" or key == "open", key
        assert Note.objects.for_tenant(baia_mare).filter(case=kept).exists() or key == "open", key
    assert Person.objects.for_tenant(baia_mare).get(pk=three_cases["held"].person_id).first_name == "Held"

    line = run.report["kinds"][RecordKind.CASE_FILE]
    assert (line["anonymised"], line["kept_hold"], line["kept_open"]) == (1, 1, 1)
    assert run.report["persons_anonymised"] == 1
    assert run.finished_at is not None


def test_a_second_run_does_nothing_twice(three_cases, baia_mare):
    services.retention_run(municipality=baia_mare)
    again = services.retention_run(municipality=baia_mare)
    assert again.report["kinds"][RecordKind.CASE_FILE]["anonymised"] == 0
    assert again.report["persons_anonymised"] == 0


def test_a_case_inside_its_period_is_kept(schedule, baia_mare, org_a):
    recent = _closed_case(
        org_a, make_person(baia_mare, org_a), closed_on=datetime.date.today() - datetime.timedelta(days=30)
    )
    services.retention_run(municipality=baia_mare)
    assert Case.objects.for_tenant(baia_mare).get(pk=recent.pk).request_summary == "Violență în familie"


def test_archiving_keeps_the_case_and_makes_it_read_only(schedule, baia_mare, org_a, coordinator, caseworker_a):
    from carenet.core.policy import policy

    services.retention_rule_add(
        actor=coordinator,
        kind=RecordKind.CASE_FILE,
        keep_years=3,
        action=Action.ARCHIVE,
        legal_ground="Legea nr. 16/1996, nomenclatorul arhivistic",
        valid_from=datetime.date(2020, 1, 1),
    )
    case = _closed_case(org_a, make_person(baia_mare, org_a))
    run = services.retention_run(municipality=baia_mare)
    assert run.report["kinds"][RecordKind.CASE_FILE]["archived"] == 1
    kept = Case.objects.for_tenant(baia_mare).get(pk=case.pk)
    assert kept.request_summary == "Violență în familie"  # kept, not anonymised
    assert policy.can(caseworker_a, "view", kept)
    # Read-only whatever its status: even reopened behind the application's back, nobody may change it.
    Case.objects.for_tenant(baia_mare).filter(pk=case.pk).update(status=CaseStatus.ACTIVE)
    kept.refresh_from_db()
    assert not policy.can(caseworker_a, "change", kept)
    other = CaseFactory(organisation=org_a, municipality=baia_mare, status=CaseStatus.ACTIVE)
    assert policy.can(caseworker_a, "change", other)
    assert run.report["persons_anonymised"] == 0


def test_the_schedule_follows_the_country_and_has_versions(schedule, baia_mare, balti, coordinator):
    ro = rule_for(municipality_id=baia_mare.pk, kind=RecordKind.CASE_FILE)
    md = rule_for(municipality_id=balti.pk, kind=RecordKind.CASE_FILE)
    assert "16/1996" in ro.legal_ground and "880/1992" in md.legal_ground
    new = services.retention_rule_add(
        actor=coordinator,
        kind=RecordKind.CASE_FILE,
        keep_years=10,
        action=Action.ANONYMISE,
        legal_ground="HCL 2026",
        valid_from=datetime.date(2026, 1, 1),
    )
    assert rule_for(municipality_id=baia_mare.pk, kind=RecordKind.CASE_FILE, on=datetime.date(2025, 6, 1)) == ro
    assert rule_for(municipality_id=baia_mare.pk, kind=RecordKind.CASE_FILE, on=datetime.date(2026, 6, 1)) == new
    ro.refresh_from_db()
    assert ro.valid_to == datetime.date(2025, 12, 31)


def test_the_audit_log_can_only_be_archived(schedule, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.retention_rule_add(
            actor=coordinator,
            kind=RecordKind.AUDIT,
            keep_years=1,
            action=Action.DELETE,
            legal_ground="x",
            valid_from=datetime.date(2026, 1, 1),
        )
    assert "action" in exc.value.error_dict
    assert (
        not RetentionRule.objects.for_tenant(coordinator.municipality_id)
        .filter(valid_from=datetime.date(2026, 1, 1))
        .exists()
    )


def test_the_daily_task_runs_each_municipality_once_a_day(three_cases, baia_mare, balti):
    assert apply_retention_schedules.call() == 2
    assert apply_retention_schedules.call() == 0
    assert RetentionRun.objects.for_tenant(baia_mare).count() == 1
    assert RecordDisposal.objects.for_tenant(baia_mare).filter(model="cases.case").count() == 1


def test_the_demo_gives_each_municipality_its_countrys_schedule(baia_mare, balti):
    import io

    from carenet.privacy.demo import load

    out = io.StringIO()
    load(stdout=out)
    load(stdout=out)  # twice: nothing added the second time
    assert RetentionRule.objects.for_tenant(baia_mare).count() == len(RecordKind.values)
    assert "880/1992" in rule_for(municipality_id=balti.pk, kind=RecordKind.CASE_FILE).legal_ground
    assert "0 rules" in out.getvalue()

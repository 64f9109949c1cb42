"""The whole path of a case, the supervisor's approvals, monitoring duties and optimistic locking."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from carenet.cases import services
from carenet.cases.models import Case, CaseDocument, CaseStatus, MonitoringDuty, PlanStatus
from carenet.cases.selectors import delivery_counts, my_duties, supervisor_overdue_duties

TODAY = datetime.date.today()


def test_a_case_goes_from_intake_to_closure_through_the_pages(client, caseworker_a, manager_a, case_a):
    client.force_login(caseworker_a)
    url = f"/cases/{case_a.pk}/step/"
    r = client.post(
        url + "inquiry/",
        {
            "version": 1,
            "visited_on": TODAY.isoformat(),
            "household_size": 3,
            "housing": "rented",
            "risks": ["poverty", "isolation"],
            "conclusions": "Needs home care",
        },
    )
    assert r.status_code == 302, r.content.decode()[-2000:]
    r = client.post(url + "decision/", {"version": 2, "admitted": "yes", "decided_on": TODAY.isoformat()})
    assert r.status_code == 302
    r = client.post(url + "contract/", {"version": 3, "contract_number": "C-12", "signed_on": TODAY.isoformat()})
    assert r.status_code == 302
    assert client.post(url + "plan/", {"goals": "Autonomy at home"}).status_code == 302
    r = client.post(
        url + "plan_action/",
        {"action": "Weekly visit", "responsible": "cw_a", "due_on": TODAY.isoformat(), "follow_up_weeks": 2},
    )
    assert r.status_code == 302
    plan = case_a.plans.get()
    assert client.post(f"/cases/{case_a.pk}/plans/{plan.pk}/submit/").status_code == 302
    # the caseworker cannot approve their own plan
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=caseworker_a, plan=plan)
    client.force_login(manager_a)
    assert "Weekly visit" in client.get(f"/cases/{case_a.pk}/").content.decode()
    assert case_a.reference in client.get("/cases/").content.decode()  # waiting for approval
    client.post(f"/cases/{case_a.pk}/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert MonitoringDuty.objects.for_tenant(case_a.municipality_id).filter(kind="plan_follow_up").count() == 1
    client.force_login(caseworker_a)
    for kind in ("initial", "final"):
        r = client.post(url + "assessment/", {"kind": kind, "assessed_on": TODAY.isoformat(), "summary": "ok"})
        assert r.status_code == 302
    r = client.post(url + "closure/", {"version": 4, "outcome": "goals_met", "closure_note": "Independent"})
    assert r.status_code == 302
    client.force_login(manager_a)
    client.post(f"/cases/{case_a.pk}/closure/", {"version": 5, "approve": "1"})
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.CLOSED and case_a.closure_approved_by == manager_a
    kinds = list(case_a.events.values_list("kind", flat=True))
    for kind in ("open", "inquiry", "admit", "contract", "plan_approve", "assessment", "closure_request", "close"):
        assert kind in kinds


def test_a_refusal_needs_a_reason_and_records_where_the_person_was_directed(caseworker_a, case_a):
    with pytest.raises(ValidationError) as exc:
        services.case_decide(actor=caseworker_a, case=case_a, expected_version=1, admitted=False, decided_on=TODAY)
    assert "refusal_reason" in exc.value.message_dict
    services.case_decide(
        actor=caseworker_a,
        case=case_a,
        expected_version=1,
        admitted=False,
        decided_on=TODAY,
        refusal_reason="Not eligible",
        directed_to="Cantina socială",
    )
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.REFUSED and case_a.directed_to == "Cantina socială"


def test_a_stale_save_is_refused_with_a_clear_message_and_nothing_is_overwritten(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    # a colleague saves first
    services.case_update(actor=caseworker_a, case=case_a, expected_version=1, request_summary="Colleague's text")
    r = client.post(f"/cases/{case_a.pk}/step/edit/", {"version": 1, "request_summary": "My older text"})
    assert r.status_code == 200
    assert "Someone else changed this case" in r.content.decode()
    case = Case.objects.for_tenant(case_a.municipality_id).get(pk=case_a.pk)
    assert case.request_summary == "Colleague's text" and case.version == 2


def test_a_wrong_or_too_large_case_document_is_refused_and_nothing_is_saved(client, caseworker_a, case_a):
    from carenet.people.uploads import MAX_UPLOAD_BYTES

    client.force_login(caseworker_a)
    url = f"/cases/{case_a.pk}/step/document/"
    bad = SimpleUploadedFile("x.docm", b"PK\x03\x04macro", content_type="application/octet-stream")
    r = client.post(url, {"kind": "other", "file": bad})
    assert "This file type is not accepted" in r.content.decode()
    big = SimpleUploadedFile("x.pdf", b"%PDF-" + b"0" * MAX_UPLOAD_BYTES, content_type="application/pdf")
    r = client.post(url, {"kind": "other", "file": big})
    assert "too large" in r.content.decode()
    assert CaseDocument.objects.for_tenant(case_a.municipality_id).count() == 0
    good = SimpleUploadedFile("contract.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    assert client.post(url, {"kind": "contract", "title": "Contract", "file": good}).status_code == 302
    doc = CaseDocument.objects.for_tenant(case_a.municipality_id).get()
    assert b"".join(client.get(f"/cases/{case_a.pk}/documents/{doc.pk}/").streaming_content).startswith(b"%PDF")


def test_a_case_document_is_not_served_to_another_provider(client, caseworker_a, caseworker_b, case_a):
    doc = services.document_upload(
        actor=caseworker_a,
        case=case_a,
        kind="other",
        title="t",
        file=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nxx", content_type="image/png"),
    )
    client.force_login(caseworker_b)
    assert client.get(f"/cases/{case_a.pk}/documents/{doc.pk}/").status_code == 404


def test_reintegration_monitoring_lasts_at_least_six_months(caseworker_a, case_a):
    with pytest.raises(ValidationError) as exc:
        services.duty_add(
            actor=caseworker_a,
            case=case_a,
            kind="reintegration",
            starts_on=TODAY,
            interval_weeks=4,
            ends_on=TODAY + datetime.timedelta(days=90),
        )
    assert "ends_on" in exc.value.message_dict
    duty = services.duty_add(actor=caseworker_a, case=case_a, kind="reintegration", starts_on=TODAY, interval_weeks=4)
    assert (duty.ends_on - duty.starts_on).days >= 183


def _make_a_child(case):
    from carenet.people.models import Person

    Person.objects.for_tenant(case.municipality_id).filter(pk=case.person_id).update(
        birth_date=datetime.date(TODAY.year - 10, 1, 1)
    )
    case.person.refresh_from_db()


def test_a_child_with_parents_abroad_needs_the_declared_carer(caseworker_a, case_a):
    _make_a_child(case_a)
    with pytest.raises(ValidationError) as exc:
        services.duty_add(actor=caseworker_a, case=case_a, kind="parents_abroad", starts_on=TODAY, interval_weeks=8)
    assert "carer_name" in exc.value.message_dict
    duty = services.duty_add(
        actor=caseworker_a,
        case=case_a,
        kind="parents_abroad",
        starts_on=TODAY,
        interval_weeks=8,
        carer_name="Maria Pop",
        carer_relation="grandmother",
        parents_country="Italia",
    )
    assert duty.carer_name == "Maria Pop"


def test_overdue_duties_appear_on_the_caseworkers_and_the_supervisors_lists(client, caseworker_a, manager_a, case_a):
    from carenet.cases.tasks import flag_overdue_duties

    duty = services.duty_add(
        actor=caseworker_a,
        case=case_a,
        kind="reintegration",
        starts_on=TODAY - datetime.timedelta(days=60),
        interval_weeks=4,
    )
    assert duty.next_due_on < TODAY
    flag_overdue_duties.enqueue()
    duty.refresh_from_db()
    assert duty.is_overdue
    assert duty in my_duties(user=caseworker_a)
    assert duty in supervisor_overdue_duties(user=manager_a)
    client.force_login(manager_a)
    assert case_a.reference in client.get("/cases/").content.decode()
    client.force_login(caseworker_a)
    r = client.post(f"/cases/{case_a.pk}/duties/{duty.pk}/visit/", {"visited_on": TODAY.isoformat(), "findings": "ok"})
    assert r.status_code == 302
    duty.refresh_from_db()
    assert duty.next_due_on == TODAY + datetime.timedelta(weeks=4) and not duty.is_overdue


def test_unique_persons_and_acts_are_counted_separately(caseworker_a, case_a, service_a, person_a, coordinator):
    from carenet.people.models import SensitiveProfile

    SensitiveProfile.objects.create(municipality_id=person_a.municipality_id, person=person_a, disability_degree="mild")
    for day in range(5):
        services.delivery_record(
            actor=caseworker_a,
            person=person_a,
            service=service_a,
            delivered_on=TODAY - datetime.timedelta(days=day),
            quantity=1,
            unit="meal",
        )
    rows = delivery_counts(user=coordinator, date_from=TODAY - datetime.timedelta(days=10), date_to=TODAY)
    assert rows == [{"sex": "M", "age_band": "65+", "disability": True, "persons": 1, "acts": 5}]


def test_a_provider_cannot_record_a_delivery_of_another_providers_service(caseworker_b, person_a, service_a):
    with pytest.raises(PermissionDenied):
        services.delivery_record(actor=caseworker_b, person=person_a, service=service_a, delivered_on=TODAY)


def test_the_parents_abroad_register_lists_the_child_and_carer_within_what_the_user_may_see(
    client, caseworker_a, caseworker_b, coordinator, other_tenant_user, case_a
):
    _make_a_child(case_a)
    services.duty_add(
        actor=caseworker_a,
        case=case_a,
        kind="parents_abroad",
        starts_on=TODAY,
        interval_weeks=8,
        carer_name="Maria Pop",
        carer_relation="grandmother",
        parents_country="Italia",
    )
    for user in (caseworker_a, coordinator):
        client.force_login(user)
        assert "Maria Pop" in client.get("/cases/registers/parents-abroad/").content.decode()
    for user in (caseworker_b, other_tenant_user):
        client.force_login(user)
        assert "Maria Pop" not in client.get("/cases/registers/parents-abroad/").content.decode()

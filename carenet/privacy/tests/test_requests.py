"""Requests of persons about their data: registered, decided within the deadline with a reason, carried out."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from carenet.audit.models import AuditEvent
from carenet.cases.models import CaseStatus
from carenet.people.models import Person
from carenet.privacy import services
from carenet.privacy.models import RequestKind, RequestStatus
from carenet.privacy.selectors import is_overdue, subject_requests
from carenet.testing.factories import CaseFactory

TODAY = datetime.date.today()


def test_erasure_of_what_the_law_keeps_is_refused_with_the_ground(schedule, coordinator, person_a, case_a):
    request = services.subject_request_register(
        actor=coordinator, person=person_a, kind=RequestKind.ERASURE, received_on=TODAY, details="Ștergeți tot."
    )
    decided = services.subject_request_decide(
        actor=coordinator, request=request, grant=True, reason="Cererea e întemeiată."
    )
    assert decided.status == RequestStatus.REFUSED
    assert {"code": "open_case", "params": {"reference": case_a.reference}} in decided.grounds
    person = Person.objects.for_tenant(person_a.municipality_id).get(pk=person_a.pk)
    assert person.first_name == person_a.first_name  # nothing erased
    event = AuditEvent.objects.filter(action="privacy.request_decide").get()
    assert event.changes["grounds"] == ["open_case"] and event.actor == coordinator


def test_erasure_of_a_closed_case_still_inside_its_period_names_the_legal_ground(
    schedule, coordinator, person_a, org_a
):
    CaseFactory(
        organisation=org_a,
        municipality=org_a.municipality,
        person=person_a,
        status=CaseStatus.CLOSED,
        opened_on=TODAY - datetime.timedelta(days=400),
        closed_on=TODAY - datetime.timedelta(days=100),
    )
    request = services.subject_request_register(
        actor=coordinator, person=person_a, kind=RequestKind.ERASURE, received_on=TODAY
    )
    decided = services.subject_request_decide(actor=coordinator, request=request, grant=True, reason="Da.")
    assert decided.status == RequestStatus.REFUSED
    (ground,) = decided.grounds
    assert ground["code"] == "retained" and "292/2011" in ground["params"]["ground"]


def test_erasure_with_nothing_kept_anonymises_the_person(schedule, coordinator, person_b):
    request = services.subject_request_register(
        actor=coordinator, person=person_b, kind=RequestKind.ERASURE, received_on=TODAY
    )
    decided = services.subject_request_decide(
        actor=coordinator, request=request, grant=True, reason="Nimic nu trebuie păstrat."
    )
    assert decided.status == RequestStatus.DONE
    person = Person.objects.for_tenant(person_b.municipality_id).get(pk=person_b.pk)
    assert person.first_name != "Ana" and person.birth_date == datetime.date(1990, 1, 1)


def test_rectification_goes_through_the_people_service(schedule, coordinator, person_a):
    request = services.subject_request_register(
        actor=coordinator,
        person=person_a,
        kind=RequestKind.RECTIFICATION,
        received_on=TODAY,
        corrections={"last_name": "Muntean", "birth_date": datetime.date(1957, 3, 12)},
    )
    services.subject_request_decide(
        actor=coordinator, request=request, grant=True, reason="Actul de identitate o arată."
    )
    person = Person.objects.for_tenant(person_a.municipality_id).get(pk=person_a.pk)
    assert (person.last_name, person.birth_date) == ("Muntean", datetime.date(1957, 3, 12))
    assert AuditEvent.objects.filter(
        action="person.update", purpose="rectification", object_id=str(person_a.pk)
    ).exists()


def test_a_decision_needs_a_reason_and_a_rectification_a_value(schedule, coordinator, person_a):
    with pytest.raises(ValidationError) as exc:
        services.subject_request_register(
            actor=coordinator, person=person_a, kind=RequestKind.RECTIFICATION, received_on=TODAY
        )
    assert "corrections" in exc.value.error_dict
    request = services.subject_request_register(
        actor=coordinator, person=person_a, kind=RequestKind.ACCESS, received_on=TODAY
    )
    with pytest.raises(ValidationError) as exc:
        services.subject_request_decide(actor=coordinator, request=request, grant=True, reason=" ")
    assert "reason" in exc.value.error_dict
    request.refresh_from_db()
    assert request.status == RequestStatus.REGISTERED


def test_an_undecided_request_past_thirty_days_is_overdue(schedule, coordinator, person_a, client):
    late = services.subject_request_register(
        actor=coordinator, person=person_a, kind=RequestKind.ACCESS, received_on=TODAY - datetime.timedelta(days=31)
    )
    on_time = services.subject_request_register(
        actor=coordinator, person=person_a, kind=RequestKind.ACCESS, received_on=TODAY - datetime.timedelta(days=29)
    )
    assert late.due_on == TODAY - datetime.timedelta(days=1)  # the tenant's deadline: 30 days
    assert is_overdue(late) and not is_overdue(on_time)
    rows = {row.request.pk: row.overdue for row in subject_requests(user=coordinator)}
    assert rows == {late.pk: True, on_time.pk: False}
    client.force_login(coordinator)
    page = client.get("/privacy/").content.decode()
    assert "Requests past their deadline: 1." in page and page.count(">overdue<") == 1
    services.subject_request_decide(actor=coordinator, request=late, grant=True, reason="Copie predată.")
    late.refresh_from_db()
    assert not is_overdue(late)

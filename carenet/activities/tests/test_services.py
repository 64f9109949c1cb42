"""Writes of the registers: validation naming the field, the idempotent sign-in sheet, staff, agreements."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carenet.activities import selectors, services
from carenet.activities.models import Attendance, ParticipantCount, StaffMember
from carenet.activities.services import ActivityInput
from carenet.audit.models import AuditEvent

from .conftest import DAY


def test_activity_create_is_audited(activity_a: Any) -> None:
    assert activity_a.partners.count() == 1
    assert AuditEvent.objects.filter(action="activity.create", object_id=str(activity_a.pk)).exists()


def test_activity_for_another_organisation_refused(
    caseworker_a: Any, org_b: Any, baia_mare: Any, bm_kinds: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            actor=caseworker_a,
            municipality=baia_mare,
            data=ActivityInput(kind=bm_kinds["event"], title="X", starts_on=DAY, organiser=org_b),
        )
    assert "organiser" in exc.value.message_dict


def test_kind_out_of_force_refused(caseworker_a: Any, org_a: Any, baia_mare: Any, bm_kinds: Any) -> None:
    old = services.activity_kind_save(
        municipality=baia_mare, code="old", name="Old", category="event", valid_to=datetime.date(2024, 12, 31)
    )
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            actor=caseworker_a,
            municipality=baia_mare,
            data=ActivityInput(kind=old, title="X", starts_on=DAY, organiser=org_a),
        )
    assert "kind" in exc.value.message_dict


def test_kind_of_other_municipality_refused(
    caseworker_a: Any, org_a: Any, baia_mare: Any, balti_kinds: Any, bm_kinds: Any
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            actor=caseworker_a,
            municipality=baia_mare,
            data=ActivityInput(kind=balti_kinds["event"], title="X", starts_on=DAY, organiser=org_a),
        )
    assert "kind" in exc.value.message_dict


def test_update_by_other_provider_refused(activity_a: Any, caseworker_b: Any, bm_kinds: Any, org_a: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.activity_update(
            actor=caseworker_b,
            activity=activity_a,
            data=ActivityInput(kind=bm_kinds["event"], title="Y", starts_on=DAY, organiser=org_a),
        )


def test_sheet_resend_is_recorded_once(activity_a: Any, caseworker_a: Any) -> None:
    key = uuid.uuid4()
    first = services.participants_record(
        actor=caseworker_a, activity=activity_a, key=key, sex="F", age_band="65+", disability="yes"
    )
    again = services.participants_record(
        actor=caseworker_a, activity=activity_a, key=str(key), sex="F", age_band="65+", disability="yes"
    )
    assert first.created and not again.created and first.pk == again.pk
    assert ParticipantCount.objects.for_tenant(activity_a.municipality_id).filter(activity=activity_a).count() == 1
    assert selectors.activity_sheet_summary(activity=activity_a).total == 1


def test_sheet_key_of_another_activity_refused(
    activity_a: Any, activity_b: Any, caseworker_a: Any, coordinator: Any
) -> None:
    key = uuid.uuid4()
    services.participants_record(actor=caseworker_a, activity=activity_a, key=key, sex="M")
    with pytest.raises(ValidationError):
        services.participants_record(actor=coordinator, activity=activity_b, key=key, sex="M")


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("sex", {"sex": "X"}),
        ("age_band", {"age_band": "7-15"}),
        ("disability", {"disability": "maybe"}),
        ("number", {"number": 0}),
    ],
)
def test_sheet_bad_input_names_the_field(
    activity_a: Any, caseworker_a: Any, field: str, values: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.participants_record(actor=caseworker_a, activity=activity_a, key=uuid.uuid4(), **values)
    assert field in exc.value.message_dict
    assert not ParticipantCount.objects.for_tenant(activity_a.municipality_id).exists()


def test_sheet_by_auditor_refused(activity_a: Any, auditor: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.participants_record(actor=auditor, activity=activity_a, key=uuid.uuid4())


def test_named_attendance_once_per_person(activity_a: Any, caseworker_a: Any, person_a: Any) -> None:
    one = services.attendance_record(actor=caseworker_a, activity=activity_a, key=uuid.uuid4(), person_id=person_a.pk)
    two = services.attendance_record(actor=caseworker_a, activity=activity_a, key=uuid.uuid4(), person_id=person_a.pk)
    assert one.created and not two.created
    assert Attendance.objects.for_tenant(activity_a.municipality_id).count() == 1


def test_named_attendance_of_unseen_person_refused(activity_a: Any, caseworker_a: Any, person_b: Any) -> None:
    """Provider A does not see provider B's person: they cannot be named (count them anonymously)."""
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=caseworker_a, activity=activity_a, key=uuid.uuid4(), person_id=person_b.pk)
    assert "person" in exc.value.message_dict


def test_staff_register(manager_a: Any, caseworker_a: Any, org_a: Any, activity_a: Any, manager_b: Any) -> None:
    member = services.staff_member_create(
        actor=manager_a,
        organisation=org_a,
        full_name="Maria Pop",
        profession="psychologist",
        employed_from=datetime.date(2020, 1, 1),
        sex="F",
        birth_year=1985,
    )
    services.training_record_add(actor=manager_a, member=member, activity=activity_a, completed_on=DAY)
    with pytest.raises(PermissionDenied):
        services.staff_member_create(
            actor=caseworker_a, organisation=org_a, full_name="X", profession="other", employed_from=DAY
        )
    with pytest.raises(PermissionDenied):
        services.training_record_add(actor=manager_b, member=member, title="X", completed_on=DAY)
    with pytest.raises(ValidationError) as exc:
        services.staff_member_leave(actor=manager_a, member=member, employed_to=datetime.date(2019, 1, 1))
    assert "employed_to" in exc.value.message_dict
    assert StaffMember.objects.for_tenant(org_a.municipality_id).count() == 1


def test_agreement(manager_a: Any, org_a: Any, org_b: Any, balti_org: Any) -> None:
    agreement = services.agreement_create(
        actor=manager_a,
        organisation=org_a,
        title="Protocol de colaborare",
        kind="cooperation",
        signed_on=DAY,
        parties=(org_b,),
    )
    assert agreement.parties.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.agreement_create(
            actor=manager_a, organisation=org_a, title="X", kind="cooperation", signed_on=DAY, parties=(balti_org,)
        )
    assert "parties" in exc.value.message_dict

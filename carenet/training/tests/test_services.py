"""The rules of issue 22's "Must show": completion and dropout, waiting-list promotion, certificate verification,
the free-places bargain of a lent room; and the refusals of the services."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carenet.core.models import OrganisationKind
from carenet.testing.factories import make_org
from carenet.training import selectors, services
from carenet.training.models import AlertCode, EnrolmentStatus, Mark, TrainingAlert

from .conftest import START, make_course

pytestmark = pytest.mark.django_db


def _mark(actor: Any, session: Any, enrolment: Any, mark: str) -> Any:
    return services.roll_call_mark(actor=actor, session=session, enrolment_id=enrolment.pk, mark=mark, key=uuid.uuid4())


def test_a_participant_with_enough_attendance_completes_and_gets_a_verifiable_certificate(
    course, csr, caseworker_a, cases, baia_mare
):
    good, poor = (services.enrolment_from_case(actor=caseworker_a, case=c, course=course) for c in cases[:2])
    s1, s2, s3 = course.sessions.all()
    for session in (s1, s2, s3):
        _mark(csr, session, good, Mark.PRESENT)
    _mark(csr, s1, poor, Mark.PRESENT)
    _mark(csr, s2, poor, Mark.EXCUSED)
    _mark(csr, s3, poor, Mark.ABSENT)  # 2 of 3 = 67% < 75%, one absence < 2: not a dropout
    services.course_close(actor=csr, course=course)
    good.refresh_from_db()
    poor.refresh_from_db()
    assert good.status == EnrolmentStatus.COMPLETED
    assert poor.status == EnrolmentStatus.NOT_COMPLETED
    assert not hasattr(poor, "certificate") or poor.certificate is None
    code = good.certificate.code
    verified = selectors.certificate_verify(municipality=baia_mare, code=code.lower().replace("-", " "))
    assert verified is not None and verified.course == course.title and verified.holder == "M. Rus"
    assert selectors.certificate_verify(municipality=baia_mare, code="AAAA-BBBB-CCCC") is None


def test_a_certificate_is_not_found_from_the_other_municipality(course, csr, caseworker_a, cases, balti):
    e = services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    for session in course.sessions.all():
        _mark(csr, session, e, Mark.PRESENT)
    services.course_close(actor=csr, course=course)
    e.refresh_from_db()
    assert selectors.certificate_verify(municipality=balti, code=e.certificate.code) is None


def test_the_nth_absence_is_a_dropout_that_alerts_the_social_worker_and_frees_the_place(
    csr, company, rules, caseworker_a, cases
):
    course = make_course(csr, company, places=1)
    s1 = services.session_add(actor=csr, course=course, held_on=START)
    s2 = services.session_add(actor=csr, course=course, held_on=START + datetime.timedelta(days=1))
    first = services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    waiting = services.enrolment_from_case(actor=caseworker_a, case=cases[1], course=course)
    assert (first.status, waiting.status) == (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)
    assert not _mark(csr, s1, first, Mark.ABSENT).dropped_out
    assert _mark(csr, s2, first, Mark.ABSENT).dropped_out  # the course's rule: 2 absences
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == EnrolmentStatus.DROPPED_OUT
    assert waiting.status == EnrolmentStatus.ENROLLED
    alert = TrainingAlert.objects.for_tenant(course.municipality_id).get(enrolment=first)
    assert alert.recipient == caseworker_a and alert.code == AlertCode.DROPOUT and alert.params["absences"] == 2


def test_excused_absences_never_make_a_dropout(course, csr, caseworker_a, cases):
    e = services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    for session in course.sessions.all():
        _mark(csr, session, e, Mark.EXCUSED)
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.ENROLLED


def test_closing_a_session_marks_the_unmarked_absent(course, csr, caseworker_a, cases):
    e = services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    s1, s2, _s3 = course.sessions.all()
    services.session_close(actor=csr, session=s1)
    services.session_close(actor=csr, session=s2)
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.DROPPED_OUT


def test_a_resend_of_the_same_mark_is_not_counted_twice(course, csr, caseworker_a, cases):
    e = services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    s1 = course.sessions.first()
    key = uuid.uuid4()
    first = services.roll_call_mark(actor=csr, session=s1, enrolment_id=e.pk, mark=Mark.ABSENT, key=key)
    again = services.roll_call_mark(actor=csr, session=s1, enrolment_id=e.pk, mark=Mark.ABSENT, key=key)
    assert first.created and not again.created
    assert services.absences(enrolment=e) == 1


def test_the_waiting_list_is_promoted_in_order_when_a_place_frees(csr, company, rules, caseworker_a, cases):
    course = make_course(csr, company, places=1)
    enrolled, second, third = (services.enrolment_from_case(actor=caseworker_a, case=c, course=course) for c in cases)
    assert [e.status for e in (second, third)] == [EnrolmentStatus.WAITING] * 2
    services.enrolment_withdraw(actor=caseworker_a, enrolment=enrolled)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == EnrolmentStatus.ENROLLED and third.status == EnrolmentStatus.WAITING
    assert (
        TrainingAlert.objects.for_tenant(course.municipality_id)
        .filter(enrolment=second, code=AlertCode.PROMOTED)
        .exists()
    )


def test_a_portal_applicant_never_takes_a_free_place_reserved_for_vulnerable_people(
    csr, company, rules, caseworker_a, cases, baia_mare
):
    course = make_course(csr, company, places=2, free_places=1)
    applicant = services.enrolment_from_portal(
        municipality=baia_mare, course=course, name="Dan Ilieș", contact="0700000000", consent=True
    )
    late = services.enrolment_from_portal(
        municipality=baia_mare, course=course, name="Ana Bud", contact="ana@example.org", consent=True
    )
    assert applicant.status == EnrolmentStatus.ENROLLED and not applicant.free_place
    assert late.status == EnrolmentStatus.WAITING  # the one place left is a free place
    vulnerable = services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    assert vulnerable.status == EnrolmentStatus.ENROLLED and vulnerable.free_place
    services.enrolment_withdraw(actor=csr, enrolment=vulnerable)
    late.refresh_from_db()
    assert late.status == EnrolmentStatus.WAITING  # the freed free place waits for a vulnerable person


def test_a_course_in_a_lent_room_must_reserve_the_free_places_still_owed(
    coordinator, csr, company, rules, caseworker_a, cases, baia_mare
):
    hall = make_org(baia_mare, "casa-cultura", "Casa de Cultură", kind=OrganisationKind.PUBLIC)
    room = services.room_create(actor=coordinator, owner=hall, name="Sala mică")
    offer = services.room_offer_create(
        actor=coordinator, room=room, trainer=company, free_places_owed=3, valid_from=datetime.date(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        make_course(csr, company, places=10, free_places=2, room_offer=offer)
    assert "free_places" in refused.value.message_dict
    course = make_course(csr, company, places=10, free_places=3, room_offer=offer)
    assert course.room == room
    for c in cases[:2]:
        services.enrolment_from_case(actor=caseworker_a, case=c, course=course)
    balance = selectors.room_offer_balance(offer=offer)
    assert (balance.owed, balance.reserved, balance.given, balance.outstanding) == (3, 3, 2, 1)
    # The next course in the room reserves only what is still owed.
    nxt = make_course(csr, company, places=10, free_places=1, room_offer=offer, title="Contabilitate")
    assert nxt.free_places == 1


def test_a_room_is_lent_for_free_places_only_to_a_commercial_trainer(coordinator, org_b, baia_mare):
    hall = make_org(baia_mare, "casa-cultura", "Casa de Cultură", kind=OrganisationKind.PUBLIC)
    room = services.room_create(actor=coordinator, owner=hall, name="Sala mare")
    with pytest.raises(ValidationError) as refused:
        services.room_offer_create(
            actor=coordinator, room=room, trainer=org_b, free_places_owed=2, valid_from=datetime.date(2026, 1, 1)
        )
    assert "trainer" in refused.value.message_dict


def test_enrolment_needs_the_persons_consent_to_share_with_the_trainer(course, caseworker_a, case_a):
    with pytest.raises(ValidationError) as refused:
        services.enrolment_from_case(actor=caseworker_a, case=case_a, course=course)
    assert "consent" in refused.value.message_dict


def test_another_providers_social_worker_cannot_enrol_from_a_case_they_do_not_hold(course, caseworker_b, cases):
    with pytest.raises(PermissionDenied):
        services.enrolment_from_case(actor=caseworker_b, case=cases[0], course=course)


def test_another_company_cannot_run_the_roll_call(course, csr_b, caseworker_a, cases):
    e = services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    with pytest.raises(PermissionDenied):
        _mark(csr_b, course.sessions.first(), e, Mark.PRESENT)


def test_a_course_states_its_rules_or_takes_the_municipalitys(csr, company, baia_mare):
    with pytest.raises(ValidationError) as refused:
        make_course(csr, company)  # no rules in force, none given
    assert set(refused.value.message_dict) >= {"min_attendance_percent", "dropout_after_absences"}
    course = make_course(csr, company, min_attendance_percent=80, dropout_after_absences=3)
    assert (course.min_attendance_percent, course.dropout_after_absences) == (80, 3)


def test_a_provider_session_is_also_an_activity_of_the_register(caseworker_a, org_a, rules, baia_mare):
    from carenet.activities import services as activities_services
    from carenet.activities.models import KindCategory

    activities_services.activity_kind_save(
        municipality=baia_mare, code="training", name="Instruire", category=KindCategory.TRAINING
    )
    course = make_course(caseworker_a, org_a, offered_by="provider")
    session = services.session_add(actor=caseworker_a, course=course, held_on=START)
    assert session.activity is not None and session.activity.organiser == org_a


def test_kpi_7_and_8_count_courses_and_completion_among_vulnerable_participants(
    course, csr, caseworker_a, cases, baia_mare
):
    done, dropped, _third = (services.enrolment_from_case(actor=caseworker_a, case=c, course=course) for c in cases)
    s1, s2, s3 = course.sessions.all()
    for s in (s1, s2, s3):
        _mark(csr, s, done, Mark.PRESENT)
    _mark(csr, s1, dropped, Mark.ABSENT)
    _mark(csr, s2, dropped, Mark.ABSENT)
    services.course_close(actor=csr, course=course)
    period = {"municipality": baia_mare, "date_from": datetime.date(2026, 1, 1), "date_to": datetime.date(2026, 12, 31)}
    assert selectors.training_programme_count(**period) == 1
    completion = selectors.vocational_completion(**period)
    dropout = selectors.training_dropout_rate(**period)
    assert (completion.numerator, completion.denominator) == (1, 3)
    assert (dropout.numerator, dropout.denominator) == (1, 3)


def test_a_hire_sets_follow_ups_at_3_and_6_months(caseworker_a, case_a):
    p = services.placement_record(
        actor=caseworker_a,
        case=case_a,
        employer="SC Exemplu",
        post="Operator",
        outcome="hired",
        hired_on=datetime.date(2026, 1, 31),
    )
    assert (p.follow_up_3m_on, p.follow_up_6m_on) == (datetime.date(2026, 4, 30), datetime.date(2026, 7, 31))
    services.placement_follow_up(actor=caseworker_a, placement=p, months=3, employed=True)
    p.refresh_from_db()
    assert p.employed_at_3m is True and p.employed_at_6m is None


def test_a_hire_without_a_date_is_refused_naming_the_field(caseworker_a, case_a):
    with pytest.raises(ValidationError) as refused:
        services.placement_record(actor=caseworker_a, case=case_a, employer="X", post="Y", outcome="hired")
    assert "hired_on" in refused.value.message_dict


def test_a_company_contribution_counts_hours_and_people_trained(course, csr, company, caseworker_a, cases):
    e = services.enrolment_from_case(actor=caseworker_a, case=cases[0], course=course)
    for s in course.sessions.all():
        _mark(csr, s, e, Mark.PRESENT)
    services.course_close(actor=csr, course=course)
    c = selectors.company_contribution(organisation=company)
    assert (c.courses, c.hours, c.people_trained) == (1, 24, 1)

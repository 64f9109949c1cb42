"""A caregiver's training comes from the training platform: the code of a certificate of a course that counts
as the caregiver training, issued to this caregiver and not revoked, makes them trained (and so proposed where
the rule asks for the training); checked again every night."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carenet.audit.models import AuditEvent
from carenet.care import selectors, services
from carenet.care.models import Caregiver
from carenet.core.credentials import Credential, names_agree
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused
from carenet.training.models import (
    Certificate,
    Course,
    Enrolment,
    EnrolmentChannel,
    EnrolmentStatus,
    OfferedBy,
    Qualification,
)

from .conftest import TUESDAY_MORNING, caregiver

pytestmark = pytest.mark.django_db


def _certificate(municipality, org, holder: str, code: str, *, counts: bool = True, revoked: bool = False):
    """A certificate of completion of a training-platform course (written directly: the test is care's)."""
    course = Course.objects.for_tenant(municipality).create(
        municipality=municipality,
        organisation=org,
        offered_by=OfferedBy.PROVIDER,
        title="Îngrijire la domiciliu" if counts else "Operator calculator",
        places=10,
        min_attendance_percent=75,
        dropout_after_absences=2,
        starts_on=datetime.date(2026, 3, 1),
        qualifies_for=Qualification.CAREGIVER if counts else "",
    )
    enrolment = Enrolment.objects.for_tenant(municipality).create(
        municipality=municipality,
        course=course,
        applicant_name=holder,
        channel=EnrolmentChannel.PORTAL,
        status=EnrolmentStatus.COMPLETED,
        requested_at=timezone.now(),
    )
    return Certificate.objects.for_tenant(municipality).create(
        municipality=municipality,
        enrolment=enrolment,
        code=code,
        issued_on=datetime.date(2026, 5, 1),
        revoked_on=datetime.date(2026, 6, 1) if revoked else None,
    )


@pytest.fixture
def flavia(baia_mare, org_a, bm_rule):
    """An untrained caregiver near the family, free on Tuesday mornings."""
    return caregiver(baia_mare, org_a, "Flavia", 0.4, TUESDAY_MORNING, trained=False)


def test_a_caregiver_with_a_certificate_of_the_caregiver_course_counts_as_trained(
    flavia, coordinator, baia_mare, org_a
):
    _certificate(baia_mare, org_a, "Flavia Test", "ABCD-EFGH-JKLM")
    services.caregiver_training_verify(actor=coordinator, caregiver=flavia, code="abcd efgh jklm")
    flavia.refresh_from_db()
    assert (flavia.training_completed, flavia.training_certificate) == (True, "ABCD-EFGH-JKLM")
    assert flavia.training_checked_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="caregiver.training", object_id=str(flavia.pk)).exists()


@pytest.mark.parametrize(
    ("holder", "counts", "revoked", "why"),
    [
        ("Flavia Test", False, False, "does not count as the caregiver training"),
        ("Flavia Test", True, True, "revoked"),
        ("Maria Pop", True, False, "issued to someone else"),
    ],
)
def test_a_certificate_that_does_not_qualify_is_refused_naming_why(
    flavia, coordinator, baia_mare, org_a, holder, counts, revoked, why
):
    _certificate(baia_mare, org_a, holder, "ABCD-EFGH-JKLM", counts=counts, revoked=revoked)
    with pytest.raises(ValidationError) as refused:
        services.caregiver_training_verify(actor=coordinator, caregiver=flavia, code="ABCD-EFGH-JKLM")
    assert why in refused.value.message_dict["code"][0]
    flavia.refresh_from_db()
    assert not flavia.training_completed


def test_a_certificate_of_the_other_municipality_is_unknown_here(flavia, coordinator, balti, balti_org):
    _certificate(balti, balti_org, "Flavia Test", "ABCD-EFGH-JKLM")
    with pytest.raises(ValidationError) as refused:
        services.caregiver_training_verify(actor=coordinator, caregiver=flavia, code="ABCD-EFGH-JKLM")
    assert "No certificate of this municipality" in refused.value.message_dict["code"][0]


def test_the_nightly_check_untrains_a_caregiver_whose_certificate_was_revoked(
    flavia, coordinator, baia_mare, org_a, care_request
):
    certificate = _certificate(baia_mare, org_a, "Flavia Test", "ABCD-EFGH-JKLM")
    services.caregiver_training_verify(actor=coordinator, caregiver=flavia, code="ABCD-EFGH-JKLM")
    assert flavia.pk in {p.caregiver.pk for p in selectors.proposals(request=care_request)}
    assert services.caregivers_recheck_training() == 0
    certificate.revoked_on = timezone.localdate()
    certificate.save(update_fields=["revoked_on"])
    assert services.caregivers_recheck_training() == 1
    flavia.refresh_from_db()
    assert not flavia.training_completed
    assert flavia.pk not in {p.caregiver.pk for p in selectors.proposals(request=care_request)}


def test_a_caregiver_registered_with_a_bad_certificate_is_not_saved(coordinator, baia_mare, org_a, bm_rule):
    data = services.CaregiverInput(
        first_name="Ioana",
        last_name="Rus",
        latitude=47.65,
        longitude=23.58,
        kinds=["companionship"],
        organisation=org_a,
        training_certificate="ZZZZ-ZZZZ-ZZZZ",
    )
    with pytest.raises(ValidationError) as refused:
        services.caregiver_create(actor=coordinator, municipality=baia_mare, data=data)
    assert "training_certificate" in refused.value.message_dict
    assert not Caregiver.objects.for_tenant(baia_mare).filter(last_name="Rus").exists()
    _certificate(baia_mare, org_a, "Ioana Rus", "ZZZZ-ZZZZ-ZZZZ")
    saved = services.caregiver_create(actor=coordinator, municipality=baia_mare, data=data)
    assert saved.training_completed and saved.training_certificate == "ZZZZ-ZZZZ-ZZZZ"


def test_names_agree_ignoring_case_and_diacritics():
    credential = Credential(
        first_name="Stefan",
        last_name="MURESAN",
        title="",
        issuer="",
        issued_on=datetime.date(2026, 1, 1),
        revoked=False,
        qualifies_for=frozenset(),
    )
    assert names_agree(credential, first_name="Ștefan", last_name="Mureșan")
    assert not names_agree(credential, first_name="Ana", last_name="Mureșan")
    assert not names_agree(credential, first_name="Ștefan", last_name="Mureș")


def test_the_page_checks_a_certificate_and_names_the_field_when_it_fails(client, coordinator, flavia, baia_mare, org_a):
    client.force_login(coordinator)
    url = reverse("care:caregiver_training", args=[flavia.pk])
    bad = client.post(url, {"code": "NOPE"})
    assert bad.status_code == 400 and "code" in bad.context["certificate_form"].errors
    _certificate(baia_mare, org_a, "Flavia Test", "ABCD-EFGH-JKLM")
    assert client.post(url, {"code": "ABCD-EFGH-JKLM"}).status_code == 302
    flavia.refresh_from_db()
    assert flavia.training_completed


def test_refusals_of_the_certificate_check(flavia, caseworker_b, other_tenant_user, auditor):
    url = reverse("care:caregiver_training", args=[flavia.pk])
    assert_refused(Client(), url, LOGIN_REDIRECT, method="post", data={"code": "X"})
    for user, status in ((other_tenant_user, NOT_FOUND), (caseworker_b, NOT_FOUND), (auditor, FORBIDDEN)):
        client = Client()
        client.force_login(user)
        assert_refused(client, url, status, method="post", data={"code": "X"})
    with pytest.raises(PermissionDenied):
        services.caregiver_training_verify(actor=auditor, caregiver=flavia, code="ABCD-EFGH-JKLM")

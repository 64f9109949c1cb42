"""Transfer of a case to another provider: same consent rules, audited, ownership really changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carenet.audit.models import AuditEvent
from carenet.cases.models import Case
from carenet.referrals import services
from carenet.referrals.models import Notification


def test_a_case_is_transferred_with_consent_and_changes_owner(
    client, caseworker_a, caseworker_b, case_a, org_b, consent_for_b
):
    transfer = services.case_transfer(
        actor=caseworker_a, case=case_a, to_organisation=org_b, reason="Se mută în cartier."
    )
    case = Case.objects.for_tenant(case_a.municipality_id).get(pk=case_a.pk)
    assert case.organisation_id == org_b.pk and case.caseworker_id == caseworker_b.pk
    assert transfer.basis == "consent"
    assert AuditEvent.objects.filter(action="case.transfer", object_id=str(case_a.pk)).exists()
    assert (
        Notification.objects.for_tenant(case_a.municipality_id).filter(recipient=caseworker_b, kind="transfer").exists()
    )
    client.force_login(caseworker_b)
    assert client.get(f"/cases/{case_a.pk}/").status_code == 200
    client.force_login(caseworker_a)
    assert client.get(f"/cases/{case_a.pk}/").status_code == 404


def test_a_transfer_without_consent_is_refused(caseworker_a, case_a, org_b):
    with pytest.raises(ValidationError):
        services.case_transfer(actor=caseworker_a, case=case_a, to_organisation=org_b, reason="x")
    assert Case.objects.for_tenant(case_a.municipality_id).get(pk=case_a.pk).organisation_id == case_a.organisation_id


def test_a_transfer_override_is_for_supervisors_only_and_audited(caseworker_a, supervisor_a, case_a, org_b):
    with pytest.raises(PermissionDenied):
        services.case_transfer(
            actor=caseworker_a, case=case_a, to_organisation=org_b, reason="x", override_reason="Urgent"
        )
    services.case_transfer(actor=supervisor_a, case=case_a, to_organisation=org_b, reason="x", override_reason="Urgent")
    assert AuditEvent.objects.filter(action="case.transfer.emergency_override", object_id=str(case_a.pk)).exists()


def test_another_provider_cannot_transfer_a_case_it_does_not_own(client, caseworker_b, case_a, org_b):
    client.force_login(caseworker_b)
    assert client.get(f"/referrals/transfer/{case_a.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.case_transfer(actor=caseworker_b, case=case_a, to_organisation=org_b, reason="x")


def test_a_balti_user_cannot_transfer(client, other_tenant_user, case_a):
    client.force_login(other_tenant_user)
    assert client.post(f"/referrals/transfer/{case_a.pk}/", {"reason": "x"}).status_code == 404


def test_the_transfer_page_shows_a_clear_error_without_consent(client, caseworker_a, case_a, org_b):
    client.force_login(caseworker_a)
    response = client.post(f"/referrals/transfer/{case_a.pk}/", {"to_organisation": org_b.pk, "reason": "x"})
    assert response.status_code == 200
    assert "consent" in response.content.decode().lower() or "consimțământ" in response.content.decode().lower()

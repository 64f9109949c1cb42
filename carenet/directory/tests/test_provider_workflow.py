from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from carenet.audit.models import AuditEvent
from carenet.directory.models import ReminderLog, Service
from carenet.directory.tasks import send_freshness_reminders


def _form_data(**overrides):
    data = {
        "name": "Centru de zi pentru copii",
        "description": "Activități.",
        "status": "active",
        "update_frequency_days": "180",
        "name_hu": "",
        "description_hu": "",
    }
    data.update(overrides)
    return data


def test_a_provider_manager_edits_their_own_service_and_the_change_is_audited(client, manager_a, service_a):
    client.force_login(manager_a)
    response = client.post(
        reverse("directory:service_edit", args=[service_a.pk]),
        _form_data(name="Centrul de zi «Copil»", name_hu="Nappali központ"),
    )
    assert response.status_code == 302
    service_a.refresh_from_db()
    assert service_a.name == "Centrul de zi «Copil»"
    assert service_a.translations["hu"]["name"] == "Nappali központ"
    assert service_a.last_verified_at is not None
    event = AuditEvent.objects.filter(action="directory.service.update", object_id=str(service_a.pk)).get()
    assert "name" in event.changes["fields"]


def test_a_provider_manager_of_organisation_a_gets_403_editing_organisation_b_service(client, manager_a, service_b):
    client.force_login(manager_a)
    url = reverse("directory:service_edit", args=[service_b.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _form_data(name="Hijacked")).status_code == 403
    service_b.refresh_from_db()
    assert service_b.name == "Îngrijiri la domiciliu"


def test_a_caseworker_cannot_edit_even_their_own_organisation_service(client, caseworker_a, service_a):
    client.force_login(caseworker_a)
    assert client.get(reverse("directory:service_edit", args=[service_a.pk])).status_code == 403


def test_a_balti_user_gets_404_for_a_baia_mare_service(client, other_tenant_user, service_a):
    client.force_login(other_tenant_user)
    assert client.get(reverse("directory:service", args=[service_a.pk])).status_code == 404
    assert client.get(reverse("directory:service_edit", args=[service_a.pk])).status_code == 404
    assert client.post(reverse("directory:service_verify", args=[service_a.pk])).status_code == 404


def test_the_coordinator_may_edit_any_service_of_the_municipality(client, coordinator, service_b):
    client.force_login(coordinator)
    assert client.get(reverse("directory:service_edit", args=[service_b.pk])).status_code == 200


def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(client, manager_a, service_a):
    client.force_login(manager_a)
    response = client.post(
        reverse("directory:service_edit", args=[service_a.pk]),
        _form_data(name="", minimum_age="10", maximum_age="3", places_total="2", places_available="5"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"name", "maximum_age", "places_available"}
    service_a.refresh_from_db()
    assert service_a.name == "Centru de zi pentru copii"


def test_inline_validation_returns_the_form_with_errors_and_saves_nothing(client, manager_a, service_a):
    client.force_login(manager_a)
    response = client.post(
        reverse("directory:service_edit", args=[service_a.pk]),
        _form_data(name="Nou", minimum_age="10", maximum_age="3"),
        HTTP_HX_REQUEST="true",
        HTTP_X_VALIDATE_ONLY="1",
    )
    assert response.status_code == 200
    assert b'id="service-form"' in response.content
    assert b"<html" not in response.content
    service_a.refresh_from_db()
    assert service_a.name == "Centru de zi pentru copii"


def test_a_manager_creates_a_service_for_their_organisation_only(client, manager_a, org_a, org_b):
    client.force_login(manager_a)
    response = client.post(reverse("directory:service_new", args=[org_a.pk]), _form_data(name="Serviciu nou"))
    assert response.status_code == 302
    assert Service.plain.filter(organisation=org_a, name="Serviciu nou").exists()
    assert client.get(reverse("directory:service_new", args=[org_b.pk])).status_code == 403


def test_verifying_a_record_resets_its_freshness(client, manager_a, service_a):
    Service.plain.filter(pk=service_a.pk).update(last_verified_at=timezone.now() - timedelta(days=400))
    service_a.refresh_from_db()
    assert service_a.is_stale
    client.force_login(manager_a)
    client.post(reverse("directory:service_verify", args=[service_a.pk]))
    service_a.refresh_from_db()
    assert not service_a.is_stale


def test_overdue_records_remind_the_provider_managers_once(manager_a, service_a, service_b):
    Service.plain.filter(pk=service_a.pk).update(last_verified_at=timezone.now() - timedelta(days=200))
    Service.plain.filter(pk=service_b.pk).update(last_verified_at=timezone.now())
    send_freshness_reminders.enqueue()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mgr_a@test.local"]
    assert service_a.name in mail.outbox[0].subject
    send_freshness_reminders.enqueue()
    assert len(mail.outbox) == 1
    assert ReminderLog.plain.count() == 1


def test_the_coordinator_sees_the_freshness_report_and_a_manager_does_not(client, coordinator, manager_a, service_a):
    Service.plain.filter(pk=service_a.pk).update(last_verified_at=None)
    client.force_login(coordinator)
    response = client.get(reverse("directory:freshness"))
    assert response.status_code == 200
    assert service_a.name in response.content.decode()
    client.force_login(manager_a)
    assert client.get(reverse("directory:freshness")).status_code == 403


def test_the_service_list_flags_missing_translations_in_few_queries(
    client, coordinator, service_a, service_b, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:services"))
    assert response.status_code == 200
    assert "hu" in response.content.decode()

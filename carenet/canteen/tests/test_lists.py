"""Units, nominal lists and meal cards: the office generates and sends, the unit sees what it serves."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from carenet.audit.models import AuditEvent
from carenet.canteen import services
from carenet.canteen.models import CardStatus, ListStatus, MealCard, NominalList
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused


def _generate(client, unit):
    month = timezone.localdate().strftime("%Y-%m")
    return client.post(reverse("canteen:list_generate", args=[unit.pk]), {"month": month})


def test_the_office_generates_and_sends_the_list_and_the_unit_sees_it_only_once_sent(
    client, manager_a, cook, approved_a, unit
):
    client.force_login(manager_a)
    response = _generate(client, unit)
    assert response.status_code == 302
    nominal_list = NominalList.objects.for_tenant(unit.municipality_id).get()
    url = reverse("canteen:list", args=[nominal_list.pk])
    client.force_login(cook)
    assert_refused(client, url, NOT_FOUND)  # a draft is the office's
    client.force_login(manager_a)
    assert client.post(reverse("canteen:list_send", args=[nominal_list.pk])).status_code == 302
    nominal_list.refresh_from_db()
    assert nominal_list.status == ListStatus.SENT
    client.force_login(cook)
    body = client.get(url).content.decode()
    assert approved_a.person.last_name in body
    assert "900.00" not in body  # the income is not on the unit's list


def test_the_list_exports_as_xlsx_and_pdf_audited(client, manager_a, approved_a, unit):
    client.force_login(manager_a)
    _generate(client, unit)
    nominal_list = NominalList.objects.for_tenant(unit.municipality_id).get()
    xlsx = client.get(reverse("canteen:list_export", args=[nominal_list.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("canteen:list_export", args=[nominal_list.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert AuditEvent.objects.filter(action="export", object_type="canteen.nominal_list.xlsx").exists()
    assert client.get(reverse("canteen:list_export", args=[nominal_list.pk, "csv"])).status_code == 404


def test_refusals_of_the_list_pages(
    client, manager_a, cook, caseworker_a, caseworker_b, other_tenant_user, approved_a, unit
):
    services.nominal_list_send(
        actor=manager_a,
        nominal_list=services.nominal_list_generate(actor=manager_a, unit=unit, month=timezone.localdate()),
    )
    nominal_list = NominalList.objects.for_tenant(unit.municipality_id).get()
    url = reverse("canteen:list", args=[nominal_list.pk])
    assert_login_required(client, url)
    client.force_login(other_tenant_user)
    assert_refused(client, url, NOT_FOUND)
    client.force_login(caseworker_b)
    assert_refused(client, url, NOT_FOUND)
    client.force_login(cook)  # sees it, may not generate or send
    assert_refused(client, reverse("canteen:list_generate", args=[unit.pk]), FORBIDDEN, method="post")
    client.force_login(caseworker_a)  # the office's caseworker: a lower role than its manager
    assert_refused(client, reverse("canteen:list_send", args=[nominal_list.pk]), FORBIDDEN, method="post")


def test_cards_print_with_a_qr_code_and_are_revoked_by_the_office(client, manager_a, cook, approved_a, unit):
    card = MealCard.objects.for_tenant(unit.municipality_id).get()
    client.force_login(cook)
    body = client.get(reverse("canteen:cards", args=[unit.pk])).content.decode()
    assert card.number in body and "<svg" in body
    assert_refused(
        client, reverse("canteen:card_revoke", args=[card.pk]), FORBIDDEN, method="post", data={"reason": "x"}
    )
    client.force_login(manager_a)
    client.post(reverse("canteen:card_revoke", args=[card.pk]), {"reason": "pierdut"})
    card.refresh_from_db()
    assert card.status == CardStatus.REVOKED


def test_refusals_of_the_unit_and_cards_pages(client, caseworker_b, other_tenant_user, unit, approved_a):
    for name in ("canteen:unit", "canteen:cards"):
        url = reverse(name, args=[unit.pk])
        client.logout()
        assert_login_required(client, url)
        client.force_login(other_tenant_user)
        assert_refused(client, url, NOT_FOUND)
        client.force_login(caseworker_b)
        assert_refused(client, url, NOT_FOUND)

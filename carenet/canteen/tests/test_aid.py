"""Aid in kind: the coordinator's seasons, distribution list and signature sheet."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from carenet.canteen import services
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused


def test_the_coordinator_grants_aid_and_prints_the_signature_sheet(client, coordinator, baia_mare, person_a):
    season = services.aid_season_create(
        actor=coordinator,
        municipality=baia_mare,
        name="Iarna",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    client.force_login(coordinator)
    url = reverse("canteen:aid_season", args=[season.pk])
    bad = client.post(url, {"person": person_a.pk, "item": "coal", "quantity": "40", "unit": "t"})
    assert bad.status_code == 400 and "quantity" in bad.context["form"].errors
    ok = client.post(url, {"person": person_a.pk, "item": "coal", "quantity": "2", "unit": "t"})
    assert ok.status_code == 302
    sheet = client.get(reverse("canteen:aid_signatures", args=[season.pk, "pdf"]))
    assert sheet.content[:4] == b"%PDF"


def test_refusals_of_aid_in_kind(client, coordinator, caseworker_a, other_tenant_user, baia_mare):
    season = services.aid_season_create(
        actor=coordinator,
        municipality=baia_mare,
        name="Iarna",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    url = reverse("canteen:aid_season", args=[season.pk])
    assert_login_required(client, url)
    client.force_login(other_tenant_user)
    assert_refused(client, url, NOT_FOUND)
    client.force_login(caseworker_a)
    assert_refused(client, reverse("canteen:aid"), FORBIDDEN)
    assert_refused(client, url, NOT_FOUND)

"""Company contribution, rooms, figures: the pages and their refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, assert_refused

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_a_company_publishes_its_contribution(course, csr, company):
    client = _client(csr)
    assert "Hours taught" in client.get(reverse("training:company")).content.decode()
    client.post(reverse("training:company_publish"), {"organisation": company.pk, "publish": "1"})
    assert "see it on the portal" in client.get(reverse("training:company")).content.decode()


def test_a_company_cannot_publish_another_companys_page(csr, company_b):
    response = _client(csr).post(reverse("training:company_publish"), {"organisation": company_b.pk, "publish": "1"})
    assert response.status_code == 404


def test_the_coordinator_reads_the_figures_and_exports_them(coordinator, course):
    client = _client(coordinator)
    assert "KPI 7" in client.get(reverse("training:figures"), {"year": 2026}).content.decode()
    export = client.get(reverse("training:figures"), {"year": 2026, "format": "csv"})
    assert export.status_code == 200


def test_a_caseworker_may_not_read_the_figures_403(caseworker_a):
    assert_refused(_client(caseworker_a), reverse("training:figures"), FORBIDDEN)


def test_a_social_worker_is_refused_the_company_page_403(caseworker_a):
    assert_refused(_client(caseworker_a), reverse("training:company"), FORBIDDEN)


def test_the_other_municipality_sees_no_room_of_baia_mare(other_tenant_user, coordinator, baia_mare):
    import datetime

    from carenet.core.models import OrganisationKind
    from carenet.testing.factories import make_org
    from carenet.training import services

    hall = make_org(baia_mare, "sala", "Casa de Cultură", kind=OrganisationKind.PUBLIC)
    firm = make_org(baia_mare, "firma", "SC Firmă SRL", kind=OrganisationKind.PRIVATE)
    room = services.room_create(actor=coordinator, owner=hall, name="Sala Albastră")
    services.room_offer_create(
        actor=coordinator, room=room, trainer=firm, free_places_owed=2, valid_from=datetime.date(2026, 1, 1)
    )
    assert "Sala Albastră" in _client(coordinator).get(reverse("training:rooms")).content.decode()
    assert "Sala Albastră" not in _client(other_tenant_user).get(reverse("training:rooms")).content.decode()


def test_an_anonymous_visitor_is_sent_to_login():
    for name in ("company", "rooms", "figures", "fairs"):
        assert_refused(Client(), reverse(f"training:{name}"), LOGIN_REDIRECT)

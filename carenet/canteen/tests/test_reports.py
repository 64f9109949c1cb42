"""The monthly statement and the reports; the plan's canteen indicator (the same selector)."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils import timezone

from carenet.canteen import selectors, services
from carenet.canteen.models import MealCard
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused


def _serve_today(cook, unit):
    card = MealCard.objects.for_tenant(unit.municipality_id).get()
    services.meal_record(actor=cook, unit=unit, key=uuid.uuid4(), card_number=card.number, kind="lunch")


def test_the_statement_page_and_its_exports_show_the_meals_recorded(client, cook, approved_a, unit):
    _serve_today(cook, unit)
    client.force_login(cook)
    url = reverse("canteen:statement", args=[unit.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["statement"].meals == 1
    assert client.get(url, {"format": "xlsx"}).content[:2] == b"PK"
    assert client.get(url, {"format": "pdf"}).content[:4] == b"%PDF"
    assert client.get(url, {"format": "exe"}).status_code == 404
    assert client.get(url, {"month": "garbage"}).status_code == 200


def test_the_reports_count_meals_by_unit_and_category(client, coordinator, cook, approved_a, unit):
    _serve_today(cook, unit)
    client.force_login(coordinator)
    response = client.get(reverse("canteen:reports"))
    assert response.context["total"] == 1
    assert response.context["categories"] == ["c"]
    year = timezone.localdate().year
    assert (
        selectors.persons_served(
            municipality=unit.municipality_id,
            first=timezone.localdate().replace(month=1, day=1),
            last=timezone.localdate().replace(year=year, month=12, day=31),
        )
        == 1
    )


def test_refusals_of_the_statement_and_reports(client, caseworker_b, other_tenant_user, citizen, unit, approved_a):
    url = reverse("canteen:statement", args=[unit.pk])
    assert_login_required(client, url)
    assert_login_required(client, reverse("canteen:reports"))
    client.force_login(other_tenant_user)
    assert_refused(client, url, NOT_FOUND)
    client.force_login(caseworker_b)
    assert_refused(client, url, NOT_FOUND)
    client.force_login(citizen)
    assert_refused(client, reverse("canteen:reports"), FORBIDDEN)


def test_the_plans_canteen_meals_indicator_is_the_reports_figure(cook, approved_a, unit):
    from types import SimpleNamespace

    from carenet.plans.computations import REGISTRY

    _serve_today(cook, unit)
    today = timezone.localdate()
    indicator = SimpleNamespace(municipality_id=unit.municipality_id)
    period = SimpleNamespace(start_date=today.replace(month=1, day=1), end_date=today)
    assert REGISTRY["canteen.meals"].fn(indicator, period) == {"": 1}
    assert "canteen.persons_served" in REGISTRY

"""The counter's endpoint: 201 recorded, 200 a resend, 409 a rule's refusal with the reason, 400 bad input."""

from __future__ import annotations

import json
import uuid

from django.urls import reverse

from carenet.canteen.models import Meal, MealCard
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused


def _post(client, unit, **payload):
    return client.post(
        reverse("canteen:counter_serve", args=[unit.pk]), json.dumps(payload), content_type="application/json"
    )


def test_the_counter_serves_resends_and_refuses_a_second_lunch(client, cook, approved_a, unit):
    card = MealCard.objects.for_tenant(unit.municipality_id).get()
    client.force_login(cook)
    key = str(uuid.uuid4())
    first = _post(client, unit, key=key, card=card.number.lower(), kind="lunch")
    assert first.status_code == 201
    assert first.json()["name"] == f"{approved_a.person.last_name} {approved_a.person.first_name}"
    assert _post(client, unit, key=key, card=card.number, kind="lunch").status_code == 200
    second = _post(client, unit, key=str(uuid.uuid4()), card=card.number, kind="lunch")
    assert second.status_code == 409
    assert second.json()["code"] == "already_served"
    assert "already been served lunch" in second.json()["errors"]["card"][0]
    assert Meal.objects.for_tenant(unit.municipality_id).count() == 1


def test_bad_input_is_400_naming_the_field(client, cook, approved_a, unit):
    client.force_login(cook)
    response = client.post(reverse("canteen:counter_serve", args=[unit.pk]), "{", content_type="application/json")
    assert response.status_code == 400
    assert "key" in _post(client, unit, key="x", card="A", kind="lunch").json()["errors"]
    assert "kind" in _post(client, unit, key=str(uuid.uuid4()), card="A", kind="supper").json()["errors"]
    assert "day" in _post(client, unit, key=str(uuid.uuid4()), card="A", kind="lunch", day="nope").json()["errors"]
    unknown = _post(client, unit, key=str(uuid.uuid4()), card="ZZ-1", kind="lunch")
    assert (unknown.status_code, unknown.json()["code"]) == (409, "card_unknown")


def test_the_counter_finds_cards_by_name_with_what_it_needs_only(client, cook, approved_a, unit):
    client.force_login(cook)
    response = client.get(reverse("canteen:counter_find", args=[unit.pk]), {"q": approved_a.person.last_name})
    cards = response.json()["cards"]
    assert len(cards) == 1
    assert set(cards[0]) == {"card", "name", "lunch", "dinner", "served"}


def test_refusals_of_the_counter(client, caseworker_b, other_tenant_user, auditor, unit, approved_a):
    page = reverse("canteen:counter", args=[unit.pk])
    serve = reverse("canteen:counter_serve", args=[unit.pk])
    assert_login_required(client, page)
    assert_login_required(client, serve, method="post", data={})
    client.force_login(other_tenant_user)
    assert_refused(client, page, NOT_FOUND)
    client.force_login(caseworker_b)
    assert_refused(client, page, NOT_FOUND)
    client.force_login(auditor)  # sees the unit, serves nothing
    assert_refused(client, page, FORBIDDEN)
    assert_refused(client, serve, FORBIDDEN, method="post", data={})

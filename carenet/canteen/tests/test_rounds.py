"""Home-delivery rounds: the unit sets up a round in route order with its driver; the driver marks each person
delivered (a meal, carried home by the round) or absent (no meal), once per key, from a phone that may be
offline; who may see, plan and drive a round."""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from carenet.audit.models import AuditEvent
from carenet.canteen import selectors, services
from carenet.canteen.models import DeliveryAbsence, Meal, RoundStop
from carenet.core.roles import Role
from carenet.testing.factories import make_user
from carenet.testing.refusals import FORBIDDEN, NOT_FOUND, assert_login_required, assert_refused

from .conftest import home_delivery_decision, make_application


def _approve(manager, application, unit):
    today = timezone.localdate()
    return services.decision_approve(
        actor=manager,
        application=application,
        valid_from=today - datetime.timedelta(days=10),
        valid_to=today + datetime.timedelta(days=120),
        unit=unit,
    )


@pytest.fixture
def at_home_a(caseworker_a, manager_a, person_a, org_a, unit, case_a, inquiry_a):
    """person_a, a pensioner whose lunch and dinner are carried home."""
    application = make_application(
        caseworker_a,
        person_a,
        org_a,
        unit,
        case_a,
        is_pensioner=True,
        home_delivery=True,
        household_income=Decimal("400"),
    )
    return _approve(manager_a, application, unit)


_decision = home_delivery_decision


@pytest.fixture
def at_home_b(baia_mare, org_a, unit):
    return _decision(baia_mare, org_a, unit, "Ileana", "Bud", dinner=False)


@pytest.fixture
def unit_manager(canteen_org, baia_mare):
    return make_user("canteen-manager", baia_mare, canteen_org, Role.PROVIDER_MANAGER)


@pytest.fixture
def round_one(unit_manager, unit, cook, at_home_a, at_home_b):
    created = services.delivery_round_save(actor=unit_manager, unit=unit, name="Săsar", driver=cook)
    services.round_stop_add(actor=unit_manager, delivery_round=created, decision=at_home_b)
    services.round_stop_add(actor=unit_manager, delivery_round=created, decision=at_home_a, note="etaj 3")
    return created


def _mark(client, delivery_round, stop, outcome, key=None, kind="lunch", **extra):
    payload = {"key": key or str(uuid.uuid4()), "stop": str(stop.pk), "outcome": outcome, "kind": kind, **extra}
    return client.post(
        reverse("canteen:round_mark", args=[delivery_round.pk]), json.dumps(payload), content_type="application/json"
    )


def _stop(decision):
    return RoundStop.objects.for_tenant(decision.municipality_id).get(decision=decision)


def test_the_sheet_lists_the_round_in_route_order_and_a_move_reorders_it(round_one, unit_manager, at_home_a, at_home_b):
    today = timezone.localdate()
    names = [r.name for r in selectors.round_sheet(delivery_round=round_one, on=today, kind="lunch")]
    assert names == ["Bud Ileana", f"{at_home_a.person.last_name} {at_home_a.person.first_name}"]
    services.round_stop_move(actor=unit_manager, stop=_stop(at_home_a), step=-1)
    rows = selectors.round_sheet(delivery_round=round_one, on=today, kind="lunch")
    assert rows[0].name.startswith(at_home_a.person.last_name)
    assert [r.position for r in rows] == [1, 2]
    assert rows[0].note == "etaj 3"


def test_the_dinner_sheet_leaves_out_whoever_has_no_dinner_granted(round_one, at_home_a):
    rows = selectors.round_sheet(delivery_round=round_one, on=timezone.localdate(), kind="dinner")
    assert [r.stop_id for r in rows] == [_stop(at_home_a).pk]


def test_a_person_whose_decision_is_not_in_force_that_day_is_not_on_the_sheet(round_one, at_home_a, at_home_b):
    later = max(at_home_a.valid_to, at_home_b.valid_to) + datetime.timedelta(days=1)
    assert selectors.round_sheet(delivery_round=round_one, on=later, kind="lunch") == []


def test_delivered_records_one_meal_carried_home_by_the_round_and_a_resend_adds_nothing(
    client, cook, round_one, at_home_a
):
    client.force_login(cook)
    key = str(uuid.uuid4())
    first = _mark(client, round_one, _stop(at_home_a), "delivered", key=key)
    assert first.status_code == 201, first.content
    assert first.json()["outcome"] == "delivered"
    again = _mark(client, round_one, _stop(at_home_a), "delivered", key=key)
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")
    meal = Meal.objects.for_tenant(round_one.municipality_id).get()
    assert (meal.delivery_round_id, meal.home_delivery, meal.kind) == (round_one.pk, True, "lunch")
    assert AuditEvent.objects.filter(action="canteen.meal.deliver").count() == 1
    month = timezone.localdate().replace(day=1)
    assert selectors.monthly_statement(unit=round_one.unit, month=month).meals == 1


def test_a_second_delivery_of_the_same_meal_is_refused_with_the_reason(client, cook, round_one, at_home_a):
    client.force_login(cook)
    _mark(client, round_one, _stop(at_home_a), "delivered")
    second = _mark(client, round_one, _stop(at_home_a), "delivered")
    assert (second.status_code, second.json()["code"]) == (409, "already_served")
    late_absence = _mark(client, round_one, _stop(at_home_a), "absent")
    assert (late_absence.status_code, late_absence.json()["code"]) == (409, "already_served")
    assert Meal.objects.for_tenant(round_one.municipality_id).count() == 1
    assert not DeliveryAbsence.objects.for_tenant(round_one.municipality_id).exists()


def test_absent_records_no_meal_and_the_driver_may_still_deliver_on_a_second_pass(client, cook, round_one, at_home_a):
    client.force_login(cook)
    key = str(uuid.uuid4())
    assert _mark(client, round_one, _stop(at_home_a), "absent", key=key).status_code == 201
    assert _mark(client, round_one, _stop(at_home_a), "absent", key=key).status_code == 200
    today = timezone.localdate()
    rows = {r.stop_id: r.status for r in selectors.round_sheet(delivery_round=round_one, on=today, kind="lunch")}
    assert rows[_stop(at_home_a).pk] == "absent"
    assert not Meal.objects.for_tenant(round_one.municipality_id).exists()
    assert _mark(client, round_one, _stop(at_home_a), "delivered").status_code == 201
    rows = {r.stop_id: r.status for r in selectors.round_sheet(delivery_round=round_one, on=today, kind="lunch")}
    assert rows[_stop(at_home_a).pk] == "delivered"


def test_a_meal_the_decision_does_not_grant_is_refused(client, cook, round_one, at_home_b):
    client.force_login(cook)
    response = _mark(client, round_one, _stop(at_home_b), "delivered", kind="dinner")
    assert (response.status_code, response.json()["code"]) == (409, "meal_not_granted")


def test_bad_input_is_400_naming_the_field_and_an_unknown_stop_is_refused(client, cook, round_one, at_home_a):
    client.force_login(cook)
    url = reverse("canteen:round_mark", args=[round_one.pk])
    assert client.post(url, "[", content_type="application/json").status_code == 400
    stop = _stop(at_home_a)
    assert "key" in _mark(client, round_one, stop, "delivered", key="x").json()["errors"]
    assert "outcome" in _mark(client, round_one, stop, "eaten").json()["errors"]
    assert "kind" in _mark(client, round_one, stop, "delivered", kind="supper").json()["errors"]
    assert "day" in _mark(client, round_one, stop, "delivered", day="nope").json()["errors"]
    old = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert "day" in _mark(client, round_one, stop, "delivered", day=old).json()["errors"]
    payload = {"key": str(uuid.uuid4()), "stop": "not-a-stop", "outcome": "delivered", "kind": "lunch"}
    unknown = client.post(url, json.dumps(payload), content_type="application/json")
    assert (unknown.status_code, unknown.json()["code"]) == (409, "not_on_round")
    assert not Meal.objects.for_tenant(round_one.municipality_id).exists()


def test_a_stop_of_another_round_is_not_on_this_round(client, cook, unit_manager, unit, round_one, at_home_a):
    other = services.delivery_round_save(actor=unit_manager, unit=unit, name="Ferneziu")
    client.force_login(cook)
    response = _mark(client, other, _stop(at_home_a), "delivered")
    assert (response.status_code, response.json()["code"]) == (409, "not_on_round")


def test_only_a_decision_of_the_unit_delivered_at_home_goes_on_a_round_and_only_once(
    unit_manager, unit, round_one, approved_a, at_home_a
):
    with pytest.raises(ValidationError) as refused:
        services.round_stop_add(actor=unit_manager, delivery_round=round_one, decision=at_home_a)
    assert "decision" in refused.value.message_dict


def test_a_counter_decision_cannot_go_on_a_round(unit_manager, unit, baia_mare, org_a):
    at_counter = _decision(baia_mare, org_a, unit, "Vasile", "Pop", home_delivery=False)
    delivery_round = services.delivery_round_save(actor=unit_manager, unit=unit, name="Centru")
    with pytest.raises(ValidationError) as refused:
        services.round_stop_add(actor=unit_manager, delivery_round=delivery_round, decision=at_counter)
    assert "decision" in refused.value.message_dict


def test_the_driver_is_one_of_the_units_or_the_offices_staff(unit_manager, unit, caseworker_b):
    with pytest.raises(ValidationError) as refused:
        services.delivery_round_save(actor=unit_manager, unit=unit, name="Vest", driver=caseworker_b)
    assert "driver" in refused.value.message_dict
    with pytest.raises(ValidationError) as unnamed:
        services.delivery_round_save(actor=unit_manager, unit=unit, name="  ")
    assert "name" in unnamed.value.message_dict


def test_the_round_pages_show_and_record_the_read_of_the_persons(client, unit_manager, round_one, at_home_a):
    client.force_login(unit_manager)
    page = client.get(reverse("canteen:round", args=[round_one.pk]))
    assert page.status_code == 200
    assert at_home_a.person.last_name in page.content.decode()
    sheet = client.get(reverse("canteen:round_sheet", args=[round_one.pk]), {"kind": "lunch"})
    assert sheet.status_code == 200
    assert "etaj 3" in sheet.content.decode()
    reads = AuditEvent.objects.filter(action="person.list_view", actor=unit_manager)
    assert set(reads.values_list("object_type", flat=True)) == {"canteen.round", "canteen.round_sheet"}


def test_a_planner_creates_a_round_from_the_page_and_adds_a_person(client, unit_manager, unit, cook, at_home_a):
    client.force_login(unit_manager)
    response = client.post(reverse("canteen:rounds", args=[unit.pk]), {"name": "Valea Borcutului", "driver": cook.pk})
    assert response.status_code == 302
    delivery_round = selectors.delivery_rounds(unit=unit).get()
    assert delivery_round.driver == cook
    client.post(reverse("canteen:round_stop_add", args=[delivery_round.pk]), {"decision": at_home_a.pk})
    assert _stop(at_home_a).delivery_round_id == delivery_round.pk
    bad = client.post(reverse("canteen:rounds", args=[unit.pk]), {"name": "", "driver": ""})
    assert bad.status_code == 400


def test_the_printed_sheet_is_a_pdf_and_its_export_is_audited(client, cook, round_one):
    client.force_login(cook)
    response = client.get(reverse("canteen:round_sheet_pdf", args=[round_one.pk]), {"kind": "lunch"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_type="canteen.round_sheet.pdf").exists()


def test_a_lower_role_plans_nothing_and_an_auditor_delivers_nothing(cook, auditor, round_one, at_home_a):
    with pytest.raises(PermissionDenied):
        services.round_stop_move(actor=cook, stop=_stop(at_home_a), step=1)
    with pytest.raises(PermissionDenied):
        services.delivery_record(
            actor=auditor,
            delivery_round=round_one,
            key=uuid.uuid4(),
            stop_id=_stop(at_home_a).pk,
            outcome="absent",
            kind="lunch",
        )


def test_refusals_of_the_rounds(client, cook, caseworker_b, other_tenant_user, auditor, unit, round_one, at_home_a):
    rounds_page = reverse("canteen:rounds", args=[unit.pk])
    plan = reverse("canteen:round", args=[round_one.pk])
    sheet = reverse("canteen:round_sheet", args=[round_one.pk])
    mark = reverse("canteen:round_mark", args=[round_one.pk])
    move = reverse("canteen:round_stop_move", args=[_stop(at_home_a).pk])
    for url in (rounds_page, plan, sheet):
        assert_login_required(client, url)
    assert_login_required(client, mark, method="post", data={})
    client.force_login(other_tenant_user)  # the other municipality
    for url in (rounds_page, plan, sheet):
        assert_refused(client, url, NOT_FOUND)
    client.force_login(caseworker_b)  # another provider
    for url in (rounds_page, plan, sheet):
        assert_refused(client, url, NOT_FOUND)
    assert_refused(client, mark, NOT_FOUND, method="post", data={})
    client.force_login(cook)  # the unit's caseworker drives, does not plan
    assert_refused(client, move, FORBIDDEN, method="post", data={"direction": "up"})
    assert_refused(client, rounds_page, FORBIDDEN, method="post", data={"name": "X"})
    client.force_login(auditor)  # sees the round, delivers nothing
    assert client.get(plan).status_code == 200
    assert_refused(client, sheet, FORBIDDEN)
    assert_refused(client, mark, FORBIDDEN, method="post", data={})

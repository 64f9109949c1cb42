"""The network registers' pages (decision 0025): the staff register of an organisation is invisible to other
organisations and to caseworkers; the other registers are read by every staff member and recorded by a
manager or data officer of the organisation or the coordinator. Each refusal has its one status code."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from carenet.activities import services
from carenet.activities.models import MediaItem, Recommendation, StaffMember, SubPlan
from carenet.audit.models import AuditEvent
from carenet.testing.refusals import FORBIDDEN, LOGIN_REDIRECT, NOT_FOUND, assert_refused

REGISTERS = ["staff", "agreements", "media", "recommendations", "accessibility", "subplans"]
DAY = datetime.date(2025, 5, 1)


@pytest.fixture
def member_a(manager_a: Any, org_a: Any) -> StaffMember:
    return services.staff_member_create(
        actor=manager_a,
        organisation=org_a,
        full_name="Ana Pop",
        profession="social_assistant",
        employed_from=datetime.date(2020, 1, 1),
    )


@pytest.fixture
def member_b(manager_b: Any, org_b: Any) -> StaffMember:
    return services.staff_member_create(
        actor=manager_b,
        organisation=org_b,
        full_name="Ioan Rus",
        profession="psychologist",
        employed_from=datetime.date(2021, 1, 1),
    )


def test_a_manager_sees_only_their_organisations_staff(
    client: Any, manager_a: Any, member_a: Any, member_b: Any
) -> None:
    client.force_login(manager_a)
    page = client.get(reverse("activities:register", args=["staff"]))
    assert page.status_code == 200
    assert "Ana Pop" in page.text and "Ioan Rus" not in page.text
    assert client.get(reverse("activities:staff_detail", args=[member_a.pk])).status_code == 200


def test_another_organisations_staff_member_is_404(client: Any, manager_a: Any, member_b: Any) -> None:
    client.force_login(manager_a)
    assert_refused(client, reverse("activities:staff_detail", args=[member_b.pk]), NOT_FOUND)


def test_the_other_municipality_is_404_on_a_staff_member(client: Any, other_tenant_user: Any, member_a: Any) -> None:
    client.force_login(other_tenant_user)
    assert_refused(client, reverse("activities:staff_detail", args=[member_a.pk]), NOT_FOUND)
    page = client.get(reverse("activities:register", args=["staff"]))
    assert page.status_code == 200 and "Ana Pop" not in page.text


def test_a_caseworker_sees_no_staff_register(client: Any, caseworker_a: Any, member_a: Any) -> None:
    client.force_login(caseworker_a)
    assert_refused(client, reverse("activities:register", args=["staff"]), FORBIDDEN)
    assert_refused(client, reverse("activities:staff_detail", args=[member_a.pk]), NOT_FOUND)


@pytest.mark.parametrize("register", REGISTERS)
def test_anonymous_goes_to_the_login(client: Any, register: str, baia_mare: Any) -> None:
    assert_refused(client, reverse("activities:register", args=[register]), LOGIN_REDIRECT)
    assert_refused(client, reverse("activities:register_create", args=[register]), LOGIN_REDIRECT)


@pytest.mark.parametrize("register", ["media", "recommendations", "accessibility", "subplans"])
def test_a_caseworker_reads_but_does_not_record(client: Any, caseworker_a: Any, register: str) -> None:
    client.force_login(caseworker_a)
    assert client.get(reverse("activities:register", args=[register])).status_code == 200
    assert_refused(client, reverse("activities:register_create", args=[register]), FORBIDDEN)


def test_an_auditor_records_nothing(client: Any, auditor: Any) -> None:
    client.force_login(auditor)
    for register in REGISTERS:
        assert_refused(client, reverse("activities:register_create", args=[register]), FORBIDDEN)


def test_an_unknown_register_is_404(client: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    assert_refused(client, reverse("activities:register", args=["nonsense"]), NOT_FOUND)


def test_a_manager_records_a_media_item_for_their_organisation_only(
    client: Any, manager_a: Any, org_a: Any, org_b: Any
) -> None:
    client.force_login(manager_a)
    url = reverse("activities:register_create", args=["media"])
    data = {"organisation": org_b.pk, "kind": "article", "title": "Articol", "published_on": "2025-05-01"}
    assert client.post(url, data).status_code == 400  # org B is not a choice of hers
    assert not MediaItem.objects.for_tenant(org_a.municipality_id).exists()
    response = client.post(url, {**data, "organisation": org_a.pk, "outlet": "Presa locală"})
    assert response.status_code == 302
    item = MediaItem.objects.for_tenant(org_a.municipality_id).get()
    assert (item.organisation_id, item.outlet) == (org_a.pk, "Presa locală")
    assert AuditEvent.objects.filter(action="media.create").count() == 1


def test_bad_input_names_the_field_and_saves_nothing(client: Any, coordinator: Any, org_a: Any) -> None:
    client.force_login(coordinator)
    url = reverse("activities:register_create", args=["subplans"])
    response = client.post(url, {"organisation": org_a.pk, "kind": "library", "title": "", "year": "1800"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {"title", "year"}
    assert not SubPlan.objects.for_tenant(org_a.municipality_id).exists()
    ok = client.post(
        url,
        {
            "organisation": org_a.pk,
            "kind": "library",
            "title": "Planul bibliotecii",
            "year": "2025",
            "indicators": "A\nB",
        },
    )
    assert ok.status_code == 302
    plan = SubPlan.objects.for_tenant(org_a.municipality_id).get()
    assert plan.indicators.count() == 2


def test_a_recommendation_is_implemented_with_its_date(coordinator: Any, org_a: Any) -> None:
    from django.core.exceptions import ValidationError

    rec = services.recommendation_create(
        actor=coordinator, organisation=org_a, source="platform", text="Rampă de acces", formulated_on=DAY
    )
    with pytest.raises(ValidationError) as exc:
        services.recommendation_status_set(actor=coordinator, recommendation=rec, status="implemented")
    assert "implemented_on" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.recommendation_status_set(
            actor=coordinator, recommendation=rec, status="implemented", implemented_on=DAY - datetime.timedelta(days=1)
        )
    services.recommendation_status_set(
        actor=coordinator, recommendation=rec, status="implemented", implemented_on=DAY + datetime.timedelta(days=30)
    )
    assert Recommendation.objects.for_tenant(org_a.municipality_id).get().status == "implemented"


def test_the_other_municipality_records_nothing_here(other_tenant_user: Any, org_a: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.media_item_create(
            actor=other_tenant_user, organisation=org_a, kind="article", title="x", published_on=DAY
        )
    with pytest.raises(PermissionDenied):
        services.staff_member_create(
            actor=other_tenant_user,
            organisation=org_a,
            full_name="x",
            profession="carer",
            employed_from=DAY,
        )
    with pytest.raises(PermissionDenied):
        services.sub_plan_create(actor=other_tenant_user, organisation=org_a, kind="library", title="x", year=2025)


def test_activity_list_is_paginated(client: Any, coordinator: Any, org_a: Any, bm_kinds: dict[str, Any]) -> None:
    from carenet.activities.models import Activity

    Activity.objects.bulk_create(
        [
            Activity(
                municipality_id=org_a.municipality_id,
                kind=bm_kinds["event"],
                title=f"Eveniment {n}",
                starts_on=DAY,
                organiser=org_a,
            )
            for n in range(60)
        ]
    )
    client.force_login(coordinator)
    first = client.get(reverse("activities:list"))
    assert len(first.context["activities"]) == 50
    second = client.get(reverse("activities:list"), {"page": 2})
    assert len(second.context["activities"]) == 10

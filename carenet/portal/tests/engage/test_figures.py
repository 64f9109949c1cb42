"""One figure, one selector (docs/architecture.md §5): the staff pages of the portal and the KPIs show the
same response time (``help_response_hours``) and the same satisfaction (``satisfaction``)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from carenet.dashboards.kpis import KpiFilters, evaluate, get_kpi
from carenet.portal import services
from carenet.portal.models import HelpRequest


def _this_year(municipality, **extra):
    today = timezone.localdate()
    return KpiFilters(municipality=municipality, start=dt.date(today.year, 1, 1), end=today, **extra)


@pytest.fixture
def answered_requests(baia_mare, routing):
    """Three requests to provider A, contacted after 2 h, 10 h 7.5 min and 30 h: the median is 10.125 h."""
    for minutes in (120, 607.5, 1800):
        item = services.help_request_submit(
            municipality=baia_mare,
            help_for="self",
            need="child",
            contact_name="A",
            contact_method="visit",
            consent=True,
            area_text="x",
        )
        HelpRequest.objects.for_tenant(baia_mare).filter(pk=item.pk).update(
            first_contact_at=item.created_at + dt.timedelta(minutes=minutes)
        )


@pytest.mark.parametrize("user", ["coordinator", "caseworker_a"])
def test_the_triage_queue_and_kpi_bm03_show_the_same_response_time(
    client, request, baia_mare, org_a, answered_requests, user
):
    client.force_login(request.getfixturevalue(user))
    page = client.get("/portal/help/", HTTP_ACCEPT_LANGUAGE="en")
    scope = None if user == "coordinator" else frozenset({org_a.pk})
    kpi = evaluate(get_kpi("bm03"), _this_year(baia_mare, organisation_ids=scope))
    assert page.context["kpi"].median_hours == kpi.value == Decimal("10.13")  # 10.125, halves rounded up
    assert "10.13" in page.content.decode()


def test_the_feedback_page_and_kpi_bm02_show_the_same_satisfaction(
    client, baia_mare, coordinator, caseworker_a, caseworker_b, org_a, service_a, service_b
):
    for rating, worker, service in (
        (5, caseworker_a, service_a),
        (4, caseworker_a, service_a),
        (2, caseworker_a, service_a),
        (1, caseworker_b, service_b),
    ):
        invite = services.feedback_invite_create(actor=worker, service=service)
        services.feedback_submit(invite=invite, rating=rating, went_well=[], went_badly=[])
    client.force_login(coordinator)
    page = client.get("/portal/engage/feedback/", HTTP_ACCEPT_LANGUAGE="en")
    provider_a = next(row for row in page.context["by_provider"] if row.key == org_a.pk)
    kpi = evaluate(get_kpi("bm02"), _this_year(baia_mare, organisation_ids=frozenset({org_a.pk})))
    assert provider_a.satisfied_percent == kpi.value == Decimal("66.67")
    assert "66.67" in page.content.decode()
    # the whole network: 2 satisfied of 4
    assert evaluate(get_kpi("bm02"), _this_year(baia_mare)).value == Decimal("50.00")


def test_without_feedback_kpi_bm02_says_why_it_has_no_value(baia_mare):
    result = evaluate(get_kpi("bm02"), _this_year(baia_mare))
    assert result.value is None and result.note

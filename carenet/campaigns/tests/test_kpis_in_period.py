"""The campaigns' KPIs over a period feed the dashboards and the plans (issue 20): one figure, one selector —
the KPI page, the KPI export and a plan's computed indicator read the same numbers."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from carenet.campaigns import selectors, services
from carenet.campaigns.models import Contact
from carenet.dashboards.kpis import KpiFilters, evaluate, get_kpi

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(campaign, caseworker_a, coordinator):
    """Of the six persons: one reached within the target (fine), one reached late needing medicine; a cooling
    centre with 10 visits, 3 of them by persons of the register."""
    mine = list(
        Contact.objects.for_tenant(campaign.municipality_id)
        .filter(campaign=campaign, call_list__assignee=caseworker_a)
        .select_related("call_list")
    )
    early = campaign.starts_at + datetime.timedelta(hours=2)
    late = campaign.starts_at + datetime.timedelta(hours=30)
    for contact, mode, outcome, at in ((mine[0], "phone", "fine", early), (mine[1], "visit", "medicine", late)):
        services.checkin_record(
            actor=caseworker_a,
            call_list=contact.call_list,
            key=uuid.uuid4(),
            contact_id=contact.pk,
            mode=mode,
            outcome=outcome,
            at=at.isoformat(),
            now=at,
        )
    centre = services.centre_save(actor=coordinator, municipality=campaign.municipality_id, kind="cooling", name="C")
    services.centre_visits_record(
        actor=coordinator, centre=centre, day=TODAY, visitors=10, beneficiaries=3, campaign=campaign
    )
    return campaign


def _year(municipality, today=None):
    today = today or timezone.localdate()
    return KpiFilters(
        municipality=municipality, start=today.replace(month=1, day=1), end=today.replace(month=12, day=31)
    )


def test_the_period_sums_the_campaigns_that_started_in_it(worked, baia_mare):
    today = timezone.localdate()
    figures = selectors.campaign_figures_in_period(
        municipality=baia_mare, first=today - datetime.timedelta(days=1), last=today
    )
    assert (figures.campaigns, figures.contacts, figures.reached_within_target) == (1, 6, 1)
    assert (figures.reached, figures.needing_help, figures.register_visits, figures.centre_visits) == (2, 1, 3, 10)
    before = selectors.campaign_figures_in_period(
        municipality=baia_mare, first=today - datetime.timedelta(days=30), last=today - datetime.timedelta(days=2)
    )
    assert before.campaigns == 0


def test_the_kpis_read_the_period_figures(worked, baia_mare):
    f = _year(baia_mare)
    assert evaluate(get_kpi("heat01"), f).value == Decimal("16.67")  # 1 of 6
    assert evaluate(get_kpi("heat02"), f).value == 50  # 1 of the 2 reached
    assert evaluate(get_kpi("heat03"), f).value == 3


def test_a_period_without_a_campaign_says_so_instead_of_zero(baia_mare):
    result = evaluate(get_kpi("heat01"), _year(baia_mare))
    assert result.value is None and "No heat-wave or cold-night campaign" in result.note


def test_a_plan_indicator_computed_from_the_campaigns_equals_the_kpi(worked, baia_mare):
    from types import SimpleNamespace

    from carenet.plans.computations import REGISTRY

    today = timezone.localdate()
    indicator = SimpleNamespace(municipality_id=baia_mare.pk, computation_filters={})
    period = SimpleNamespace(start_date=today.replace(month=1, day=1), end_date=today.replace(month=12, day=31))
    assert REGISTRY["campaigns.contacted_within_target"].fn(indicator, period) == {"": Decimal("16.67")}
    assert REGISTRY["campaigns.needing_help"].fn(indicator, period)[""] == 50
    assert REGISTRY["campaigns.centre_visits"].fn(indicator, period) == {"": 3}


def test_the_kpi_page_shows_the_campaigns_section(client, worked, coordinator):
    client.force_login(coordinator)
    page = client.get("/dashboards/network/kpis/").content.decode()
    assert "Heat waves and cold nights" in page
    assert "At-risk persons contacted within the target time" in page


def test_the_other_municipality_sees_none_of_these_campaigns(worked, balti):
    assert (
        selectors.campaign_figures_in_period(
            municipality=balti, first=TODAY.replace(month=1, day=1), last=timezone.localdate()
        ).campaigns
        == 0
    )

from decimal import Decimal as D

import pytest
from django.urls import reverse

from carenet.plans import services
from carenet.plans.models import ReportingPeriod, Submission
from carenet.plans.services import ValueInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(balti_plan, balti, cultura_officer):
    period = ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code="2025")
    services.submissions_open(period=period)
    form = Submission.objects.for_tenant(balti).get(period=period, organisation__code="dir-cultura")
    library = balti_plan.indicators.get(code="1.1.2.3")
    services.submission_save(
        actor=cultura_officer,
        submission=form,
        values=[
            ValueInput(
                library.pk, value=D(12), cells={"sex=f|age=7-15|disability=no": D(9), "sex=m|age=7-15|disability=yes": D(3)}
            )
        ],
    )
    return balti_plan


def test_public_page_shows_progress_per_objective_without_sign_in(client, reported):
    resp = client.get(reverse("transparency:plan", args=["balti", reported.code]))
    assert resp.status_code == 200
    assert "PLAN de ACȚIUNI" in resp.content.decode()


def test_open_data_suppresses_cells_under_five_persons(client, reported):
    data = client.get(reverse("transparency:json", args=["balti", reported.code])).json()
    values = {(v["indicator"], v["breakdown"]): v["value"] for v in data["values"]}
    assert values[("1.1.2.3", "total")] == 12
    assert values[("1.1.2.3", "sex=f|age=7-15|disability=no")] == 9
    assert values[("1.1.2.3", "sex=m|age=7-15|disability=yes")] == "<5"
    assert len(data["objectives"]) == 6
    csv_text = client.get(reverse("transparency:csv", args=["balti", reported.code])).content.decode()
    assert "<5" in csv_text and "b_cultura" not in csv_text


def test_a_plan_of_another_municipality_is_not_found_under_this_slug(client, reported, bm_plan):
    assert client.get(reverse("transparency:plan", args=["baia-mare", reported.code])).status_code == 404
    assert client.get(reverse("transparency:plan", args=["nowhere", reported.code])).status_code == 404
    assert client.get(reverse("transparency:plans", args=["baia-mare"])).status_code == 200

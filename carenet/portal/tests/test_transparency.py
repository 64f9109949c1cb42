import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
    response = client.get(reverse("transparency:csv", args=["balti", reported.code]))
    csv_text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "<5" in csv_text and "b_cultura" not in csv_text


def test_a_plan_of_another_municipality_is_not_found_under_this_slug(client, reported, bm_plan):
    assert client.get(reverse("transparency:plan", args=["baia-mare", reported.code])).status_code == 404
    assert client.get(reverse("transparency:plan", args=["nowhere", reported.code])).status_code == 404
    assert client.get(reverse("transparency:plans", args=["baia-mare"])).status_code == 200


def test_public_plan_page_has_a_bounded_number_of_queries(client, reported, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(reverse("transparency:plan", args=["balti", reported.code])).status_code == 200


def test_the_open_data_csv_writes_a_cmd_indicator_code_escaped(client, reported, balti):
    from carenet.plans.models import Indicator

    Indicator.objects.for_tenant(balti).filter(plan=reported, code="1.1.2.3").update(code="=cmd|' /C calc'!A0")
    response = client.get(reverse("transparency:csv", args=["balti", reported.code]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "\n'=cmd|' /C calc'!A0," in text
    assert "\n=cmd" not in text


def test_the_open_data_csv_is_public_and_unaudited(client, reported):
    from carenet.audit.models import AuditEvent

    before = AuditEvent.objects.filter(action="export").count()
    response = client.get(reverse("transparency:csv", args=["balti", reported.code]))
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=300"
    b"".join(response.streaming_content)
    assert AuditEvent.objects.filter(action="export").count() == before

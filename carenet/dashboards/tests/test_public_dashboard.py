"""The public (council) dashboard of a municipality: aggregates only, every cell under 5 persons suppressed.

The page is the portal's; its figures and its download come from the dashboards (``public_dashboard``).
"""

import datetime as dt

from django.urls import reverse


def public(slug="baia-mare", **params):
    return reverse("public_dashboard:dashboard", kwargs={"municipality_slug": slug}), params


def test_the_public_dashboard_suppresses_every_cell_under_five(client, network):
    path, _p = public()
    response = client.get(path, {"year": 2025})
    assert response.status_code == 200
    board = response.context["board"]
    assert board.persons is None  # 4 persons in all: even the total is hidden
    for chart in board.charts:
        assert all(r.value is None or r.value == 0 or r.value >= 5 for r in chart.rows), chart.key


def test_trying_to_cut_a_small_group_out_of_the_public_dashboard_fails(client, network, baia_mare, org_a):
    from carenet.cases.models import ServiceDelivery
    from carenet.people.models import Person

    # Add 6 more men in Centru so totals are publishable, then try to single out the 2 women of the data set.
    s1 = network["services"][0]
    for i in range(6):
        p = Person.objects.create(
            municipality=baia_mare, first_name=f"X{i}", last_name="Y", sex="M", area=network["areas"]["centru"]
        )
        ServiceDelivery.objects.create(
            municipality=baia_mare, person=p, service=s1, organisation=org_a, delivered_on=dt.date(2025, 9, 1)
        )
    path, _p = public()
    # Finer filters are not accepted on the public page: they are ignored, not applied.
    response = client.get(
        path, {"year": 2025, "sex": "F", "area": str(network["areas"]["craica"].pk), "disability": "yes"}
    )
    board = response.context["board"]
    assert board.persons == 10
    sex = {r.key: r.value for r in board.chart("sex").rows}
    assert sex["F"] is None  # 2 women: hidden
    # …and the next smallest cell is hidden too, so 10 − men does not give the women back.
    assert list(sex.values()).count(None) >= 2
    csv = client.get(
        reverse("public_dashboard:csv", kwargs={"municipality_slug": "baia-mare", "key": "sex"}), {"year": 2025}
    )
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert ",2\r\n" not in text and ",2\n" not in text
    for chart in board.charts:
        hidden = [r for r in chart.rows if r.value is None]
        assert len(hidden) != 1, chart.key
        assert all(r.value is None or r.value == 0 or r.value >= 5 for r in chart.rows)


def test_the_public_dashboard_of_an_unknown_municipality_is_404(client, network):
    assert client.get("/nowhere/dashboard/").status_code == 404


def test_the_public_dashboard_has_no_provider_breakdown(client, network):
    path, _p = public()
    assert client.get(path, {"year": 2025}).context["board"].chart("provider") is None


def test_the_balti_public_dashboard_holds_no_baia_mare_figures(client, network, balti):
    response = client.get(reverse("public_dashboard:dashboard", kwargs={"municipality_slug": "balti"}), {"year": 2025})
    assert response.status_code == 200
    assert all(r.value in (0, None) for c in response.context["board"].charts for r in c.rows)

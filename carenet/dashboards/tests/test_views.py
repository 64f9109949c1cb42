"""Dashboards per role, exports, isolation between tenants and providers, bounded queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from carenet.audit.models import AuditEvent

Q = "?start=2025-01-01&end=2025-12-31"


def body(response):
    """The text of a streamed download (CSV with its byte-order mark)."""
    return b"".join(response.streaming_content).decode("utf-8-sig")


def url(name, **kw):
    return reverse(f"dashboards:{name}", kwargs=kw)


def test_the_coordinator_sees_the_whole_network(client, coordinator, network):
    client.force_login(coordinator)
    response = client.get(url("dashboard", scope="network") + Q)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.persons == 4 and board.deliveries == 7
    assert {r.label: r.value for r in board.chart("provider").rows} == {
        "Serviciul social «Copil, Familie»": 2,
        "Fundația Tu și Cu Mine": 2,
    }
    assert [(r.key, r.value) for r in board.chart("trend").rows][:2] == [("2025-02", 1), ("2025-03", 2)]


def test_home_sends_each_role_to_its_dashboard(client, coordinator, manager_a, network):
    client.force_login(coordinator)
    assert client.get(url("home")).url == url("dashboard", scope="network")
    client.force_login(manager_a)
    assert client.get(url("home")).url == url("dashboard", scope="provider")


def test_a_provider_manager_sees_only_their_organisation(client, manager_a, org_b, network):
    client.force_login(manager_a)
    response = client.get(url("dashboard", scope="provider") + Q)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.persons == 2  # P1, P3 of org_a; P2, P4 (org_b) are not counted
    assert [r.label for r in board.chart("provider").rows] == ["Serviciul social «Copil, Familie»"]
    # Asking for another provider by URL is refused by the form, and the figures stay the manager's own.
    response = client.get(url("dashboard", scope="provider") + Q + f"&organisation={org_b.pk}")
    assert response.context["form"].errors and response.context["board"].persons == 2
    assert client.get(url("dashboard", scope="network")).status_code == 403


def test_a_caseworker_has_no_dashboard(client, caseworker_a, network):
    client.force_login(caseworker_a)
    for u in (url("home"), url("dashboard", scope="network"), url("dashboard", scope="provider"), url("trends")):
        assert client.get(u).status_code == 403


def test_a_user_of_another_municipality_never_sees_baia_mare_figures(client, other_tenant_user, network):
    client.force_login(other_tenant_user)
    response = client.get(url("dashboard", scope="network") + Q)
    assert response.status_code == 200 and response.context["board"].persons == 0
    area = network["areas"]["craica"]
    response = client.get(url("dashboard", scope="network") + Q + f"&area={area.pk}")
    assert "area" in response.context["form"].errors and response.context["board"].persons == 0
    csv = body(client.get(url("export", scope="network", key="area", fmt="csv") + Q))
    assert "Craica" not in csv
    geo = client.get(url("map_geojson", scope="network", kind="services", layer="services")).json()
    assert geo["features"] == []


def test_filters_in_the_url_narrow_every_chart(client, coordinator, network):
    client.force_login(coordinator)
    board = client.get(url("dashboard", scope="network") + Q + "&sex=F&age_band=64%2B").context["board"]
    assert board.persons == 1  # P1


def test_bad_filters_get_a_message_not_an_error(client, coordinator, network):
    client.force_login(coordinator)
    response = client.get(url("dashboard", scope="network") + "?start=2025-12-31&end=2025-01-01&sex=X&area=nope")
    assert response.status_code == 200
    assert {"end", "sex", "area"} <= set(response.context["form"].errors)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_chart_downloads_are_audited_exports(client, coordinator, network, fmt):
    client.force_login(coordinator)
    response = client.get(url("export", scope="network", key="sex", fmt=fmt) + Q)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="export", object_type=f"dashboard.network.sex.{fmt}").count() == 1
    if fmt == "csv":
        assert "Femei,2" in body(response)  # Romanian by default


def test_the_dashboard_costs_a_bounded_number_of_queries(
    client, coordinator, network, django_assert_max_num_queries, settings
):
    settings.CARENET_DASHBOARD_CACHE_SECONDS = 0  # the cold path: every figure computed
    client.force_login(coordinator)
    client.get(url("dashboard", scope="network") + Q)
    with django_assert_max_num_queries(16):
        assert client.get(url("dashboard", scope="network") + Q).status_code == 200


def test_the_cached_dashboard_skips_the_delivery_scans_and_expires(
    client, coordinator, network, django_assert_max_num_queries, baia_mare, org_a, settings
):
    from django.core.cache import cache

    from carenet.cases.models import ServiceDelivery

    client.force_login(coordinator)
    assert client.get(url("dashboard", scope="network") + Q).context["board"].deliveries == 7
    with django_assert_max_num_queries(12):  # 16 when computed (incl. the nav's unread-notifications badge)
        client.get(url("dashboard", scope="network") + Q)
    p1, s1 = network["persons"][0], network["services"][0]
    ServiceDelivery.objects.create(
        municipality=baia_mare, person=p1, service=s1, organisation=org_a, delivered_on=dt.date(2025, 8, 1)
    )
    assert client.get(url("dashboard", scope="network") + Q).context["board"].deliveries == 7  # until it expires
    cache.clear()  # what the end of its lifetime does
    assert client.get(url("dashboard", scope="network") + Q).context["board"].deliveries == 8


def test_kpi_page_lists_all_indicators_with_values(client, coordinator, network, django_assert_max_num_queries):
    client.force_login(coordinator)
    # 23 KPIs over two periods; the three campaign KPIs read the period's campaigns (one query when none); KPIs
    # 7 and 8 read the courses and the register.
    with django_assert_max_num_queries(90):
        response = client.get(url("kpis", scope="network") + Q)
    assert response.status_code == 200
    values = {k.code: r.value for k, r, _prev in response.context["rows"]}
    assert values["bm01"] == 4 and len(values) == 21
    assert client.get(url("kpi_export", scope="network", fmt="xlsx") + Q).status_code == 200


def test_outside_value_form_saves_with_source_and_rejects_bad_input(client, coordinator, caseworker_a, network):
    client.force_login(coordinator)
    page = url("outside_value", key="bm09")
    bad = client.post(page, {"year": "2025", "value": "abc", "source": "", "source_date": "2025-01-01"})
    assert bad.status_code == 400 and {"value", "source"} <= set(bad.context["form"].errors)
    good = client.post(page, {"year": "2025", "value": "7", "source": "Calendar DAS", "source_date": "2025-12-31"})
    assert good.status_code == 302
    assert client.get(url("outside_value", key="nope")).status_code == 404
    client.force_login(caseworker_a)
    assert client.get(page).status_code == 403


@pytest.mark.parametrize("kind", ["services", "beneficiaries", "coverage", "critical"])
def test_every_map_has_a_table_and_a_geojson_download(client, coordinator, network, kind):
    client.force_login(coordinator)
    response = client.get(url("map", scope="network", kind=kind) + Q)
    assert response.status_code == 200
    assert b"<table" in response.content
    for layer in response.context["geojson_urls"]:
        data = client.get(url("map_geojson", scope="network", kind=kind, layer=layer) + Q).json()
        assert data["type"] == "FeatureCollection"


def test_maps_never_publish_a_cell_under_five(client, coordinator, network):
    client.force_login(coordinator)
    data = client.get(url("map_geojson", scope="network", kind="beneficiaries", layer="areas") + Q).json()
    craica = next(f for f in data["features"] if f["properties"]["name"] == "Craica")
    assert craica["properties"]["persons"] is None and craica["properties"]["suppressed"]


def test_coverage_counts_persons_beyond_the_distance(client, coordinator, network):
    client.force_login(coordinator)
    # P1, P2 at Craica's centre (a service there), P3 in Ferneziu ~9 km away, P4 in Centru ~1.8 km away
    # (distances are measured from the centre of each person's H3 cell, up to ~0.5 km off the area's centre).
    result = client.get(url("map", scope="network", kind="coverage") + Q + "&km=3").context["result"]
    assert (result.persons_total, result.persons_beyond) == (4, 1)
    result = client.get(url("map", scope="network", kind="coverage") + Q + "&km=20").context["result"]
    assert result.persons_beyond == 0


def test_population_page_flags_the_balti_inconsistencies(client, other_tenant_user, balti):
    from carenet.geo.population import population_load_balti_seed

    population_load_balti_seed(municipality=balti)
    client.force_login(other_tenant_user)
    response = client.get(url("population") + "?end=2025-12-31")
    assert response.status_code == 200
    messages = [f.message for f in response.context["flags"]]
    assert any("27682" in m and "27602" in m for m in messages)  # V01
    assert any("24387" in m and "25267" in m for m in messages)  # V02


def test_social_trends_show_year_over_year_change(client, other_tenant_user, balti):
    from carenet.dashboards import demo as dashboard_demo

    dashboard_demo.load()
    client.force_login(other_tenant_user)
    series = {s.category.key: s for s in client.get(url("trends")).context["series"]}
    dv = series["trend.domestic_violence_victims"].entered
    assert [(p.year, p.value) for p in dv] == [(2021, 178), (2024, 50)]
    assert dv[1].change == Decimal("-71.9")  # the text says 71 %
    assert series["trend.offences_by_minors"].entered[1].change == 120  # 15 → 33 (the text says 62.5 %)


def test_computed_trend_counts_persons_whose_inquiry_found_the_risk(client, coordinator, network):
    client.force_login(coordinator)
    series = {s.category.key: s for s in client.get(url("trends")).context["series"]}
    assert [(p.year, p.value) for p in series["trend.domestic_violence_victims"].computed] == [(2025, 1)]


STAFF_PAGES = [
    ("dashboard", {"scope": "network"}),
    ("kpis", {"scope": "network"}),
    ("map", {"scope": "network", "kind": "services"}),
    ("map", {"scope": "network", "kind": "beneficiaries"}),
    ("map", {"scope": "network", "kind": "coverage"}),
    ("map", {"scope": "network", "kind": "critical"}),
    ("population", {}),
    ("trends", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), STAFF_PAGES)
def test_no_staff_page_shows_another_municipality(
    client, other_tenant_user, network, baia_mare, coordinator, name, kwargs
):
    from carenet.dashboards.services import outside_value_set

    outside_value_set(
        municipality=baia_mare,
        key="trend.refugees",
        year=2025,
        value=Decimal(321),
        source="BM secret source",
        source_date=dt.date(2025, 2, 1),
        actor=coordinator,
    )
    client.force_login(other_tenant_user)
    response = client.get(url(name, **kwargs) + Q)
    assert response.status_code == 200
    # The page's own content: the site navigation names programmes ("Cantina socială") for every tenant.
    body = response.content.decode().split('<main id="main"', 1)[1]
    for baia_mare_only in ("Craica", "Ferneziu", "Cantina socială", "Fundația Tu și Cu Mine", "BM secret source"):
        assert baia_mare_only not in body, baia_mare_only


@pytest.mark.parametrize(("name", "kwargs"), STAFF_PAGES)
def test_a_caseworker_is_refused_every_staff_page(client, caseworker_a, network, name, kwargs):
    client.force_login(caseworker_a)
    assert client.get(url(name, **kwargs)).status_code == 403


@pytest.mark.parametrize("kind", ["services", "beneficiaries", "coverage", "critical"])
def test_a_provider_manager_maps_only_their_organisation(client, manager_b, network, kind):
    client.force_login(manager_b)
    response = client.get(url("map", scope="provider", kind=kind) + Q)
    assert response.status_code == 200
    main = response.content.decode().split('<main id="main"', 1)[1]  # the navigation names the canteen programme
    assert "Cantina socială" not in main  # org_a's service


def test_a_provider_manager_kpis_are_their_own(client, manager_b, network):
    client.force_login(manager_b)
    values = {k.code: r.value for k, r, _p in client.get(url("kpis", scope="provider") + Q).context["rows"]}
    assert values["bm01"] == 2  # P2, P4 of org_b


def test_the_dashboard_says_when_its_figures_were_computed(client, coordinator, network):
    client.force_login(coordinator)
    body = client.get(url("dashboard", scope="network") + Q, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "15 minute" in body


def test_the_scheduled_warm_up_fills_the_default_view(client, coordinator, network, django_assert_max_num_queries):
    from carenet.dashboards.tasks import warm_dashboards

    warm_dashboards.enqueue()  # tests run tasks at once
    client.force_login(coordinator)
    # 16 when computed: no scan of the delivery log, the figures are in the cache (+1: the nav badge)
    with django_assert_max_num_queries(12):
        response = client.get(url("dashboard", scope="network"))
    assert response.status_code == 200


def test_the_trends_page_shows_the_computed_series(client, coordinator, network):
    client.force_login(coordinator)
    body = client.get(url("trends")).content.decode()
    assert "Calculat din CareNet" in body or "Computed from CareNet" in body


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        *STAFF_PAGES,
        ("home", {}),
        ("export", {"scope": "network", "key": "sex", "fmt": "csv"}),
        ("kpi_export", {"scope": "network", "fmt": "xlsx"}),
        ("map_geojson", {"scope": "network", "kind": "services", "layer": "services"}),
        ("outside_value", {"key": "bm09"}),
    ],
)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, network, name, kwargs):
    response = client.get(url(name, **kwargs))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_provider_manager_is_refused_the_network_figures_and_the_outside_values(client, manager_a, network):
    client.force_login(manager_a)
    for page in (
        url("export", scope="network", key="sex", fmt="csv"),
        url("kpi_export", scope="network", fmt="csv"),
        url("outside_value", key="bm09"),
    ):
        assert client.get(page).status_code == 403, page


def test_each_municipality_kpi_page_shows_its_own_plan(client, other_tenant_user, balti_plan, bm_plan, bm_coordinator):
    """Bălți's page lists the indicators of Bălți's plan, never "the 20 indicators of the Baia Mare strategy"."""
    client.force_login(other_tenant_user)
    response = client.get(url("kpis", scope="network") + Q)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Baia Mare strategy" not in html and "strategiei Baia Mare" not in html
    assert response.context["rows"] == []  # no KPI of Baia Mare's strategy
    plan_rows = response.context["plan_rows"]
    assert len(plan_rows) == balti_plan.indicators.count() and plan_rows[0].indicator.plan_id == balti_plan.pk
    assert "PLAN de ACȚIUNI" in html
    client.force_login(bm_coordinator)
    response = client.get(url("kpis", scope="network") + Q)
    assert response.context["plan_rows"] == [] and len(response.context["rows"]) == 21


def test_the_balti_kpi_page_shows_approved_values_only(
    client, other_tenant_user, balti_plan, balti_coordinator, cultura_officer, cultura_form, reported
):
    from carenet.plans import services

    def row_of(code):
        rows = client.get(url("kpis", scope="network") + Q).context["plan_rows"]
        return next(r for r in rows if r.indicator.code == code)

    client.force_login(other_tenant_user)
    row = row_of("1.1.2.1")
    assert row.value is None and row.pending == 1  # saved, not yet approved
    services.submission_submit(actor=cultura_officer, submission=cultura_form)
    services.submission_approve(actor=balti_coordinator, submission=cultura_form)
    row = row_of("1.1.2.1")
    assert row.value == 3 and row.pending == 0

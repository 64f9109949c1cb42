"""Every table download of the dashboards goes through core.exports: a name a spreadsheet would run
(``=cmd|…``) is written as text, in CSV and in XLSX, and staff downloads are audited."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from carenet.audit.models import AuditEvent
from carenet.core.models import Organisation
from carenet.geo.models import Area

Q = {"start": "2025-01-01", "end": "2025-12-31"}
EVIL = "=cmd|' /C calc'!A0"


def csv_text(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def xlsx_values(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell.value for row in sheet.iter_rows() for cell in row]


@pytest.fixture
def evil_provider(network, baia_mare, org_b):
    Organisation.objects.for_tenant(baia_mare).filter(pk=org_b.pk).update(name=EVIL)


def test_a_chart_csv_writes_a_formula_name_as_text(client, coordinator, evil_provider):
    client.force_login(coordinator)
    response = client.get(reverse("dashboards:export", kwargs={"scope": "network", "key": "provider", "fmt": "csv"}), Q)
    text = csv_text(response)
    assert "'" + EVIL in text and "\n" + EVIL not in text
    assert AuditEvent.objects.filter(action="export", object_type="dashboard.network.provider.csv").count() == 1


def test_a_chart_xlsx_writes_a_formula_name_as_text(client, coordinator, evil_provider):
    client.force_login(coordinator)
    response = client.get(
        reverse("dashboards:export", kwargs={"scope": "network", "key": "provider", "fmt": "xlsx"}), Q
    )
    values = xlsx_values(response)
    assert "'" + EVIL in values and EVIL not in values


@pytest.fixture
def evil_source(network, baia_mare, coordinator):
    import datetime as dt
    from decimal import Decimal

    from carenet.dashboards.services import outside_value_set

    outside_value_set(
        municipality=baia_mare,
        key="bm09",
        year=2025,
        value=Decimal(3),
        source=EVIL,
        source_date=dt.date(2025, 6, 1),
        actor=coordinator,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_kpi_table_writes_a_formula_source_as_text(client, coordinator, evil_source, fmt):
    client.force_login(coordinator)
    response = client.get(reverse("dashboards:kpi_export", kwargs={"scope": "network", "fmt": fmt}), Q)
    if fmt == "csv":
        assert "'" + EVIL in csv_text(response)
    else:
        values = xlsx_values(response)
        assert "'" + EVIL in values and EVIL not in values
    assert AuditEvent.objects.filter(action="export", object_type=f"dashboard.network.kpis.{fmt}").count() == 1


def test_the_public_dashboard_csv_writes_a_formula_area_name_as_text(client, network, baia_mare):
    Area.objects.for_tenant(baia_mare).filter(pk=network["areas"]["craica"].pk).update(name=EVIL)
    response = client.get(
        reverse("public_dashboard:csv", kwargs={"municipality_slug": "baia-mare", "key": "area"}), {"year": 2025}
    )
    text = csv_text(response)
    assert "'" + EVIL in text and "\n" + EVIL not in text
    assert not AuditEvent.objects.filter(action="export").exists()  # suppressed public aggregates

"""DHIS2 exports (issue 15): metadata + dataValueSets import cleanly into a DHIS2-shaped validator written
from DHIS2's documented rules; ADX validates against the vendored ADX 2015 schema; periods are checked."""

from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from carenet.plans.models import IndicatorValue
from carenet.reports import dhis2
from carenet.reports.tests.dhis2_validator import check_data_value_set

ADX_XSD = Path(dhis2.__file__).resolve().parent / "standards" / "adx-2015" / "adx_loose.xsd"


@pytest.fixture(scope="module")
def adx_schema():
    return etree.XMLSchema(etree.parse(str(ADX_XSD)))


def test_the_vendored_adx_schema_really_checks(adx_schema):
    bare = etree.fromstring(b'<adx xmlns="urn:ihe:qrph:adx:2015" exported="2025-01-01T00:00:00"/>')
    assert not adx_schema.validate(bare)
    bad_period = etree.fromstring(
        b'<adx xmlns="urn:ihe:qrph:adx:2015" exported="2025-01-01T00:00:00">'
        b'<group orgUnit="1" period="2025"><dataValue dataElement="A" value="1"/></group></adx>'
    )
    assert not adx_schema.validate(bad_period)


def test_metadata_and_data_values_import_into_the_dhis2_shaped_validator(reported):
    meta = dhis2.metadata(reported)
    payload = dhis2.data_value_set(reported, "2025")
    assert payload["dataValues"]
    assert check_data_value_set(meta, payload) == []


def test_a_broken_down_element_carries_only_its_cells(reported):
    payload = dhis2.data_value_set(reported, "2025")
    library = [v for v in payload["dataValues"] if v["dataElement"] == "1.1.2.3"]
    assert {v["categoryOptionCombo"] for v in library} == {
        "sex=f|age=7-15|disability=no",
        "sex=m|age=7-15|disability=yes",
    }
    assert not any(v["dataElement"] == "1.1.2.3_TOTAL" for v in payload["dataValues"]), "DHIS2 derives the total"


def test_an_element_never_broken_down_goes_with_the_default_combination(reported):
    library = IndicatorValue.objects.for_tenant(reported.municipality_id).filter(indicator__code="1.1.2.3")
    library.exclude(combo="").delete()
    meta = dhis2.metadata(reported)
    payload = dhis2.data_value_set(reported, "2025")
    library_values = [v for v in payload["dataValues"] if v["dataElement"] == "1.1.2.3"]
    assert [(v["categoryOptionCombo"], v["value"]) for v in library_values] == [("default", "12")]
    assert check_data_value_set(meta, payload) == []


def test_the_validator_catches_a_total_beside_cells(reported):
    meta = dhis2.metadata(reported)
    payload = dhis2.data_value_set(reported, "2025")
    cell = next(v for v in payload["dataValues"] if v["dataElement"] == "1.1.2.3")
    payload["dataValues"].append({**cell, "categoryOptionCombo": "default", "value": "12"})
    assert any("not an option combination" in c for c in check_data_value_set(meta, payload))
    payload.pop("idScheme")
    assert any("idScheme" in c for c in check_data_value_set(meta, payload))


def test_adx_validates_and_carries_comments_and_the_export_time(reported, adx_schema):
    value = IndicatorValue.objects.for_tenant(reported.municipality_id).filter(indicator__code="1.1.2.1").first()
    value.comment = "Numărat la bibliotecă"
    value.save()
    body = dhis2.adx_xml(reported, "2025")
    root = etree.fromstring(body)
    assert adx_schema.validate(root), adx_schema.error_log
    assert root.get("exported") != reported.created_at.isoformat()
    notes = root.findall(".//{urn:ihe:qrph:adx:2015}annotation")
    assert [n.text for n in notes] == ["Numărat la bibliotecă"]
    elements = {v.get("dataElement") for v in root.iter("{urn:ihe:qrph:adx:2015}dataValue")}
    assert "1.1.2.3" in elements


def test_an_empty_selection_is_no_content_never_an_invalid_adx(client, reported, balti_coordinator):
    IndicatorValue.objects.for_tenant(reported.municipality_id).filter(indicator__plan=reported).update(value=None)
    assert dhis2.adx_xml(reported, "2025") is None
    client.force_login(balti_coordinator)
    assert client.get(reverse("reports:dhis2_adx", args=[reported.pk]), {"period": "2025"}).status_code == 204


def test_an_unknown_period_is_a_400_naming_it(client, reported, balti_coordinator):
    client.force_login(balti_coordinator)
    for name in ("reports:dhis2_json", "reports:dhis2_adx"):
        response = client.get(reverse(name, args=[reported.pk]), {"period": "bogus"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "period"


def test_the_metadata_export_is_refused_to_other_municipalities_and_lower_roles(
    client, reported, bm_coordinator, cultura_officer, balti_coordinator
):
    url = reverse("reports:dhis2_metadata", args=[reported.pk])
    assert client.get(url).status_code == 302
    client.force_login(bm_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(cultura_officer)
    assert client.get(url).status_code == 403
    client.force_login(balti_coordinator)
    assert client.get(url).status_code == 200


def test_periods_map_to_dhis2_ids():
    from datetime import date

    assert dhis2.dhis2_period(date(2025, 1, 1), date(2025, 12, 31), "x") == "2025"
    assert dhis2.dhis2_period(date(2025, 4, 1), date(2025, 6, 30), "x") == "2025Q2"
    assert dhis2.dhis2_period(date(2025, 7, 1), date(2025, 12, 31), "x") == "2025S2"
    assert dhis2.dhis2_period(date(2025, 2, 1), date(2025, 2, 28), "x") == "202502"
    assert dhis2.iso_period(date(2025, 1, 1), date(2025, 12, 31)) == "2025-01-01/P1Y"
    assert dhis2.iso_period(date(2025, 1, 1), date(2025, 3, 31)) == "2025-01-01/P3M"

"""Indicator values as DHIS2 dataValueSets JSON and ADX XML.

Mapping: dataElement = indicator code; period = reporting period code (DHIS2 yearly "2025");
orgUnit = the area code, else the municipality's statistical code (CUATM / SIRUTA);
categoryOptionCombo = the disaggregation cell ("sex=f|age=0-6"), "default" for totals;
attributeOptionCombo = funding source × reporting body.
"""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from carenet.plans.models import TOTAL, IndicatorValue, Plan, parse_combo

ADX_NS = "urn:ihe:qrph:adx:2015"


def _values(plan: Plan, period_code: str | None = None):  # type: ignore[no-untyped-def]
    qs = IndicatorValue.objects.for_tenant(plan.municipality_id).filter(indicator__plan=plan)
    if period_code:
        qs = qs.filter(period__code=period_code)
    return qs.select_related("indicator", "period").order_by("period__start_date", "indicator__order", "combo")


def _value(v: IndicatorValue) -> str:
    if v.value is None:
        return v.text
    return format(v.value.normalize(), "f")


def data_value_set(plan: Plan, period_code: str | None = None) -> dict[str, Any]:
    org_unit_default = plan.municipality.statistical_code
    rows = []
    for v in _values(plan, period_code):
        if v.value is None and not v.text:
            continue
        rows.append(
            {
                "dataElement": v.indicator.code,
                "period": v.period.code,
                "orgUnit": v.area_code or org_unit_default,
                "categoryOptionCombo": v.combo or "default",
                "attributeOptionCombo": "|".join(x for x in (v.funding_code, v.body_code) if x) or "default",
                "value": _value(v),
                **({"comment": v.comment} if v.comment else {}),
            }
        )
    return {"dataSet": plan.code, "dataValues": rows}


def adx_xml(plan: Plan, period_code: str | None = None) -> bytes:
    ET.register_namespace("", ADX_NS)
    root = ET.Element(f"{{{ADX_NS}}}adx", {"exported": plan.created_at.isoformat()})
    groups: dict[tuple[str, str, str], ET.Element] = {}
    org_unit_default = plan.municipality.statistical_code
    for v in _values(plan, period_code):
        if v.value is None:
            continue  # ADX carries numbers; descriptive lists travel in dataValueSets
        key = (v.period.code, v.area_code or org_unit_default, v.body_code)
        group = groups.get(key)
        if group is None:
            attrs = {"dataSet": plan.code, "period": f"{v.period.start_date.isoformat()}/P1Y", "orgUnit": key[1]}
            if v.body_code:
                attrs["BODY"] = v.body_code
            group = ET.SubElement(root, f"{{{ADX_NS}}}group", attrs)
            groups[key] = group
        attrs = {"dataElement": v.indicator.code, "value": _value(v)}
        if v.combo != TOTAL:
            attrs.update({k.upper(): o for k, o in parse_combo(v.combo).items()})
        if v.funding_code:
            attrs["FUNDING"] = v.funding_code
        ET.SubElement(group, f"{{{ADX_NS}}}dataValue", attrs)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)

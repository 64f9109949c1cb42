"""Indicator values as DHIS2 dataValueSets JSON and ADX XML, and the DHIS2 metadata that receives them.

Mapping (decision 0024):

* dataElement = the indicator code. A DHIS2 data element has ONE category combination: an indicator whose
  values are broken down (a disaggregation set) is sent as its cells only — DHIS2 derives the total; a total
  reported for a period and place with no breakdown goes as a data element of its own, ``<code>_TOTAL``
  (default combination). An indicator never broken down is sent as ``<code>`` with the default combination.
* categoryOptionCombo = the disaggregation cell (``sex=f|age=0-6``), whose categories are the set's
  dimensions; attributeOptionCombo = funding source × reporting body, in JSON and in ADX alike (in ADX they
  are attributes of the group, as ADX places attribute option combinations).
* period = the DHIS2 period of the reporting period's dates (yearly ``2025``, ``2025Q1``, ``202501``,
  ``2025S1``); in ADX the ISO 8601 start/duration (``2025-01-01/P1Y``).
* orgUnit = the area code, else the municipality's statistical code (CUATM / SIRUTA).
* identifiers are codes, declared (``idScheme: CODE``); the metadata export carries both the codes and
  DHIS2 uids (11 characters, derived from the code, so stable).
* comments travel as ``comment`` (JSON) and as ADX ``annotation``; ``exported`` is the export time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree import ElementTree as ET

from django.utils import timezone

from carenet.plans.models import TOTAL, IndicatorValue, Plan, ReportingPeriod, parse_combo

ADX_NS = "urn:ihe:qrph:adx:2015"
DEFAULT = "default"
TOTAL_SUFFIX = "_TOTAL"
_UID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def uid(kind: str, code: str) -> str:
    """A DHIS2 uid (a letter, then 10 letters or digits) derived from what it names: the same every export."""
    digest = hashlib.sha256(f"{kind}:{code}".encode()).digest()
    first = _UID_CHARS[digest[0] % 52]
    return first + "".join(_UID_CHARS[b % 62] for b in digest[1:11])


def dhis2_period(start: date, end: date, fallback: str) -> str:
    """The DHIS2 period id of a reporting period's dates (yearly, six-monthly, quarterly, monthly)."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if start.day != 1 or (end.replace(day=28) + _days(4)).replace(day=1) - _days(1) != end:
        return fallback
    if months == 12 and start.month == 1:
        return str(start.year)
    if months == 6 and start.month in (1, 7):
        return f"{start.year}S{1 if start.month == 1 else 2}"
    if months == 3 and start.month in (1, 4, 7, 10):
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if months == 1:
        return f"{start.year}{start.month:02d}"
    return fallback


def _days(n: int) -> Any:
    from datetime import timedelta

    return timedelta(days=n)


def iso_period(start: date, end: date) -> str:
    """ADX's period: the start date and an ISO 8601 duration."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if start.day == 1 and dhis2_period(start, end, "") and months % 12 == 0:
        return f"{start.isoformat()}/P{months // 12}Y"
    if start.day == 1 and dhis2_period(start, end, ""):
        return f"{start.isoformat()}/P{months}M"
    return f"{start.isoformat()}/P{(end - start).days + 1}D"


def period_codes(plan: Plan) -> set[str]:
    return set(
        ReportingPeriod.objects.for_tenant(plan.municipality_id).filter(plan=plan).values_list("code", flat=True)
    )


@dataclass(frozen=True)
class Cell:
    """One value as DHIS2 receives it."""

    data_element: str
    period: str
    iso_period: str
    org_unit: str
    combo: str  # "" = default
    funding: str
    body: str
    value: str
    comment: str

    @property
    def attribute_combo(self) -> str:
        return (
            "|".join(
                x
                for x in (f"funding={self.funding}" if self.funding else "", f"body={self.body}" if self.body else "")
                if x
            )
            or DEFAULT
        )


def _values(plan: Plan, period_code: str | None = None) -> Any:
    qs = IndicatorValue.objects.for_tenant(plan.municipality_id).filter(indicator__plan=plan)
    if period_code:
        qs = qs.filter(period__code=period_code)
    return qs.select_related("indicator", "indicator__disaggregation", "period").order_by(
        "period__start_date", "indicator__order", "combo"
    )


def _value(v: IndicatorValue) -> str:
    if v.value is None:
        return v.text
    return format(v.value.normalize(), "f")


def cells(plan: Plan, period_code: str | None = None, *, numeric_only: bool = False) -> list[Cell]:
    """The plan's values as DHIS2 cells, one category combination per data element (see the module)."""
    org_unit_default = plan.municipality.statistical_code
    rows = [v for v in _values(plan, period_code) if (v.value is not None or (v.text and not numeric_only))]
    broken_down = {v.indicator_id for v in _values(plan) if v.combo != TOTAL}
    with_cells = {
        (v.indicator_id, v.period_id, v.area_code, v.funding_code, v.body_code) for v in rows if v.combo != TOTAL
    }
    out = []
    for v in rows:
        element = v.indicator.code
        if v.combo == TOTAL and v.indicator_id in broken_down:
            if (v.indicator_id, v.period_id, v.area_code, v.funding_code, v.body_code) in with_cells:
                continue  # DHIS2 derives the total from the cells
            element += TOTAL_SUFFIX
        out.append(
            Cell(
                data_element=element,
                period=dhis2_period(v.period.start_date, v.period.end_date, v.period.code),
                iso_period=iso_period(v.period.start_date, v.period.end_date),
                org_unit=v.area_code or org_unit_default,
                combo=v.combo,
                funding=v.funding_code,
                body=v.body_code,
                value=_value(v),
                comment=v.comment,
            )
        )
    return out


def data_value_set(plan: Plan, period_code: str | None = None) -> dict[str, Any]:
    rows = []
    for c in cells(plan, period_code):
        rows.append(
            {
                "dataElement": c.data_element,
                "period": c.period,
                "orgUnit": c.org_unit,
                "categoryOptionCombo": c.combo or DEFAULT,
                "attributeOptionCombo": c.attribute_combo,
                "value": c.value,
                **({"comment": c.comment} if c.comment else {}),
            }
        )
    return {
        "dataSet": plan.code,
        "idScheme": "CODE",
        "completeDate": timezone.localdate().isoformat(),
        "dataValues": rows,
    }


def adx_xml(plan: Plan, period_code: str | None = None) -> bytes | None:
    """ADX 2015 (numbers only: descriptive values travel in dataValueSets). None when there is no value to
    send: ADX has no document for "nothing" (a document holds at least one group of at least one value)."""
    ET.register_namespace("", ADX_NS)
    selected = cells(plan, period_code, numeric_only=True)
    if not selected:
        return None
    root = ET.Element(f"{{{ADX_NS}}}adx", {"exported": timezone.now().isoformat(timespec="seconds")})
    groups: dict[tuple[str, str, str, str], ET.Element] = {}
    for c in selected:
        key = (c.iso_period, c.org_unit, c.funding, c.body)
        group = groups.get(key)
        if group is None:
            attrs = {"dataSet": plan.code, "period": c.iso_period, "orgUnit": c.org_unit}
            if c.funding:
                attrs["FUNDING"] = c.funding
            if c.body:
                attrs["BODY"] = c.body
            group = ET.SubElement(root, f"{{{ADX_NS}}}group", attrs)
            groups[key] = group
        attrs = {"dataElement": c.data_element, "value": c.value}
        attrs.update({k.upper(): o for k, o in parse_combo(c.combo).items()})
        value = ET.SubElement(group, f"{{{ADX_NS}}}dataValue", attrs)
        if c.comment:
            ET.SubElement(value, f"{{{ADX_NS}}}annotation").text = c.comment
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def metadata(plan: Plan) -> dict[str, Any]:
    """What a DHIS2 instance imports (``/api/metadata``) to receive CareNet's values: category options,
    categories, category combinations and their option combinations, data elements (one combination each),
    org units, the data set and its attribute combination."""
    values = list(_values(plan))
    all_cells = cells(plan)
    categories: dict[str, dict[str, Any]] = {}
    combos: dict[str, dict[str, Any]] = {}
    combo_of_element: dict[str, str] = {}
    names = {v.indicator.code: v.indicator.text for v in values}

    def category(code: str, options: list[str], prefix: str) -> dict[str, Any]:
        cat = categories.setdefault(
            f"{prefix}{code}", {"code": f"{prefix}{code}", "name": f"{prefix}{code}", "options": set()}
        )
        cat["options"].update(options)
        return cat

    for v in values:
        disaggregation = v.indicator.disaggregation
        if disaggregation is None or v.combo == TOTAL:
            continue
        cc_code = f"CC_{disaggregation.code}"
        for d in disaggregation.dimensions:
            category(d["code"], [o["code"] for o in d["options"]], "")
        combos[cc_code] = {
            "code": cc_code,
            "categories": disaggregation.dimension_codes(),
            "cocs": disaggregation.combos(),
        }
        combo_of_element[v.indicator.code] = cc_code
    attribute_cells = {c.attribute_combo for c in all_cells} - {DEFAULT}
    attribute_dims: dict[str, set[str]] = {}
    for combo in attribute_cells:
        for k, o in parse_combo(combo).items():
            attribute_dims.setdefault(k, set()).add(o)
    attribute_cc = None
    if attribute_dims:
        for k, opts in attribute_dims.items():
            category(k, sorted(opts), "")
        attribute_cc = {"code": "CC_ATTRIBUTES", "categories": sorted(attribute_dims), "cocs": sorted(attribute_cells)}
        combos["CC_ATTRIBUTES"] = attribute_cc
    elements = sorted({c.data_element for c in all_cells})
    org_units = sorted({c.org_unit for c in all_cells} | {plan.municipality.statistical_code})

    def ref(kind: str, code: str) -> dict[str, str]:
        return {"id": uid(kind, code), "code": code}

    category_options = sorted({(k, o) for k, cat in categories.items() for o in cat["options"]})
    return {
        "categoryOptions": [
            {**ref("categoryOption", f"{k}={o}"), "name": f"{k}={o}", "shortName": f"{k}={o}"[:50]}
            for k, o in category_options
        ],
        "categories": [
            {
                **ref("category", k),
                "name": k,
                "shortName": k[:50],
                "dataDimensionType": "ATTRIBUTE"
                if attribute_cc and k in attribute_cc["categories"]
                else "DISAGGREGATION",
                "categoryOptions": [{"id": uid("categoryOption", f"{k}={o}")} for o in sorted(cat["options"])],
            }
            for k, cat in sorted(categories.items())
        ],
        "categoryCombos": [
            {
                **ref("categoryCombo", cc["code"]),
                "name": cc["code"],
                "dataDimensionType": "ATTRIBUTE" if cc["code"] == "CC_ATTRIBUTES" else "DISAGGREGATION",
                "categories": [{"id": uid("category", k)} for k in cc["categories"]],
            }
            for cc in combos.values()
        ],
        "categoryOptionCombos": [
            {
                **ref("categoryOptionCombo", coc),
                "name": coc,
                "categoryCombo": {"id": uid("categoryCombo", cc["code"])},
                "categoryOptions": [{"id": uid("categoryOption", f"{k}={o}")} for k, o in parse_combo(coc).items()],
            }
            for cc in combos.values()
            for coc in cc["cocs"]
        ],
        "dataElements": [
            {
                **ref("dataElement", code),
                "name": f"{code} {names.get(code.removesuffix(TOTAL_SUFFIX), '')}".strip()[:230],
                "shortName": code[:50],
                "domainType": "AGGREGATE",
                "valueType": "NUMBER",
                "aggregationType": "SUM",
                "categoryCombo": {"id": uid("categoryCombo", combo_of_element[code])}
                if code in combo_of_element
                else {"code": DEFAULT},
            }
            for code in elements
        ],
        "organisationUnits": [
            {
                **ref("organisationUnit", code),
                "name": code,
                "shortName": code,
                "openingDate": f"{plan.start_year}-01-01",
            }
            for code in org_units
        ],
        "dataSets": [
            {
                **ref("dataSet", plan.code),
                "name": plan.title[:230],
                "shortName": plan.code[:50],
                "periodType": "Yearly",
                "categoryCombo": {"id": uid("categoryCombo", "CC_ATTRIBUTES")} if attribute_cc else {"code": DEFAULT},
                "dataSetElements": [{"dataElement": {"id": uid("dataElement", code)}} for code in elements],
                "organisationUnits": [{"id": uid("organisationUnit", code)} for code in org_units],
            }
        ],
    }

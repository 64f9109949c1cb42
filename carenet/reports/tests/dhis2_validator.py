"""A DHIS2-shaped importer check, written from DHIS2's documented import rules (Developer manual: "Data
values", "Metadata"): what a DHIS2 instance would refuse as a conflict. Used by the tests only.

* every data value's dataElement, orgUnit, categoryOptionCombo and attributeOptionCombo resolves (by code,
  the declared idScheme) to an object of the metadata;
* a data element has ONE category combination: the value's categoryOptionCombo must be one of the option
  combinations of the element's combination (``default`` for the default combination);
* the attributeOptionCombo belongs to the data set's attribute combination;
* the data element is in the data set, the org unit is assigned to the data set;
* the period is a valid DHIS2 period id of the data set's period type (Yearly: ``YYYY``);
* a numeric element's value is a number; no two values share element, period, org unit and both combos;
* the metadata itself: uids of 11 characters starting with a letter, every reference resolves.
"""

from __future__ import annotations

import re
from typing import Any

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
PERIODS = {
    "Yearly": re.compile(r"^\d{4}$"),
    "Monthly": re.compile(r"^\d{4}(0[1-9]|1[0-2])$"),
    "Quarterly": re.compile(r"^\d{4}Q[1-4]$"),
    "SixMonthly": re.compile(r"^\d{4}S[12]$"),
}


def check_metadata(meta: dict[str, Any]) -> list[str]:
    conflicts = []
    ids = set()
    for kind, objects in meta.items():
        for obj in objects:
            if not UID.match(obj["id"]):
                conflicts.append(f"{kind} {obj.get('code')}: uid {obj['id']!r} is not a DHIS2 uid")
            if obj["id"] in ids:
                conflicts.append(f"{kind} {obj.get('code')}: uid used twice")
            ids.add(obj["id"])

    def refs(obj: Any) -> list[str]:
        found = []
        if isinstance(obj, dict):
            if set(obj) == {"id"}:
                found.append(obj["id"])
            for value in obj.values():
                found.extend(refs(value))
        elif isinstance(obj, list):
            for value in obj:
                found.extend(refs(value))
        return found

    for kind, objects in meta.items():
        for obj in objects:
            for ref in refs({k: v for k, v in obj.items() if k != "id"}):
                if ref not in ids:
                    conflicts.append(f"{kind} {obj.get('code')}: reference {ref} not in the metadata")
    return conflicts


def check_data_value_set(meta: dict[str, Any], payload: dict[str, Any]) -> list[str]:
    """The conflicts DHIS2 would report importing ``payload`` (idScheme CODE) after ``meta``."""
    conflicts = check_metadata(meta)
    if payload.get("idScheme") != "CODE":
        conflicts.append("the payload uses codes without declaring idScheme=CODE")
    by_code = {kind: {o["code"]: o for o in objects} for kind, objects in meta.items()}
    by_id = {o["id"]: o for objects in meta.values() for o in objects}
    data_set = by_code["dataSets"].get(payload.get("dataSet"))
    if data_set is None:
        return [*conflicts, f"data set {payload.get('dataSet')} unknown"]
    set_elements = {e["dataElement"]["id"] for e in data_set["dataSetElements"]}
    set_units = {u["id"] for u in data_set["organisationUnits"]}
    attribute_cc = data_set["categoryCombo"].get("id")
    seen = set()
    for i, v in enumerate(payload["dataValues"]):
        where = f"dataValues[{i}]"
        element = by_code["dataElements"].get(v["dataElement"])
        unit = by_code["organisationUnits"].get(v["orgUnit"])
        if element is None:
            conflicts.append(f"{where}: data element {v['dataElement']} unknown")
            continue
        if unit is None:
            conflicts.append(f"{where}: org unit {v['orgUnit']} unknown")
            continue
        if element["id"] not in set_elements:
            conflicts.append(f"{where}: data element not in the data set")
        if unit["id"] not in set_units:
            conflicts.append(f"{where}: org unit not assigned to the data set")
        element_cc = element["categoryCombo"].get("id")
        coc = v["categoryOptionCombo"]
        if element_cc is None:
            if coc != "default":
                conflicts.append(f"{where}: {coc} is not an option combination of {v['dataElement']} (default)")
        else:
            known = by_code["categoryOptionCombos"].get(coc)
            if known is None or known["categoryCombo"]["id"] != element_cc:
                conflicts.append(f"{where}: {coc} is not an option combination of {v['dataElement']}")
        aoc = v["attributeOptionCombo"]
        if attribute_cc is None:
            if aoc != "default":
                conflicts.append(f"{where}: attribute combination {aoc} on a data set without one")
        else:
            known = by_code["categoryOptionCombos"].get(aoc)
            if known is None or known["categoryCombo"]["id"] != attribute_cc:
                conflicts.append(f"{where}: {aoc} is not an attribute option combination of the data set")
        if not PERIODS[data_set["periodType"]].match(v["period"]):
            conflicts.append(f"{where}: period {v['period']} is not a {data_set['periodType']} period")
        if element.get("valueType") == "NUMBER":
            try:
                float(v["value"])
            except ValueError:
                conflicts.append(f"{where}: value {v['value']!r} is not a number")
        key = (v["dataElement"], v["period"], v["orgUnit"], coc, aoc)
        if key in seen:
            conflicts.append(f"{where}: a second value for {key}")
        seen.add(key)
        assert by_id  # every id is resolvable (checked in check_metadata)
    return conflicts

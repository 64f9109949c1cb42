"""Diff: what a pulled feed changes against what its source imported last time, record by record.

A source keeps a *snapshot* of its last import (``HsdsSource.snapshot``): per resource, each row by its
source id, with its non-empty values. A pull's tables are reduced the same way and compared: records added,
changed (field by field, before and after) and gone. Rows with no id of their own (CareNet's translations) are
keyed by what they are about.
"""

from __future__ import annotations

from typing import Any

from .schema import RESOURCES, WHERE, Tables

Snapshot = dict[str, dict[str, dict[str, str]]]
# Resources compared: every HSDS resource and CareNet's translations; the metadata files are kept, not compared.
COMPARED = tuple(RESOURCES)
LABEL_FIELDS = ("name", "title", "number", "identifier", "description", "value")


def _key(resource: str, row: dict[str, Any]) -> str:
    if resource == "carenet_translation":
        return "/".join(str(row.get(k, "")) for k in ("record_type", "record_id", "language", "field"))
    return str(row.get("id") or "")


def snapshot_of(tables: Tables) -> Snapshot:
    """The tables as the diff compares them: each row by its key, empty values and JSON paths left out."""
    snapshot: Snapshot = {}
    for resource in COMPARED:
        rows = {}
        for row in tables.get(resource) or []:
            key = _key(resource, row)
            if key:
                rows[key] = {k: str(v) for k, v in row.items() if k != WHERE and v not in (None, "")}
        if rows:
            snapshot[resource] = rows
    return snapshot


def label_of(row: dict[str, str], key: str) -> str:
    for name in LABEL_FIELDS:
        if row.get(name):
            return row[name][:120]
    return key


def diff_snapshots(before: Snapshot, after: Snapshot) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Per resource: ``added`` (id, label, fields), ``changed`` (id, label, fields → [before, after]), ``gone``
    (id, label). Resources with no difference are left out."""
    result: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for resource in COMPARED:
        old, new = before.get(resource, {}), after.get(resource, {})
        added = [{"id": k, "label": label_of(new[k], k), "fields": new[k]} for k in new if k not in old]
        gone = [{"id": k, "label": label_of(old[k], k)} for k in old if k not in new]
        changed = []
        for key in new:
            if key not in old or old[key] == new[key]:
                continue
            fields = {
                name: [old[key].get(name, ""), new[key].get(name, "")]
                for name in sorted(set(old[key]) | set(new[key]))
                if old[key].get(name, "") != new[key].get(name, "")
            }
            changed.append({"id": key, "label": label_of(new[key], key), "fields": fields})
        if added or changed or gone:
            result[resource] = {"added": added, "changed": changed, "gone": gone}
    return result


def summary_of(diff: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, Any]:
    """Totals for the list of pulls and the notification: added, changed, gone, and per resource."""
    per = {r: {k: len(v) for k, v in parts.items()} for r, parts in diff.items()}
    return {
        "added": sum(p["added"] for p in per.values()),
        "changed": sum(p["changed"] for p in per.values()),
        "gone": sum(p["gone"] for p in per.values()),
        "resources": per,
    }


def gone_ids(diff: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, list[str]]:
    return {resource: [item["id"] for item in parts["gone"]] for resource, parts in diff.items() if parts["gone"]}

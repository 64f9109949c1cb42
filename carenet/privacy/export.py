"""The subject-access export (GDPR art. 15 and 20): every registered table's rows about one person.

The tables come from the registry of ``carenet.core.subject_data``: each app declares its own, so the
export lists every table that holds the person (with zero rows where it holds none).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from carenet.core.subject_data import registered


def _label(model: Any, name: str) -> str:
    try:
        f = model._meta.get_field(name.removesuffix("_id"))
        return str(f.verbose_name)
    except Exception:
        return name


def subject_access_data(*, person: Any, language: str) -> dict[str, Any]:
    with translation.override(language):
        tables = []
        for table in registered():
            model = table.model_class
            rows = [table.serialise(obj) for obj in table.rows_of(person)]
            columns = list(dict.fromkeys(key for row in rows for key in row))
            tables.append(
                {
                    "model": table.model,
                    "table": model._meta.db_table,
                    "title": str(model._meta.verbose_name_plural),
                    "count": len(rows),
                    "columns": {c: _label(model, c) for c in columns},
                    "ids": sorted(_technical_keys(model) & set(columns)),
                    "rows": rows,
                }
            )
        return {
            "format": "carenet.subject-access/1",
            "generated_at": timezone.now().isoformat(),
            "language": language,
            "municipality": str(person.municipality_id),
            "person": {"id": str(person.pk), "name": person.full_name},
            "tables": tables,
        }


def to_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})")


def _technical_keys(model: Any) -> set[str]:
    """Ids of the row and of the rows it refers to: the PDF shows the references by name, the JSON keeps both."""
    return {"id", *(f.attname for f in model._meta.concrete_fields if f.is_relation)}


def _display(value: Any) -> str:
    if isinstance(value, str) and (m := ISO_DATETIME.match(value)):
        return f"{m.group(1)} {m.group(2)}"
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, dict) and "label" in value:
        return str(value["label"])
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def to_html(data: dict[str, Any], *, language: str) -> str:
    with translation.override(language):
        sections = []
        for t in data["tables"]:
            rows = [[(t["columns"][k], _display(v)) for k, v in row.items() if k not in t["ids"]] for row in t["rows"]]
            sections.append({"title": t["title"], "table": t["table"], "count": t["count"], "rows": rows})
        return render_to_string(
            "privacy/subject_access_pdf.html",
            {"data": data, "sections": sections, "language": language, "when": _display(data["generated_at"])},
        )


def to_pdf(data: dict[str, Any], *, language: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(data, language=language)).write_pdf()

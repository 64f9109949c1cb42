"""Utility consumption from a supplier's spreadsheet (XLSX, or CSV): validated whole and saved whole — one bad
row and nothing is saved, every problem named by its row and column::

    building, dwelling, month, utility, quantity, amount
    Bloc ANL Str. Exemplu, 12, 2025-11, heat, 1.35, 412.50

``building`` is the building's name as in the stock, ``dwelling`` its number, ``month`` YYYY-MM (or any date
in the month), ``utility`` electricity / heat / water / gas, ``amount`` optional.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.policy import policy

from .models import Consumption, Dwelling, Utility
from .permissions import can_record_housing

COLUMNS = ("building", "dwelling", "month", "utility", "quantity", "amount")
REQUIRED = ("building", "dwelling", "month", "utility", "quantity")
MAX_ROWS = 20000
MAX_ERRORS = 200
_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?")


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


class ImportRefused(ValidationError):
    def __init__(self, errors: list[RowError]):
        super().__init__([str(e) for e in errors])
        self.errors = errors


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise ImportRefused([RowError(1, _("file"), _("This is not an XLSX workbook."))]) from exc
        values = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)] if sheet is not None else []
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused([RowError(1, _("file"), _("Save the file as CSV in UTF-8."))]) from exc
        first = text.split("\n", 1)[0]
        values = [
            list(r)
            for r in csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
        ]
    if not values:
        raise ImportRefused([RowError(1, _("file"), _("The file is empty."))])
    header = [str(h).strip().lower() for h in values[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused([RowError(1, c, _("This column is missing.")) for c in missing])
    rows = [
        (number, {h: (str(row[i]).strip() if i < len(row) else "") for i, h in enumerate(header)})
        for number, row in enumerate(values[1:], start=2)
        if any(str(v).strip() for v in row)
    ]
    if len(rows) > MAX_ROWS:
        raise ImportRefused([RowError(1, _("file"), _("At most %(max)s rows per file.") % {"max": MAX_ROWS})])
    return rows


def consumption_import(*, actor: Any, municipality: Any, name: str, content: bytes) -> int:
    """Validate every row, then write them all (a month already recorded is replaced). Returns the rows saved."""
    if not can_record_housing(actor):
        raise PermissionDenied
    m = getattr(municipality, "pk", municipality)
    rows = _rows(name, content)
    dwellings = {
        (d.building.name.strip().lower(), d.number.strip().lower()): d
        for d in Dwelling.objects.for_tenant(m).select_related("building")
        if policy.can(actor, "change", d)
    }
    errors: list[RowError] = []
    parsed: list[tuple[Dwelling, datetime.date, str, Decimal, Decimal]] = []
    seen: dict[tuple[Any, datetime.date, str], int] = {}
    for number, row in rows:
        dwelling = dwellings.get((row.get("building", "").lower(), row.get("dwelling", "").lower()))
        if dwelling is None:
            errors.append(RowError(number, "dwelling", _("No such dwelling in the stock.")))
        match = _MONTH.fullmatch(row.get("month", ""))
        month = None
        if match and 1 <= int(match.group(2)) <= 12:
            month = datetime.date(int(match.group(1)), int(match.group(2)), 1)
        else:
            errors.append(RowError(number, "month", _("Write the month as YYYY-MM.")))
        utility = row.get("utility", "").lower()
        if utility not in Utility.values:
            errors.append(RowError(number, "utility", _("One of: %(values)s.") % {"values": ", ".join(Utility.values)}))
        values = []
        for field in ("quantity", "amount"):
            text = row.get(field, "").replace(",", ".") or ("0" if field == "amount" else "")
            try:
                value = Decimal(text)
                if not value.is_finite() or value < 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(RowError(number, field, _("Write a number of zero or more.")))
                value = Decimal(0)
            values.append(value)
        if dwelling is not None and month is not None and utility in Utility.values:
            key = (dwelling.pk, month, utility)
            if key in seen:
                errors.append(
                    RowError(
                        number, "month", _("Same dwelling, month and utility as row %(row)s.") % {"row": seen[key]}
                    )
                )
            seen[key] = number
            parsed.append((dwelling, month, utility, values[0], values[1]))
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise ImportRefused(errors)
    with transaction.atomic():
        existing = {
            (c.dwelling_id, c.month, c.utility): c
            for c in Consumption.objects.for_tenant(m).filter(
                dwelling_id__in={p[0].pk for p in parsed}, month__in={p[1] for p in parsed}
            )
        }
        new, changed = [], []
        for dwelling, month, utility, quantity, amount in parsed:
            row_obj = existing.get((dwelling.pk, month, utility))
            if row_obj is None:
                new.append(
                    Consumption(
                        municipality_id=m,
                        dwelling=dwelling,
                        month=month,
                        utility=utility,
                        quantity=quantity,
                        amount=amount,
                    )
                )
            else:
                row_obj.quantity, row_obj.amount = quantity, amount
                changed.append(row_obj)
        Consumption.objects.for_tenant(m).bulk_create(new)
        if changed:
            Consumption.objects.for_tenant(m).bulk_update(changed, ["quantity", "amount"])
        audit_record(
            action="housing.consumption.import",
            actor=actor,
            municipality=m,
            object_type="housing.consumption",
            object_label=name[:200],
            changes={"rows": len(parsed)},
        )
    return len(parsed)


def read_upload(upload: IO[bytes] | Any) -> bytes:
    return bytes(upload.read())


def template_csv() -> str:
    return ",".join(COLUMNS) + "\n"

"""Activities from a spreadsheet (CSV or XLSX), as the coordinators collect them today: validated whole and
saved whole — one bad row and nothing is saved, every problem named by its row and column.

One line per cell of participants; the lines with the same date, kind and title are one activity::

    date, kind, title, place, locality, topic, sex, age_band, disability, number
    2025-10-01, event, Ziua persoanelor vârstnice, Sala mare, Bălți, , F, 64+, yes, 12

``kind`` is a code of the municipality's list; ``sex`` F/M (blank: not recorded); ``age_band`` one of the
municipality's bands (blank: not recorded); ``disability`` yes/no/not_asked/refused (blank: not asked);
``number`` the persons of that cell (blank: the line records the activity alone).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import uuid
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carenet.core.models import Organisation

from .models import Activity, ActivityStatus, DisabilityAnswer, ParticipantSex
from .selectors import age_bands_in_force, kinds_in_force
from .services import ActivityInput, activity_create, participants_record

COLUMNS = ("date", "kind", "title", "place", "locality", "topic", "sex", "age_band", "disability", "number")
REQUIRED = ("date", "kind", "title")
MAX_ROWS = 5000
MAX_ERRORS = 200
_DATE = (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), re.compile(r"(\d{2})\.(\d{2})\.(\d{4})"))
_SEX = {"f": ParticipantSex.FEMALE, "m": ParticipantSex.MALE, "": ParticipantSex.UNKNOWN, "u": ParticipantSex.UNKNOWN}


@dataclass(frozen=True)
class RowError:
    row: int  # the line of the file; the header is line 1
    field: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


class ImportRefused(ValidationError):
    """The file was refused whole; ``errors`` lists the problems (up to MAX_ERRORS)."""

    def __init__(self, errors: list[RowError]):
        super().__init__([str(e) for e in errors])
        self.errors = errors


def _rows(name: str, content: bytes) -> list[dict[str, str]]:
    """The file's lines as dicts of lower-case column → text; XLSX by its name, CSV (, or ;) otherwise."""
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
        delimiter = ";" if first.count(";") > first.count(",") else ","
        values = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    if not values:
        raise ImportRefused([RowError(1, _("file"), _("The file is empty."))])
    header = [h.strip().lower() for h in values[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRefused([RowError(1, c, _("This column is missing.")) for c in missing])
    return [
        {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        for row in values[1:]
        if any(str(v).strip() for v in row)
    ]


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


def _date(text: str) -> datetime.date | None:
    for pattern in _DATE:
        match = pattern.fullmatch(text)
        if match:
            a, b, c = match.groups()
            year, month, day = (int(a), int(b), int(c)) if len(a) == 4 else (int(c), int(b), int(a))
            try:
                return datetime.date(year, month, day)
            except ValueError:
                return None
    return None


@dataclass
class _Cell:
    sex: str
    age_band: str
    disability: str
    number: int


def activities_import(*, actor: Any, organiser: Organisation, name: str, content: bytes) -> list[Activity]:
    """Validate the whole file, then create its activities and participants in one transaction."""
    rows = _rows(name, content)
    if len(rows) > MAX_ROWS:
        raise ImportRefused([RowError(MAX_ROWS + 2, _("file"), _("At most %(n)s lines per file.") % {"n": MAX_ROWS})])
    municipality_id = organiser.municipality_id
    kinds = {k.code: k for k in kinds_in_force(municipality=municipality_id)}
    bands = {b.code for b in age_bands_in_force(municipality=municipality_id)}
    errors: list[RowError] = []
    groups: dict[tuple[datetime.date, str, str], tuple[int, dict[str, str], list[_Cell]]] = {}
    for line, row in enumerate(rows, start=2):

        def bad(field: str, message: str, line: int = line) -> None:
            errors.append(RowError(line, field, message))

        day = _date(row.get("date", ""))
        if day is None:
            bad("date", _("Write the date as YYYY-MM-DD or DD.MM.YYYY."))
        kind = row.get("kind", "")
        if kind not in kinds:
            bad("kind", _("“%(value)s” is not a kind of the municipality's list.") % {"value": kind})
        elif day is not None and not _in_force(kinds[kind], day):
            bad("kind", _("This kind is not in force on the date of the activity."))
        title = row.get("title", "")
        if not title:
            bad("title", _("Give the activity a title."))
        elif len(title) > 300:
            bad("title", _("At most 300 characters."))
        sex = _SEX.get(row.get("sex", "").lower())
        if sex is None:
            bad("sex", _("Write F, M or leave it blank."))
        band = row.get("age_band", "")
        if band and band not in bands:
            bad("age_band", _("“%(value)s” is not one of the municipality's age bands.") % {"value": band})
        disability = row.get("disability", "").lower() or DisabilityAnswer.NOT_ASKED
        if disability not in DisabilityAnswer.values:
            bad("disability", _("Write yes, no, not_asked or refused."))
        number_text = row.get("number", "")
        number = 0
        if number_text:
            try:
                number = int(number_text)
            except ValueError:
                number = -1
            if not 1 <= number <= 10000:
                bad("number", _("The number of persons is a whole number from 1 to 10,000."))
        if len(errors) >= MAX_ERRORS:
            break
        if day is None or kind not in kinds or not title or errors:
            continue
        _line, _first, cells = groups.setdefault((day, kind, title), (line, row, []))
        if number > 0:
            cells.append(_Cell(sex=sex or ParticipantSex.UNKNOWN, age_band=band, disability=disability, number=number))
    if errors:
        raise ImportRefused(errors)
    created: list[Activity] = []
    with transaction.atomic():
        for (day, kind, title), (line, first, cells) in groups.items():
            try:
                created.append(_save(actor, organiser, kinds[kind], day, title, first, cells))
            except ValidationError as exc:
                field, messages = (
                    next(iter(exc.message_dict.items())) if hasattr(exc, "error_dict") else ("", exc.messages)
                )
                raise ImportRefused([RowError(line, field, " ".join(messages))]) from exc
    return created


def _in_force(kind: Any, day: datetime.date) -> bool:
    return (kind.valid_from is None or kind.valid_from <= day) and (kind.valid_to is None or kind.valid_to >= day)


def _save(
    actor: Any,
    organiser: Organisation,
    kind: Any,
    day: datetime.date,
    title: str,
    first: dict[str, str],
    cells: list[_Cell],
) -> Activity:
    activity = activity_create(
        actor=actor,
        municipality=organiser.municipality_id,
        data=ActivityInput(
            kind=kind,
            title=title,
            starts_on=day,
            organiser=organiser,
            status=ActivityStatus.HELD,
            place=first.get("place", "")[:300],
            locality=first.get("locality", "")[:120],
            topic=first.get("topic", "")[:500],
        ),
    )
    for cell in cells:
        participants_record(
            actor=actor,
            activity=activity,
            key=uuid.uuid4(),
            sex=cell.sex,
            age_band=cell.age_band,
            disability=cell.disability,
            number=cell.number,
        )
    return activity


def template_csv() -> str:
    """The header line a coordinator fills in (offered for download beside the form)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(COLUMNS)
    return buffer.getvalue()


def read_upload(upload: IO[bytes] | Any) -> bytes:
    return bytes(upload.read())

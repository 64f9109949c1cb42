"""The onboarding spreadsheets (CSV or XLSX) as rows of known columns, and the errors that name file, row, column.

A column is found by its header in Romanian or English, compared without case, diacritics or punctuation
("Denumire scurtă" = "short name" = "SHORT_NAME"). Rows are numbered as the spreadsheet numbers them: the header
is row 1, so an error's row is the one the officer sees in Excel or LibreOffice.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from anyascii import anyascii
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Rows = list[tuple[int, dict[str, str]]]


@dataclass
class Table:
    """The rows of a file and the headers as the file writes them (errors name the column the officer sees)."""

    filename: str
    rows: Rows
    headers: dict[str, str]

    def error(self, row: int | None, key: str, message: str) -> RowError:
        return RowError(self.filename, row, self.headers.get(key, key), message)


def max_bytes() -> int:
    """The largest onboarding file read: a platform setting, 20 MB by default."""
    return int(getattr(settings, "CARENET_ONBOARDING_MAX_BYTES", 20_000_000))


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # the column's name in the reader's language (lazy)
    aliases: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class RowError:
    """One refused value: the file, its row (None: the whole file) and column, and why."""

    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None and not self.column:
            return _("%(file)s: %(message)s") % {"file": self.file, "message": self.message}
        if self.row is None:
            return _("%(file)s, column “%(column)s”: %(message)s") % {
                "file": self.file,
                "column": self.column,
                "message": self.message,
            }
        return _("%(file)s, row %(row)s, column “%(column)s”: %(message)s") % {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class OnboardingRefused(ValidationError):
    """A file (or the whole onboarding) is refused; nothing of it was saved. ``errors`` keeps the RowErrors."""

    def __init__(self, errors: Sequence[RowError | str]) -> None:
        self.errors = list(errors)
        super().__init__([str(e) for e in errors])


def normalise_header(text: Any) -> str:
    return re.sub(r"[^a-z0-9]+", " ", anyascii(str(text or "")).lower()).strip()


def content_of(file: Any) -> bytes:
    """Bytes of an upload, an open file or bytes."""
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1250"):  # Excel "CSV" in Romania is often Windows-1250
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_table(*, file: Any, filename: str, columns: tuple[Column, ...]) -> Table:
    """The data rows of a CSV or XLSX file as {column key: text}, numbered as in the spreadsheet.

    Refuses (naming the file) an unknown format, an unreadable file, a missing required column or a header
    naming no known column twice."""
    content = content_of(file)
    if len(content) > max_bytes():
        raise OnboardingRefused(
            [
                RowError(
                    filename,
                    None,
                    "",
                    _("The file is too large: %(size)s MB; at most %(limit)s MB are read.")
                    % {"size": round(len(content) / 1_000_000, 1), "limit": round(max_bytes() / 1_000_000, 1)},
                )
            ]
        )
    lower = filename.lower()
    try:
        if lower.endswith(".csv"):
            grid = _csv_rows(content)
        elif lower.endswith((".xlsx", ".xlsm")):
            grid = _xlsx_rows(content)
        else:
            raise OnboardingRefused([RowError(filename, None, "", _("Give a CSV or XLSX file."))])
    except OnboardingRefused:
        raise
    except Exception as exc:  # a damaged file: any parser error is the file's fault, said once
        raise OnboardingRefused(
            [RowError(filename, None, "", _("The file cannot be read: %(error)s") % {"error": str(exc)[:200]})]
        ) from exc
    if not grid:
        raise OnboardingRefused([RowError(filename, None, "", _("The file is empty."))])
    by_alias = {normalise_header(a): c for c in columns for a in (c.key, *c.aliases)}
    found: dict[int, Column] = {}
    errors: list[RowError] = []
    for index, header in enumerate(grid[0]):
        column = by_alias.get(normalise_header(header))
        if column is None:
            continue
        if column in found.values():
            errors.append(RowError(filename, 1, header, _("This column appears twice.")))
        found[index] = column
    for column in columns:
        if column.required and column not in found.values():
            errors.append(RowError(filename, None, str(column.label), _("This column is missing.")))
    if errors:
        raise OnboardingRefused(errors)
    headers = {c.key: str(c.label) for c in columns}
    headers.update({column.key: str(grid[0][index]) for index, column in found.items()})
    rows: Rows = []
    for number, values in enumerate(grid[1:], start=2):
        if not any(values):
            continue
        row = {c.key: "" for c in columns}
        for index, column in found.items():
            row[column.key] = values[index] if index < len(values) else ""
        rows.append((number, row))
    return Table(filename=filename, rows=rows, headers=headers)

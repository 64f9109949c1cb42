"""The one path every table export takes: CSV (UTF-8 with BOM) or XLSX, formula-safe, audited, streamed.

Every download of a table in CareNet — persons, cases, dashboards, KPIs, surveys, open data — is built
here, so three rules hold everywhere at once:

* **Formula injection**: a text cell that a spreadsheet would run (starting with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return) is written with a leading apostrophe, so ``=HYPERLINK(...)`` typed as a name
  is shown as text. Numbers, dates and booleans are written as they are.
* **Audit**: the export is an audit event (who, what, how many rows, which subjects) written before the
  first byte leaves. Only aggregated, suppressed public statistics may pass ``audited=False``.
* **Size**: CSV is streamed row by row; XLSX is written in openpyxl's write-only mode (constant memory).
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.encoding import force_str
from django.utils.functional import Promise

ExportFormat = Literal["csv", "xlsx"]
FORMATS: tuple[str, ...] = ("csv", "xlsx")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# OWASP's list: the characters that make a spreadsheet cell a formula or a DDE command.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# How many subject ids an audit event lists before it says only how many there were.
AUDIT_SUBJECT_IDS_MAX = 5000


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet shows and never runs."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | decimal.Decimal | datetime.date | datetime.datetime):
        return value
    text = force_str(value) if isinstance(value, Promise) else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in row]


class _Echo:
    """A file-like object whose ``write`` hands the line back (csv.writer into a streaming response)."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # spreadsheet programs then read the diacritics right
    yield writer.writerow(_safe_row(header))
    for row in rows:
        yield writer.writerow(_safe_row(row))


def _xlsx_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    bold = Font(bold=True)
    header_cells = []
    for value in _safe_row(header):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(v) for v in _safe_row(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    # openpyxl refuses time-zone-aware datetimes; the export shows local wall-clock time.
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _sheet_title(title: str) -> str:
    # Excel's rules: at most 31 characters, none of []:*?/\
    cleaned = "".join(ch for ch in force_str(title) if ch not in "[]:*?/\\").strip()
    return cleaned[:31] or "data"


def _content_disposition(filename: str, fmt: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in filename) or "export"
    return f'attachment; filename="{safe}.{fmt}"'


def export_table(
    *,
    actor: Any,
    municipality: Any,
    what: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    filename: str,
    title: str = "",
    purpose: str = "",
    count: int | None = None,
    subject_ids: Iterable[Any] | None = None,
    audited: bool = True,
) -> HttpResponseBase:
    """The download of one table, in ``fmt`` ("csv" or "xlsx"; anything else is a 404).

    ``what`` names the table in the audit log (``"people.person"``, ``"dashboard.kpis"``); ``subject_ids``
    lists the persons (or records) whose data leaves, for the audit event. ``count`` is needed only when
    ``rows`` is an iterator (the audit event is written before streaming starts).
    """
    if fmt not in FORMATS:
        raise Http404
    if count is None:
        if not isinstance(rows, Sequence):
            rows = list(rows)
        count = len(rows)
    if audited:
        _audit(
            actor=actor,
            municipality=municipality,
            what=what,
            fmt=fmt,
            count=count,
            purpose=purpose,
            subject_ids=subject_ids,
        )
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            _csv_lines(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(_xlsx_bytes(header, rows, title=title or what), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = _content_disposition(filename, fmt)
    response["Cache-Control"] = "no-store" if audited else "public, max-age=300"
    return response


def export_document(
    *,
    actor: Any,
    municipality: Any,
    what: str,
    html: str,
    filename: str,
    fmt: str = "pdf",
    title: str = "",
    purpose: str = "",
    subject_ids: Iterable[Any] | None = None,
) -> HttpResponse:
    """One official document (core.documents: an HTML text filled from a record) as PDF or DOCX, audited
    before the first byte leaves; ``fmt`` other than "pdf"/"docx" is a 404."""
    from .documents import CONTENT_TYPES, DOCUMENT_FORMATS, render_document

    if fmt not in DOCUMENT_FORMATS:
        raise Http404
    content = render_document(html, fmt=fmt, title=title)
    ids = list(subject_ids) if subject_ids is not None else None
    _audit(
        actor=actor,
        municipality=municipality,
        what=what,
        fmt=fmt,
        count=1,
        purpose=purpose,
        subject_ids=ids,
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = _content_disposition(filename, fmt)
    response["Cache-Control"] = "no-store"
    return response


ExportAuditor = Callable[..., Any]
_auditors: list[ExportAuditor] = []


def register_export_auditor(auditor: ExportAuditor) -> None:
    """The audit app (a layer above core) registers the function that records exports, once, at start-up."""
    if auditor not in _auditors:
        _auditors.append(auditor)


def _audit(
    *,
    actor: Any,
    municipality: Any,
    what: str,
    fmt: str,
    count: int,
    purpose: str,
    subject_ids: Iterable[Any] | None,
) -> None:
    if not _auditors:
        # Never export unaudited because an app was left out of INSTALLED_APPS.
        raise ImproperlyConfigured("No export auditor registered: is carenet.audit installed?")
    ids = [str(i) for i in subject_ids] if subject_ids is not None else None
    _auditors[0](
        actor=actor,
        municipality=municipality,
        what=f"{what}.{fmt}",
        rows=count,
        purpose=purpose,
        subject_ids=ids[:AUDIT_SUBJECT_IDS_MAX] if ids is not None else None,
    )

"""Lay the annual report out as DOCX (editable, for the council's secretariat), PDF and XLSX."""

from __future__ import annotations

import base64
import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .annual_report import Report, _fmt, objective_chart, status_chart


def to_docx(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.add_heading(report.plan.title, level=0)
    doc.add_paragraph(report.title)
    doc.add_heading(_("Summary"), level=1)
    doc.add_paragraph(
        _("Indicators with data: %(reported)s of %(total)s.")
        % {"reported": report.indicators_reported, "total": report.indicators_total}
    )
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = _("Status"), _("Actions")
    for label, n in report.status_counts.items():
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, str(n)
    doc.add_picture(io.BytesIO(status_chart(report)), width=Cm(14))
    doc.add_picture(io.BytesIO(objective_chart(report)), width=Cm(14))
    doc.add_heading(_("Budget by funding source"), level=2)
    _budget_table(doc, report)
    for section in report.sections:
        doc.add_heading(f"{section.objective.code}. {section.objective.title}", level=1)
        for text in section.specific:
            doc.add_paragraph(text, style="List Bullet")
        for row in section.actions:
            doc.add_heading(f"{row.action.code} {row.action.title}", level=2)
            doc.add_paragraph(
                f"{_('Status')}: {row.status_label} · {_('Responsible')}: {row.responsible} · "
                f"{_('Term')}: {row.action.term}"
            )
            if row.action.progress_note:
                doc.add_paragraph(row.action.progress_note)
            _indicator_table(doc, report, row.indicators)
            if row.budget:
                t = doc.add_table(rows=1, cols=4)
                t.style = "Table Grid"
                for cell, text in zip(
                    t.rows[0].cells, [_("Funding source"), _("As written"), _("Planned"), _("Executed")], strict=True
                ):
                    cell.text = text
                for source, written, planned, executed in row.budget:
                    cells = t.add_row().cells
                    cells[0].text, cells[1].text, cells[2].text, cells[3].text = (
                        source,
                        written,
                        _fmt(planned),
                        _fmt(executed),
                    )
        if section.kpis:
            _indicator_table(doc, report, section.kpis)
    if report.kpis:
        doc.add_heading(_("Key performance indicators"), level=1)
        _indicator_table(doc, report, report.kpis)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _indicator_table(doc, report: Report, rows) -> None:
    if not rows:
        return
    periods = [p.code for p in report.periods]
    t = doc.add_table(rows=1, cols=2 + len(periods))
    t.style = "Table Grid"
    header = [_("Indicator"), _("Target"), *periods]
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        cell.text = text
    for r in rows:
        cells = t.add_row().cells
        cells[0].text = f"{r.indicator.code} {r.indicator.text}"
        cells[1].text = r.target or "—"
        for i, code in enumerate(periods):
            cells[2 + i].text = r.values[code]
    for r in rows:
        if r.table:
            doc.add_paragraph(f"{_('Breakdown')} {r.indicator.code} ({report.periods[-1].code})")
            sub = doc.add_table(rows=1, cols=1 + len(r.table["columns"]))
            sub.style = "Table Grid"
            for cell, text in zip(sub.rows[0].cells, ["", *r.table["columns"]], strict=True):
                cell.text = text
            for label, values in r.table["rows"]:
                for cell, text in zip(sub.add_row().cells, [label, *values], strict=True):
                    cell.text = text


def _budget_table(doc, report: Report) -> None:
    t = doc.add_table(rows=1, cols=3)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, [_("Funding source"), _("Planned"), _("Executed")], strict=True):
        cell.text = text
    for name, planned, executed in report.budget_by_source:
        cells = t.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = name, _fmt(planned), _fmt(executed)


def to_html(report: Report) -> str:
    charts = [
        base64.b64encode(status_chart(report)).decode(),
        base64.b64encode(objective_chart(report)).decode(),
    ]
    return render_to_string("reports/report.html", {"report": report, "charts": charts})


def to_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(report)).write_pdf()


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Indicators")[:31]
    periods = [p.code for p in report.periods]
    ws.append([_("Objective"), _("Action"), _("Indicator"), _("Type"), _("Target"), *periods])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for section in report.sections:
        for row in section.actions:
            for r in row.indicators:
                ws.append(
                    [
                        section.objective.code,
                        row.action.code,
                        f"{r.indicator.code} {r.indicator.text}",
                        r.indicator.get_kind_display(),
                        r.target,
                        *[r.values[c] for c in periods],
                    ]
                )
        for r in section.kpis:
            ws.append(
                [
                    section.objective.code,
                    "",
                    r.indicator.text,
                    r.indicator.get_kind_display(),
                    r.target,
                    *[r.values[c] for c in periods],
                ]
            )
    for r in report.kpis:
        ws.append(
            [
                "",
                "",
                f"{r.indicator.code} {r.indicator.text}",
                r.indicator.get_kind_display(),
                r.target,
                *[r.values[c] for c in periods],
            ]
        )
    actions = wb.create_sheet(_("Actions")[:31])
    actions.append([_("Action"), _("Title"), _("Responsible"), _("Term"), _("Status"), _("Progress note")])
    for section in report.sections:
        for row in section.actions:
            actions.append(
                [
                    row.action.code,
                    row.action.title,
                    row.responsible,
                    row.action.term,
                    row.status_label,
                    row.action.progress_note,
                ]
            )
    budget = wb.create_sheet(_("Budget")[:31])
    budget.append([_("Action"), _("Funding source"), _("As written"), _("Planned"), _("Executed")])
    for section in report.sections:
        for row in section.actions:
            for source, written, planned, executed in row.budget:
                budget.append(
                    [
                        row.action.code,
                        source,
                        written,
                        float(planned) if planned is not None else None,
                        float(executed) if executed is not None else None,
                    ]
                )
    cells = wb.create_sheet(_("Breakdown")[:31])
    cells.append([_("Indicator"), _("Cell"), report.periods[-1].code])
    for section in report.sections:
        for row in section.actions:
            for r in row.indicators:
                for label, value in r.breakdown:
                    cells.append([r.indicator.code, label, float(value) if value is not None else None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

"""The canteen's documents: the decision (DOCX, editable; PDF), the nominal list, the statement, the printable
meal cards with their QR code, the signature sheet of aid in kind. Tables go through ``core.exports``; the
documents here are audited by the view that serves them (``audit_record``), as ``core.exports`` does."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .eligibility import percent, reason_text
from .models import Decision, Outcome

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as inline SVG (the card's number: the counter's camera reads it)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def decision_context(decision: Decision, *, category_name: str, refusal_label: str) -> dict[str, Any]:
    application = decision.application
    return {
        "decision": decision,
        "application": application,
        "person": decision.person,
        "approved": decision.outcome == Outcome.APPROVED,
        "category_name": category_name,
        "refusal_label": refusal_label,
        "reasons": [reason_text(r) for r in decision.reasons],
    }


def decision_docx(context: dict[str, Any]) -> bytes:
    from docx import Document

    decision = context["decision"]
    person = context["person"]
    doc = Document()
    doc.add_heading(
        _("Decision no. %(number)s of %(date)s") % {"number": decision.number, "date": decision.decided_on}, 0
    )
    doc.add_paragraph(
        _("On the application no. %(number)s received on %(date)s from %(name)s.")
        % {
            "number": context["application"].number,
            "date": context["application"].received_on,
            "name": f"{person.last_name} {person.first_name}",
        }
    )
    if context["approved"]:
        doc.add_paragraph(_("The application is APPROVED."))
        doc.add_paragraph(_("Category: %(category)s") % {"category": context["category_name"]})
        doc.add_paragraph(_("Period: %(start)s – %(end)s") % {"start": decision.valid_from, "end": decision.valid_to})
        meals = [str(m) for m, on in ((_("lunch"), decision.lunch), (_("dinner"), decision.dinner)) if on]
        doc.add_paragraph(_("Meals: %(meals)s") % {"meals": ", ".join(meals)})
        if decision.home_delivery:
            doc.add_paragraph(_("Delivered at home."))
        if decision.unit_id:
            doc.add_paragraph(_("Canteen unit: %(unit)s") % {"unit": decision.unit.name})
        if decision.contribution_rate:
            doc.add_paragraph(
                _("Contribution: %(rate)s %% of the income per person, never more than the cost of the meals served.")
                % {"rate": percent(decision.contribution_rate)}
            )
        else:
            doc.add_paragraph(_("No contribution is due."))
    else:
        doc.add_paragraph(_("The application is REFUSED."))
        doc.add_paragraph(_("Legal reason: %(reason)s") % {"reason": context["refusal_label"]})
    doc.add_heading(_("Grounds"), level=1)
    for text in context["reasons"]:
        doc.add_paragraph(text, style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def decision_pdf(context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string("canteen/print/decision.html", context))

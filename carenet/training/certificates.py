"""The certificate as a PDF (WeasyPrint, as the annual report and the subject-access export), with the
verification code and the public page that checks it. Every download is an audit event."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from carenet.audit.services import audit_record

from .models import Certificate


def certificate_html(*, certificate: Certificate, verify_url: str) -> str:
    enrolment = certificate.enrolment
    return render_to_string(
        "training/certificate_pdf.html",
        {
            "certificate": certificate,
            "holder": enrolment.display_name,
            "course": enrolment.course,
            "verify_url": verify_url,
        },
    )


def certificate_pdf(*, actor: Any, certificate: Certificate, verify_url: str) -> bytes:
    """In Romanian for Baia Mare, the municipality's first official language elsewhere."""
    from weasyprint import HTML

    municipality = certificate.enrolment.municipality
    language = (municipality.official_languages or ["ro"])[0]
    with translation.override(language):
        html = certificate_html(certificate=certificate, verify_url=verify_url)
    audit_record(
        action="training.certificate.download",
        actor=actor,
        obj=certificate.enrolment,
        object_label=certificate.code,
    )
    return HTML(string=html).write_pdf()

"""Pages of the reports: start a plan's annual report, follow its job, download its files, DHIS2 exports.

Thin: one fetch-and-check helper (``permissions``), one service or selector, render.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from carenet.audit.services import audit_export
from carenet.core.access import requires

from . import dhis2
from .permissions import plan_for_report, report_job_for
from .selectors import CONTENT_TYPES, report_job_file, report_job_files, report_languages, report_periods
from .services import report_job_start


@requires()
def report_start(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = plan_for_report(request.user, plan_id)
    context = {
        "plan": plan,
        "periods": report_periods(plan=plan),
        "selected": request.GET.get("period", ""),
        "report_languages": report_languages(plan=plan),
    }
    if request.method == "POST":
        try:
            job = report_job_start(
                actor=request.user,
                plan=plan,
                period=request.POST.get("period", ""),
                final=request.POST.get("final") == "1",
                language=request.POST.get("language", ""),
            )
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            return render(request, "reports/report_start.html", context, status=400)
        return redirect("reports:report_job", job_id=job.pk)
    return render(request, "reports/report_start.html", context)


@requires()
def report_job(request: HttpRequest, job_id: str) -> HttpResponse:
    job, _plan = report_job_for(request.user, job_id)
    return render(
        request,
        "reports/report_job.html",
        {"job": job, "files": report_job_files(job=job), "done": job.status in ("done", "failed")},
    )


@requires()
def report_download(request: HttpRequest, job_id: str, ext: str) -> FileResponse:
    job, plan = report_job_for(request.user, job_id)
    name = report_job_file(job=job, ext=ext)
    audit_export(
        actor=request.user, municipality=plan.municipality_id, what=f"plans.report.{ext}", rows=1, purpose=plan.code
    )
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"{plan.code}.{ext}",
        content_type=CONTENT_TYPES[ext],
    )


def _period(request: HttpRequest, plan: Any) -> tuple[str | None, HttpResponse | None]:
    """``?period=``: one of the plan's reporting periods, else a 400 naming it."""
    code = request.GET.get("period") or None
    if code is not None and code not in dhis2.period_codes(plan):
        message = _("Unknown reporting period: %(period)s.") % {"period": code[:40]}
        return None, HttpResponse(
            json.dumps({"errors": [{"field": "period", "message": message}]}, ensure_ascii=False),
            status=400,
            content_type="application/json",
        )
    return code, None


@requires()
def dhis2_json(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = plan_for_report(request.user, plan_id)
    period, refused = _period(request, plan)
    if refused:
        return refused
    payload = dhis2.data_value_set(plan, period)
    audit_export(
        actor=request.user, municipality=plan.municipality_id, what="plans.dhis2", rows=len(payload["dataValues"])
    )
    return HttpResponse(json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json")


@requires()
def dhis2_metadata(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The DHIS2 metadata (data elements, category options and combinations, org units, data set) that a DHIS2
    instance imports before it receives the plan's values."""
    plan = plan_for_report(request.user, plan_id)
    payload = dhis2.metadata(plan)
    audit_export(
        actor=request.user,
        municipality=plan.municipality_id,
        what="plans.dhis2_metadata",
        rows=len(payload["dataElements"]),
    )
    return HttpResponse(json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json")


@requires()
def dhis2_adx(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = plan_for_report(request.user, plan_id)
    period, refused = _period(request, plan)
    if refused:
        return refused
    body = dhis2.adx_xml(plan, period)
    audit_export(
        actor=request.user,
        municipality=plan.municipality_id,
        what="plans.adx",
        rows=body.count(b"<dataValue") if body else 0,
    )
    if body is None:  # ADX has no empty document: nothing to send is "no content", never an invalid file
        return HttpResponse(status=204)
    return HttpResponse(body, content_type="application/adx+xml")

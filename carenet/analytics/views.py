from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from carenet.audit.services import audit_export
from carenet.core.models import BackgroundJob
from carenet.plans.permissions import can_report_plan
from carenet.plans.selectors import plan_get

from . import dhis2
from .tasks import FORMATS, generate_plan_report

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _reportable_plan(request: HttpRequest, plan_id: str):  # type: ignore[no-untyped-def]
    plan = plan_get(request.user, plan_id)  # 404 for another tenant's plan
    if not can_report_plan(request.user, plan):
        raise PermissionDenied
    return plan


@login_required
def report_start(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = _reportable_plan(request, plan_id)
    periods = list(plan.periods.order_by("start_date"))
    if request.method == "POST":
        period = request.POST.get("period", "")
        final = request.POST.get("final") == "1"
        if not final and period not in {p.code for p in periods}:
            return render(request, "analytics/report_start.html", {"plan": plan, "periods": periods, "error": _("Choose a period.")}, status=400)
        language = request.POST.get("language") or translation.get_language() or "ro"
        job = BackgroundJob.objects.create(
            municipality_id=plan.municipality_id,
            kind="plans.annual_report",
            title=_("Implementation report: %(plan)s") % {"plan": plan.title[:200]},
            created_by=request.user,
            params={"plan_id": str(plan.pk), "period": period, "final": final, "language": language},
        )
        generate_plan_report.enqueue(str(job.pk))
        return redirect("analytics:report_job", job_id=job.pk)
    return render(request, "analytics/report_start.html", {"plan": plan, "periods": periods, "selected": request.GET.get("period", "")})


def _job(request: HttpRequest, job_id: str) -> BackgroundJob:
    municipality = getattr(request.user, "municipality", None)
    if municipality is None:
        raise Http404
    return get_object_or_404(BackgroundJob.objects.for_tenant(municipality), pk=job_id, kind="plans.annual_report")


@login_required
def report_job(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _job(request, job_id)
    _reportable_plan(request, job.params["plan_id"])
    return render(request, "analytics/report_job.html", {"job": job, "files": job.result.get("files", {}), "done": job.status in ("done", "failed")})


@login_required
def report_download(request: HttpRequest, job_id: str, ext: str) -> HttpResponse:
    job = _job(request, job_id)
    plan = _reportable_plan(request, job.params["plan_id"])
    name = job.result.get("files", {}).get(ext)
    if ext not in FORMATS or not name:
        raise Http404
    audit_export(actor=request.user, municipality=plan.municipality_id, what=f"plans.report.{ext}", rows=1, purpose=plan.code)
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=f"{plan.code}.{ext}", content_type=CONTENT_TYPES[ext])


@login_required
def dhis2_json(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = _reportable_plan(request, plan_id)
    payload = dhis2.data_value_set(plan, request.GET.get("period") or None)
    audit_export(actor=request.user, municipality=plan.municipality_id, what="plans.dhis2", rows=len(payload["dataValues"]))
    return HttpResponse(json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json")


@login_required
def dhis2_adx(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = _reportable_plan(request, plan_id)
    body = dhis2.adx_xml(plan, request.GET.get("period") or None)
    audit_export(actor=request.user, municipality=plan.municipality_id, what="plans.adx", rows=body.count(b"<dataValue"))
    return HttpResponse(body, content_type="application/adx+xml")

"""Writes of reports: starting the background job that renders a plan's annual report."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from carenet.core.models import BackgroundJob
from carenet.plans.models import Plan
from carenet.plans.permissions import can_report_plan

from .permissions import REPORT_JOB_KIND
from .selectors import report_languages, report_periods


def report_job_start(*, actor: Any, plan: Plan, period: str, final: bool, language: str) -> BackgroundJob:
    """Queue the annual report of ``period`` (or the final evaluation, all periods) in ``language``.

    A language the platform does not speak falls back to the active one. The task is queued once the job's
    row is committed, so a worker never looks for a job that is not there yet.
    """
    if not can_report_plan(actor, plan):
        raise PermissionDenied
    if not final and period not in {p.code for p in report_periods(plan=plan)}:
        raise ValidationError({"period": _("Choose a period.")})
    if language not in {code for code, _name in report_languages(plan=plan)}:
        language = translation.get_language() or "ro"
    from .tasks import generate_plan_report

    with transaction.atomic():
        job = BackgroundJob.objects.create(
            municipality_id=plan.municipality_id,
            kind=REPORT_JOB_KIND,
            title=_("Implementation report: %(plan)s") % {"plan": plan.title[:200]},
            created_by=actor,
            params={"plan_id": str(plan.pk), "period": period, "final": final, "language": language},
        )
        transaction.on_commit(lambda: generate_plan_report.enqueue(str(job.pk)))
    return job

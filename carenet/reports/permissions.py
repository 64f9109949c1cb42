"""Who may produce a plan's reports, as fetch-and-check helpers (``carenet.core.access``).

The rule itself is the plans policy's ``report`` action (the municipality's coordinator). A plan or a
report job of another municipality is a 404 (its existence is not confirmed); a plan the user sees but may
not report on is a 403.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from carenet.core.access import fetch
from carenet.core.models import BackgroundJob
from carenet.plans.models import Plan
from carenet.plans.permissions import can_report_plan, plan_for

REPORT_JOB_KIND = "plans.annual_report"


def plan_for_report(user: Any, plan_id: Any) -> Plan:
    """The plan, if the user sees it (404) and may report on it (403)."""
    return plan_for(user, plan_id, action="report")


def report_job_for(user: Any, job_id: Any) -> tuple[BackgroundJob, Plan]:
    """A report job of the user's municipality (404 otherwise) and its plan, checked like ``plan_for_report``."""
    municipality_id = getattr(user, "municipality_id", None)
    if municipality_id is None:
        raise Http404
    jobs = BackgroundJob.objects.for_tenant(municipality_id).filter(kind=REPORT_JOB_KIND)
    job = fetch(user, jobs, job_id)
    return job, plan_for_report(user, job.params.get("plan_id"))


def can_retry_report(user: Any, job: BackgroundJob) -> bool:
    """Starting a failed report again is starting it: whoever may report the job's plan (core.jobs)."""
    plan = Plan.objects.for_tenant(job.municipality_id).filter(pk=job.params.get("plan_id")).first()
    same_tenant = user.is_authenticated and user.municipality_id == job.municipality_id
    return plan is not None and same_tenant and can_report_plan(user, plan)

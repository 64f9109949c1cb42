"""Reads of the reports pages: the periods and languages a report can be made in, the files of a job."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils import translation

from carenet.core.models import BackgroundJob
from carenet.plans.models import Plan, ReportingPeriod

# The formats a report job renders (tasks.FORMATS) and the type each is served with.
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_periods(*, plan: Plan) -> list[ReportingPeriod]:
    return list(plan.periods.order_by("start_date"))


def report_languages(*, plan: Plan) -> list[tuple[str, str]]:
    """The tenant's official languages first, then the others the platform speaks."""
    codes = list(dict.fromkeys([*plan.municipality.official_languages, *(c for c, _n in settings.LANGUAGES)]))
    return [(c, translation.get_language_info(c)["name_local"]) for c in codes]


def report_job_files(*, job: BackgroundJob) -> dict[str, str]:
    """Format → stored file name, for the formats the job has rendered so far."""
    return dict(job.result.get("files", {}))


def report_job_file(*, job: BackgroundJob, ext: str) -> str:
    """The stored file of one format of a finished job (404 for an unknown or missing format)."""
    name = report_job_files(job=job).get(ext)
    if ext not in CONTENT_TYPES or not name:
        raise Http404
    return name

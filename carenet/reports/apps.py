from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The annual implementation report of a plan (DOCX/PDF/XLSX), its DHIS2 exports and the plans' open data."""

    name = "carenet.reports"
    label = "reports"
    verbose_name = _("Reports")
    # No menu entry: a report is always of one plan and one period, so it is started from the plan's period
    # page (plans/period_detail.html), never from a list of its own.
    nav: list[dict[str, object]] = []

    def ready(self) -> None:
        from carenet.core.jobs import register_job_kind

        from .permissions import REPORT_JOB_KIND, can_retry_report
        from .tasks import generate_plan_report

        register_job_kind(REPORT_JOB_KIND, enqueue=generate_plan_report.enqueue, can_retry=can_retry_report)

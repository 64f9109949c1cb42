"""Scheduled warm-up of the dashboards: the default view of every municipality (this year to date, whole
network) is recomputed in the background, so that the first coordinator of the day does not wait for the
scans of a large delivery log. Listed in CARENET_SCHEDULED_TASKS (run every 15 minutes)."""

from __future__ import annotations

from django_tasks import task

from carenet.core.models import Municipality

from .forms import default_period
from .kpis import KpiFilters
from .selectors import refresh_dashboard_cache


@task()
def warm_dashboards() -> None:
    start, end = default_period()
    for municipality in Municipality.objects.order_by("slug"):
        refresh_dashboard_cache(KpiFilters(municipality=municipality, start=start, end=end), by_provider=True)

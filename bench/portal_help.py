"""Requests for help: cost of one submission (routing + tracking code + audit), of the triage queue's
first page and of the response-time KPI over many requests. BENCH_PORTAL_N sets the volume."""

import os
import time

from django.db import connection
from django.utils import timezone

from bench.results import Result
from carenet.accounts.models import User
from carenet.core.models import Municipality
from carenet.portal import selectors, services
from carenet.portal.models import HelpNeed, HelpRequest

N = int(os.environ.get("BENCH_PORTAL_N", "1000"))


def run() -> list[Result]:
    municipality = Municipality.objects.filter(slug="baia-mare").first()
    coordinator = User.objects.filter(username="baiamare.coordinator").first()
    if municipality is None or coordinator is None:
        return [Result("portal help (needs load_demo)", 0, "", passed=None)]
    needs = HelpNeed.values
    started = time.perf_counter()
    for i in range(N):
        services.help_request_submit(
            municipality=municipality,
            help_for="self",
            need=needs[i % len(needs)],
            contact_name="Bench",
            contact_method="visit",
            consent=True,
            area_text="Bench street",
        )
    submit_ms = (time.perf_counter() - started) / N * 1000
    # Half of them contacted, so the KPI has durations to aggregate.
    ids = list(
        HelpRequest.objects.for_tenant(municipality)
        .filter(first_contact_at__isnull=True)
        .values_list("pk", flat=True)[: N // 2]
    )
    HelpRequest.objects.for_tenant(municipality).filter(pk__in=ids).update(first_contact_at=timezone.now())
    total = HelpRequest.objects.for_tenant(municipality).count()

    started = time.perf_counter()
    for _ in range(20):
        list(selectors.help_queue(user=coordinator)[:50])
    queue_ms = (time.perf_counter() - started) / 20 * 1000

    started = time.perf_counter()
    kpi = selectors.help_response_hours(municipality=municipality, start=None, end=None)
    kpi_ms = (time.perf_counter() - started) * 1000
    code = HelpRequest.objects.for_tenant(municipality).values_list("tracking_code", flat=True).first()
    started = time.perf_counter()
    for _ in range(200):
        selectors.help_request_by_code(municipality, code or "")
    lookup_ms = (time.perf_counter() - started) / 200 * 1000
    vendor = connection.vendor
    return [
        Result(f"help request submit ({vendor})", submit_ms, "ms/request", target="< 50 ms", passed=submit_ms < 50),
        Result(f"triage queue first page, {total} requests", queue_ms, "ms", target="< 200 ms", passed=queue_ms < 200),
        Result(
            f"response-time KPI over {kpi.requests} requests", kpi_ms, "ms", target="< 2000 ms", passed=kpi_ms < 2000
        ),
        Result("tracking code lookup", lookup_ms, "ms", target="< 20 ms", passed=lookup_ms < 20),
    ]

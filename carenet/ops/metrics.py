"""Prometheus metrics in the text exposition format, without a client library.

* request latency per view: a histogram kept in this process (``MetricsMiddleware``) — each worker process
  answers for itself; scrape them all, or run one process per port;
* the background queue: tasks waiting, the age of the oldest, tasks failed (from the database);
* sign-ins and failed sign-ins, and audit events, over the last hour (from the audit log, by its indexes);
* readiness: one gauge per check (1 working, 0 failing).
"""

from __future__ import annotations

import datetime
import threading
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from carenet.audit.models import AuditEvent

from .health import readiness

BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class _Histogram:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
        self.sums: dict[str, float] = defaultdict(float)

    def observe(self, view: str, seconds: float) -> None:
        with self.lock:
            self.counts[view][bisect_left(BUCKETS, seconds)] += 1
            self.sums[view] += seconds

    def lines(self) -> list[str]:
        name = "carenet_http_request_duration_seconds"
        out = [f"# HELP {name} Time to answer a request, by view.", f"# TYPE {name} histogram"]
        with self.lock:
            for view in sorted(self.counts):
                running = 0
                for bound, count in zip((*BUCKETS, float("inf")), self.counts[view], strict=True):
                    running += count
                    le = "+Inf" if bound == float("inf") else repr(bound)
                    out.append(f'{name}_bucket{{view="{view}",le="{le}"}} {running}')
                out.append(f'{name}_sum{{view="{view}"}} {self.sums[view]:.6f}')
                out.append(f'{name}_count{{view="{view}"}} {running}')
        return out


REQUESTS = _Histogram()


class MetricsMiddleware:
    """Times every request by its view's name (the URL pattern's, never the path: no ids in the labels)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        REQUESTS.observe(view.replace('"', ""), time.perf_counter() - start)
        return response


def _gauge(name: str, help_text: str, value: float, labels: str = "") -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name}{labels} {value}"]


def exposition() -> str:
    from axes.models import AccessAttempt
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    lines = REQUESTS.lines()
    waiting = DBTaskResult.objects.filter(status="READY").aggregate(n=Count("id"), oldest=Min("enqueued_at"))
    lines += _gauge("carenet_tasks_waiting", "Background tasks waiting for the worker.", waiting["n"])
    age = (now - waiting["oldest"]).total_seconds() if waiting["oldest"] else 0
    lines += _gauge("carenet_tasks_oldest_waiting_seconds", "Age of the oldest waiting task.", round(age, 1))
    day = now - datetime.timedelta(hours=24)
    failed = DBTaskResult.objects.filter(status="FAILED", finished_at__gte=day).count()
    lines += _gauge("carenet_tasks_failed_24h", "Background tasks failed in the last 24 hours.", failed)
    hour = now - datetime.timedelta(hours=1)
    recent = AuditEvent.objects.filter(created_at__gte=hour)
    by_action = dict(
        recent.filter(action__in=("auth.login", "auth.login_failed"))
        .values_list("action")
        .annotate(n=Count("id"))
        .values_list("action", "n")
    )
    lines += _gauge("carenet_logins_1h", "Sign-ins in the last hour.", by_action.get("auth.login", 0))
    lines += _gauge(
        "carenet_login_failures_1h", "Failed sign-ins in the last hour.", by_action.get("auth.login_failed", 0)
    )
    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).count()
    lines += _gauge("carenet_lockouts", "Sign-in names or addresses locked out now.", locked)
    lines += _gauge("carenet_audit_events_1h", "Audit events written in the last hour.", recent.count())
    lines += ["# HELP carenet_ready A readiness check (1 working, 0 failing).", "# TYPE carenet_ready gauge"]
    lines += [f'carenet_ready{{check="{c.name}"}} {1 if c.ok else 0}' for c in readiness(now)]
    return "\n".join(lines) + "\n"

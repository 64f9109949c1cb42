"""Liveness, readiness and the system page.

* ``/healthz``: the process answers (no database, no cache): a load balancer's liveness probe.
* ``/readyz``: every dependency (database, cache, worker, uploads folder, audit chain verified within a day,
  a backup younger than 26 hours) as JSON; 200 when all pass, 503 otherwise. Names and ages only: no
  personal data, no paths, no versions.
* ``/ops/system/``: the same facts in words, in the reader's language, for the coordinator and the platform
  administrator.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from carenet.core.access import requires
from carenet.core.http import CareNetRequest

from .health import readiness
from .permissions import can_see_system
from .words import check_label, check_text


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    ok = all(c.ok for c in checks)
    body = {
        "status": "ok" if ok else "failing",
        "checks": {c.name: {"ok": c.ok, "status": c.code, "age_seconds": c.age_seconds} for c in checks},
    }
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@requires(can_see_system)
def system(request: CareNetRequest) -> HttpResponse:
    checks = readiness()
    rows = [(c, check_label(c.name), check_text(c)) for c in checks]
    return render(request, "ops/system.html", {"rows": rows, "ok": all(c.ok for c in checks)})

"""Liveness, readiness and the system page.

* ``/healthz``: the process answers (no database, no cache): a load balancer's liveness probe.
* ``/readyz``: every dependency (database, cache, worker, uploads folder, audit chain verified within a day,
  a backup younger than 26 hours) as JSON; 200 when all pass, 503 otherwise. Names and ages only: no
  personal data, no paths, no versions.
* ``/ops/system/``: the same facts in words, in the reader's language, for the coordinator and the platform
  administrator.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

import carenet
from carenet.core.access import requires
from carenet.core.http import CareNetRequest
from carenet.core.middleware import client_ip
from carenet.core.permissions import job_for

from .health import readiness
from .jobs import job_retry
from .metrics import exposition
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


LOCAL = ("127.0.0.1", "::1")


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics: with ``Authorization: Bearer <CARENET_METRICS_TOKEN>``, or, with no token set,
    from this machine only (a scraper on the host). Anyone else is not told it exists. Behind nginx every
    connection comes from this machine too: a request the proxy forwarded (it names its client) is not local."""
    token = getattr(settings, "CARENET_METRICS_TOKEN", "")
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise Http404
    elif client_ip(request) not in LOCAL or any(h in request.META for h in ("HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR")):
        raise Http404
    return HttpResponse(exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")


@never_cache
@requires(can_see_system)
def system(request: CareNetRequest) -> HttpResponse:
    checks = readiness()
    rows = [(c, check_label(c.name), check_text(c)) for c in checks]
    context = {"rows": rows, "ok": all(c.ok for c in checks), "version": carenet.__version__}
    return render(request, "ops/system.html", context)


@login_required
@require_POST
def job_retry_view(request: HttpRequest, job_id: str) -> HttpResponse:
    """Start a failed job's work again (core.jobs): the user's own job (404), if they may still start it (403)."""
    job = job_for(request.user, job_id)
    try:
        again = job_retry(actor=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("core:job", job.pk)
    messages.success(request, _("The work was started again."))
    return redirect("core:job", again.pk)

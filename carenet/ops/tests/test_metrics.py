"""Prometheus metrics: request latency by view (never a path with ids), the background queue, sign-ins,
audit events and readiness; served to this machine, or to whoever holds the token — nobody else."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from carenet.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def room_on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CARENET_MIN_FREE_MB = 1
    settings.CARENET_METRICS_TOKEN = ""


def _value(text: str, line_start: str) -> float:
    match = re.search(rf"^{re.escape(line_start)} (\S+)$", text, re.MULTILINE)
    assert match, f"{line_start} not in the metrics"
    return float(match.group(1))


def test_a_request_is_timed_under_its_views_name_not_its_path(client, baia_mare):
    client.get(f"/{baia_mare.slug}/")
    text = client.get("/metrics").content.decode()
    assert 'carenet_http_request_duration_seconds_count{view="' in text
    assert baia_mare.slug not in re.findall(r'view="([^"]*)"', text)
    assert _value(text, 'carenet_ready{check="database"}') == 1


def test_the_queue_and_the_sign_ins_are_counted(client):
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="carenet.ops.tasks.worker_heartbeat",
        backend_name="default",
        run_after=timezone.now(),
    )
    DBTaskResult.objects.filter().update(enqueued_at=timezone.now() - datetime.timedelta(minutes=5))
    audit_record(action="auth.login_failed", object_label="someone")
    text = client.get("/metrics").content.decode()
    assert _value(text, "carenet_tasks_waiting") == 1
    assert _value(text, "carenet_tasks_oldest_waiting_seconds") == pytest.approx(300, abs=10)
    assert _value(text, "carenet_login_failures_1h") == 1
    assert _value(text, "carenet_audit_events_1h") >= 1


def test_without_a_token_only_this_machine_reads_them():
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 404
    assert Client().get("/metrics").status_code == 200  # the test client is 127.0.0.1


def test_without_a_token_a_request_through_the_proxy_is_not_local(settings):
    """Behind nginx every connection comes from 127.0.0.1: the proxy's headers say whose request it is."""
    settings.CARENET_TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert Client().get("/metrics", HTTP_X_REAL_IP="203.0.113.5").status_code == 404
    assert Client().get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 404
    settings.CARENET_TRUSTED_PROXIES = []
    assert Client().get("/metrics", HTTP_X_REAL_IP="203.0.113.5").status_code == 404


def test_with_a_token_only_its_holder_reads_them(settings):
    settings.CARENET_METRICS_TOKEN = "s3cret-token-for-the-scraper"
    assert Client().get("/metrics").status_code == 404
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    ok = Client(REMOTE_ADDR="10.1.2.3").get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-the-scraper")
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/plain; version=0.0.4")


def test_every_response_carries_its_request_id(client, settings):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]
    # a proxy's id is kept only from a trusted proxy
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")["X-Request-ID"] != "abc-123-def-456"
    settings.CARENET_TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-def-456")["X-Request-ID"] == "abc-123-def-456"

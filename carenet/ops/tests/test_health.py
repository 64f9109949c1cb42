"""Liveness and readiness: /healthz answers while the process runs; /readyz turns red (503) for each failing
dependency — the database down, the cache down, the worker silent, the audit chain not verified within a
day, the last backup older than 26 hours — and green when all pass."""

from __future__ import annotations

import datetime

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from carenet.ops import health, tasks
from carenet.ops.models import BackupRecord, Heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def room_on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CARENET_MIN_FREE_MB = 1


@pytest.fixture
def all_well():
    now = timezone.now()
    Heartbeat.objects.create(name=health.WORKER, at=now - datetime.timedelta(minutes=10))
    Heartbeat.objects.create(name=health.AUDIT_VERIFIED, at=now - datetime.timedelta(hours=3))
    BackupRecord.objects.create(
        started_at=now - datetime.timedelta(hours=5), finished_at=now - datetime.timedelta(hours=5), ok=True
    )


def _ready(client=None):
    response = (client or Client()).get("/readyz")
    return response.status_code, response.json()


def test_healthz_answers_without_the_database(monkeypatch):
    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", _broken)
    response = Client().get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_readyz_is_green_when_everything_passes(all_well):
    status, body = _ready()
    assert status == 200 and body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "uploads", "worker", "audit", "backup"}
    assert body["checks"]["worker"]["age_seconds"] == pytest.approx(600, abs=5)


def _broken(*args, **kwargs):
    raise OperationalError("connection refused")


def test_readyz_is_red_when_the_database_is_down(all_well, monkeypatch):
    monkeypatch.setattr(health, "connection", type("Down", (), {"cursor": staticmethod(_broken)})())
    status, body = _ready()
    assert status == 503
    assert body["checks"]["database"] == {"ok": False, "status": "unreachable", "age_seconds": None}
    assert body["checks"]["worker"]["status"] == "unknown"


def test_readyz_is_red_when_the_cache_is_down(all_well, monkeypatch):
    monkeypatch.setattr(health.cache, "set", _broken)
    status, body = _ready()
    assert status == 503 and body["checks"]["cache"]["ok"] is False


def test_readyz_is_red_when_the_worker_is_silent(all_well):
    Heartbeat.objects.filter(name=health.WORKER).update(at=timezone.now() - datetime.timedelta(hours=2))
    status, body = _ready()
    assert status == 503 and body["checks"]["worker"]["status"] == "stale"


def test_readyz_is_red_when_the_worker_never_ran(all_well):
    Heartbeat.objects.filter(name=health.WORKER).delete()
    assert _ready()[1]["checks"]["worker"]["status"] == "never"


def test_readyz_is_red_when_the_backup_is_stale(all_well):
    BackupRecord.objects.update(finished_at=timezone.now() - datetime.timedelta(hours=27))
    status, body = _ready()
    assert status == 503 and body["checks"]["backup"]["status"] == "stale"


def test_a_failed_backup_does_not_count(all_well):
    BackupRecord.objects.update(ok=False)
    assert _ready()[1]["checks"]["backup"]["status"] == "never"


def test_readyz_is_red_when_the_audit_chain_was_not_verified_within_a_day(all_well):
    Heartbeat.objects.filter(name=health.AUDIT_VERIFIED).update(at=timezone.now() - datetime.timedelta(hours=25))
    status, body = _ready()
    assert status == 503 and body["checks"]["audit"]["status"] == "stale"


def test_readyz_is_red_when_the_uploads_disk_is_full(all_well, settings):
    settings.CARENET_MIN_FREE_MB = 10**12
    assert _ready()[1]["checks"]["uploads"]["status"] == "disk_full"


def test_the_worker_heartbeat_task_records_the_worker(db):
    tasks.worker_heartbeat.call()
    assert Heartbeat.objects.get(name=health.WORKER).at > timezone.now() - datetime.timedelta(minutes=1)


def test_an_intact_audit_chain_is_recorded_once_a_day_and_a_broken_one_never(monkeypatch):
    calls = []

    def intact():
        calls.append(1)
        return 10, []

    monkeypatch.setattr("carenet.audit.verify.verify_chains", intact)
    assert tasks.verify_audit_chain.call() == 0
    assert tasks.verify_audit_chain.call() == 0
    assert len(calls) == 1  # the second run within 20 hours does not recompute
    Heartbeat.objects.all().delete()
    monkeypatch.setattr("carenet.audit.verify.verify_chains", lambda: (10, ["broken link"]))
    assert tasks.verify_audit_chain.call() == 1
    assert not Heartbeat.objects.filter(name=health.AUDIT_VERIFIED).exists()

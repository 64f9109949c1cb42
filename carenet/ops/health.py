"""The readiness checks: each answers ``Check(name, ok, detail, age)`` from what the system records, without
side effects beyond a cache round trip. Thresholds are settings (an installation sets its own)."""

from __future__ import annotations

import datetime
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import BackupRecord, Heartbeat

WORKER = "worker"
AUDIT_VERIFIED = "audit_verified"


@dataclass(frozen=True)
class Check:
    name: str  # database, cache, worker, uploads, audit, backup
    ok: bool
    code: str  # what was found, as a code the pages turn into words
    age_seconds: int | None = None  # for heartbeats and backups: how long ago


def _minutes(name: str, default: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, name, default)))


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return Check("database", False, "unreachable")
    return Check("database", True, "ok")


def check_cache() -> Check:
    key = f"carenet:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception:  # any backend failure: Redis down, a full disk under the file cache
        ok = False
    return Check("cache", ok, "ok" if ok else "unreachable")


def _heartbeat(name: str, *, within: datetime.timedelta, now: datetime.datetime) -> Check:
    try:
        beat = Heartbeat.objects.filter(name=name).first()
    except DatabaseError:
        return Check(name, False, "unknown")
    if beat is None:
        return Check(name, False, "never")
    age = now - beat.at
    return Check(name, age <= within, "ok" if age <= within else "stale", int(age.total_seconds()))


def check_worker(now: datetime.datetime) -> Check:
    """The scheduler enqueues the heartbeat task every 15 minutes and the worker runs it: a silent worker (or
    scheduler) shows here before the reminders stop going out."""
    return _heartbeat(WORKER, within=_minutes("CARENET_WORKER_SILENT_MINUTES", 60), now=now)


def check_audit(now: datetime.datetime) -> Check:
    """The audit chain was recomputed and found intact within the last day."""
    found = _heartbeat(AUDIT_VERIFIED, within=_minutes("CARENET_AUDIT_VERIFY_MAX_MINUTES", 24 * 60), now=now)
    return Check("audit", found.ok, found.code, found.age_seconds)


def check_uploads() -> Check:
    """The uploaded files' folder exists, is writable, and has room left."""
    root = Path(settings.MEDIA_ROOT)
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".readyz-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
        free_mb = shutil.disk_usage(root).free // (1024 * 1024)
    except OSError:
        return Check("uploads", False, "not_writable")
    if free_mb < int(getattr(settings, "CARENET_MIN_FREE_MB", 500)):
        return Check("uploads", False, "disk_full")
    return Check("uploads", True, "ok")


def check_backup(now: datetime.datetime) -> Check:
    """The latest backup that finished well is younger than the limit (26 hours: a nightly backup, with slack)."""
    try:
        latest = BackupRecord.objects.filter(ok=True, finished_at__isnull=False).order_by("-finished_at").first()
    except DatabaseError:
        return Check("backup", False, "unknown")
    if latest is None or latest.finished_at is None:
        return Check("backup", False, "never")
    age = now - latest.finished_at
    ok = age <= _minutes("CARENET_BACKUP_MAX_MINUTES", 26 * 60)
    return Check("backup", ok, "ok" if ok else "stale", int(age.total_seconds()))


def readiness(now: datetime.datetime | None = None) -> list[Check]:
    """Every check, the database first (the others read it)."""
    now = now or timezone.now()
    database = check_database()
    checks = [database, check_cache(), check_uploads()]
    if database.ok:
        checks += [check_worker(now), check_audit(now), check_backup(now)]
    else:
        checks += [Check(name, False, "unknown") for name in (WORKER, "audit", "backup")]
    return checks


def heartbeat(name: str, detail: str = "") -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now(), "detail": detail[:300]})

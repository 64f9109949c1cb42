"""What the health checks read: heartbeats (the worker ran a task, the audit chain was verified) and the
record of each backup. Platform rows, not a municipality's: on Citus they are reference tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.ids import uuid7


class Heartbeat(models.Model):
    """The last time something that must keep happening happened ("worker", "audit_verified")."""

    name = models.CharField(max_length=40, unique=True)
    at = models.DateTimeField()
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M}"


class BackupRecord(models.Model):
    """One backup (database and uploaded files in one encrypted archive), written by ``manage.py backup``."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    path = models.CharField(max_length=500, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    recipient = models.CharField(max_length=200, blank=True)  # the public key it is encrypted to
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("backup")
        verbose_name_plural = _("backups")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'failed'}"

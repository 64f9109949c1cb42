"""Background work of the audit log."""

from __future__ import annotations

from django_tasks import task


@task()
def make_audit_checkpoints() -> int:
    """Daily (the scheduler enqueues it every 15 minutes; it signs each chain once a UTC day)."""
    from .services import audit_checkpoint_make

    return len(audit_checkpoint_make())

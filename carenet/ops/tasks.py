"""Scheduled work of operations: the worker's heartbeat (proves the scheduler enqueues and the worker runs),
the daily verification of the audit chain (readiness reads both), and the background jobs whose process died
marked interrupted (core.jobs)."""

from django_tasks import task

from .health import AUDIT_VERIFIED, WORKER, heartbeat


@task()
def worker_heartbeat() -> None:
    heartbeat(WORKER)


@task()
def verify_audit_chain() -> int:
    """Recompute the audit chains once a day (the scheduler enqueues it every 15 minutes); an intact log is
    recorded, a broken one is not, and readiness turns red the next day."""
    import datetime

    from django.utils import timezone

    from carenet.audit.verify import verify_chains

    from .models import Heartbeat

    last = Heartbeat.objects.filter(name=AUDIT_VERIFIED).values_list("at", flat=True).first()
    if last is not None and timezone.now() - last < datetime.timedelta(hours=20):
        return 0
    checked, broken = verify_chains()
    if not broken:
        heartbeat(AUDIT_VERIFIED, detail=f"{checked} events")
    return len(broken)


@task()
def reap_interrupted_jobs() -> int:
    from carenet.core.jobs import jobs_reap_interrupted

    return jobs_reap_interrupted()

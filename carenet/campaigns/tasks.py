"""Scheduled and background work of the campaigns: the escalation ladder's clock (persons tried once and never
reached go to a home visit); reaching the register by SMS and voice (a job with its progress, and the
scheduler's run for messages held by quiet hours and calls to try again)."""

from django.utils import timezone
from django_tasks import task

from carenet.core.jobs import job_begin
from carenet.core.models import BackgroundJob, JobStatus

from .models import Campaign
from .services import campaigns_escalate_overdue, messages_prepare, messages_send_queued, messages_send_waiting


@task()
def escalate_unreached_persons() -> int:
    return campaigns_escalate_overdue()


@task()
def send_campaign_messages(job_id: str) -> None:
    """Queue one message per person and channel (made once), then send what waits (core.BackgroundJob)."""
    job = BackgroundJob.objects.all_tenants().get(pk=job_id)  # the job row names its tenant
    job_begin(job)
    try:
        campaign = Campaign.objects.for_tenant(job.municipality_id).get(pk=job.params["campaign_id"])
        outreach = messages_prepare(campaign=campaign, actor=job.created_by)
        job.progress = 20
        job.save(update_fields=["progress"])
        report = messages_send_queued(campaign=campaign, job=job)
        job.result = {
            "sms": outreach.sms,
            "voice": outreach.voice,
            "skipped": outreach.skipped,
            "sent": report.sent,
            "failed": report.failed,
            "held": report.held,
        }
        job.status, job.progress = JobStatus.DONE, 100
    except Exception as exc:  # the job page must say it failed, not spin forever
        job.status, job.message = JobStatus.FAILED, str(exc)[:500]
        raise
    finally:
        job.finished_at = timezone.now()
        job.save()


@task()
def send_waiting_messages() -> int:
    return messages_send_waiting()

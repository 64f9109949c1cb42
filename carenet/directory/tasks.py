"""Background work of the directory: freshness reminders to providers; the HSDS feeds: an uploaded package's
import as a job with its progress, the nightly pull of remote sources (a diff for the coordinator), the nightly
push of the municipality's own feed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import send_mail, send_mass_mail
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_tasks import task

from carenet.core.jobs import job_begin
from carenet.core.models import BackgroundJob, JobStatus, Municipality
from carenet.core.roles import Role

from .models import HsdsSource, PushTarget, ReminderLog
from .selectors import stale_services


def _manager_emails(municipality: Municipality, organisation_ids: set[Any]) -> dict[Any, list[str]]:
    from django.apps import apps

    membership = apps.get_model("accounts", "Membership")
    emails: dict[Any, list[str]] = {}
    rows = membership._default_manager.filter(
        municipality=municipality, organisation_id__in=organisation_ids, role=Role.PROVIDER_MANAGER, is_active=True
    ).values_list("organisation_id", "user__email")
    for org_id, email in rows:
        if email:
            emails.setdefault(org_id, []).append(email)
    return emails


def send_freshness_reminders_for(municipality: Municipality) -> int:
    """E-mail the managers of each organisation whose services are overdue; once per due date."""
    stale = stale_services(municipality=municipality)
    if not stale:
        return 0
    emails = _manager_emails(
        municipality, {s.organisation_id for s in stale} | {s.organisation.parent_id for s in stale}
    )
    messages = []
    for service in stale:
        recipients = sorted(
            set(emails.get(service.organisation_id, []) + emails.get(service.organisation.parent_id, []))
        )
        due_on = service.verification_due.date() if service.last_verified_at else service.created_at.date()
        try:
            with transaction.atomic():
                ReminderLog.plain.create(
                    municipality=municipality, service=service, due_on=due_on, recipients=len(recipients)
                )
        except IntegrityError:
            continue  # already reminded for this due date
        if not recipients:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("CareNet: please check the directory record “%(name)s”") % {"name": service.name}
            body = _(
                "The record of the service “%(name)s” (%(organisation)s) has not been verified for longer than "
                "its update frequency of %(days)s days. Please open it in CareNet, correct what has changed and "
                "confirm it is up to date."
            ) % {"name": service.name, "organisation": service.organisation.name, "days": service.update_frequency_days}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return len(messages)


@task()
def send_freshness_reminders(municipality_id: str | None = None) -> int:
    """Nightly: remind providers of overdue directory records (all tenants, or one)."""
    municipalities = Municipality.objects.all()
    if municipality_id:
        municipalities = municipalities.filter(pk=municipality_id)
    return sum(send_freshness_reminders_for(m) for m in municipalities)


# --- the feeds (decision 0024) -------------------------------------------------------------------------------

PULL_EVERY = timedelta(hours=20)  # "nightly": the scheduler runs every 15 minutes; a source is pulled once a day


class _JobProgress:
    """Tells the job's page how far the import is. The rows are written inside one transaction, which other
    connections cannot see until it commits: on PostgreSQL the progress goes through a connection of its own
    (committed at once); elsewhere it is saved in the import's transaction (seen at its end)."""

    def __init__(self, job: BackgroundJob) -> None:
        self.job = job
        self.side = None
        if connection.vendor == "postgresql":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)

    def __call__(self, resource: str, done: int, total: int) -> None:
        from .datapackage.load import LOADERS

        order = [name for name, _load in LOADERS]
        step = order.index(resource) if resource in order else 0
        share = (step + (done / total if total else 1)) / len(order)
        progress = min(95, 30 + int(65 * share))
        message = _("%(resource)s: %(done)s of %(total)s rows") % {
            "resource": resource,
            "done": number_format(done, force_grouping=True),
            "total": number_format(total, force_grouping=True),
        }
        self.set(progress, message)

    def set(self, progress: int, message: str) -> None:
        self.job.progress, self.job.message = progress, message
        if self.side is None or not connection.in_atomic_block:
            self.job.save(update_fields=["progress", "message"])
            return
        table = BackgroundJob._meta.db_table
        try:
            with self.side.cursor() as cursor:
                # Never wait on the import's own lock (a job row written in the same, still open, transaction).
                cursor.execute("SET lock_timeout = '1s'")
                cursor.execute(
                    f"UPDATE {table} SET progress = %s, message = %s, updated_at = %s WHERE id = %s",  # noqa: S608
                    [progress, message, timezone.now(), self.job.pk],
                )
        except DatabaseError:  # progress is a courtesy: the import goes on
            return

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


@task()
def import_hsds_package(job_id: str) -> None:
    """The import of an uploaded package, as a background job: read, check, write (one transaction), with its
    progress per resource; the result (counts, warnings, or the errors) is kept on the job for its page."""
    from .datapackage.load import import_file
    from .permissions import IMPORT_JOB_KIND

    job = BackgroundJob.objects.all_tenants().get(pk=job_id, kind=IMPORT_JOB_KIND)
    job_begin(job)
    progress = _JobProgress(job)
    try:
        with translation.override(job.params.get("language") or "ro"):
            progress.set(10, _("Reading and checking the file"))
            actor = job.created_by
            municipality = Municipality.objects.get(pk=job.municipality_id)
            with default_storage.open(job.params["path"], "rb") as upload:
                report = import_file(
                    actor=actor,
                    municipality=municipality,
                    content=upload,
                    filename=job.params["filename"],
                    progress=progress,
                )
        job.result = {"ok": report.ok, "counts": report.counts, "warnings": report.warnings, "errors": report.errors}
        job.status, job.progress = JobStatus.DONE, 100
        with translation.override(job.params.get("language") or "ro"):
            job.message = (
                _("The package is imported.") if report.ok else _("The file was refused; nothing was imported.")
            )
        default_storage.delete(job.params["path"])
        job.params = {**job.params, "path": ""}
    except Exception as exc:  # the job page must say it failed, not spin forever
        job.status, job.message = JobStatus.FAILED, str(exc)[:500]
        raise
    finally:
        progress.close()
        job.finished_at = timezone.now()
        job.save()


def _due(last: Any, now: Any) -> bool:
    return last is None or now - last >= PULL_EVERY


@task()
def pull_hsds_sources(municipality_id: str | None = None, force: bool = False) -> int:
    """Nightly: pull every source that asks for it, keep the diff for its coordinator, tell them. Returns the
    number of pulls made."""
    from .services import hsds_pull_fetch

    now = timezone.now()
    sources = HsdsSource.objects.all_tenants().filter(pull_enabled=True).exclude(url="")
    if municipality_id:
        sources = sources.filter(municipality_id=municipality_id)
    made = 0
    for source in sources.select_related("municipality"):
        if not force and not _due(source.last_pulled_at, now):
            continue
        pull = hsds_pull_fetch(actor=None, source=source)
        made += 1
        _tell_coordinators(pull)
    return made


def pull_now(source_id: str) -> None:
    """A coordinator's "pull now" (queued, so the page does not wait for the remote server)."""
    pull_source.enqueue(source_id)


@task()
def pull_source(source_id: str) -> None:
    from .services import hsds_pull_fetch

    source = HsdsSource.objects.all_tenants().select_related("municipality").get(pk=source_id)
    _tell_coordinators(hsds_pull_fetch(actor=None, source=source))


def _tell_coordinators(pull: Any) -> None:
    from django.apps import apps

    membership = apps.get_model("accounts", "Membership")
    emails = sorted(
        {
            e
            for e in membership._default_manager.filter(
                municipality_id=pull.municipality_id, role=Role.COORDINATOR, is_active=True
            ).values_list("user__email", flat=True)
            if e
        }
    )
    if not emails:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("CareNet: the feed “%(source)s” was pulled") % {"source": pull.source.name}
        if pull.error:
            body = _("The feed could not be used: %(reason)s") % {"reason": pull.error[:2000]}
        else:
            body = _(
                "%(added)s records added, %(changed)s changed and %(gone)s gone. Open the source's page in CareNet "
                "to check the changes and apply or reject them."
            ) % {k: pull.summary.get(k, 0) for k in ("added", "changed", "gone")}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, emails, fail_silently=True)


@task()
def push_hsds_feeds(municipality_id: str | None = None, force: bool = False) -> int:
    """Nightly: POST each municipality's exported datapackage to its push target; each push is logged."""
    from .services import push_send

    now = timezone.now()
    targets = PushTarget.objects.all_tenants().filter(enabled=True)
    if municipality_id:
        targets = targets.filter(municipality_id=municipality_id)
    sent = 0
    for target in targets.select_related("municipality"):
        if force or _due(target.last_pushed_at, now):
            push_send(target=target)
            sent += 1
    return sent

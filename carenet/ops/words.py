"""The checks in words, for the system page (the JSON of /readyz keeps the codes)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .health import Check


def _age(seconds: int | None) -> str:
    if seconds is None:
        return ""
    hours, minutes = divmod(seconds // 60, 60)
    if hours >= 48:
        days = hours // 24
        return ngettext("%(n)s day ago", "%(n)s days ago", days) % {"n": days}
    if hours:
        return ngettext("%(n)s hour ago", "%(n)s hours ago", hours) % {"n": hours}
    return ngettext("%(n)s minute ago", "%(n)s minutes ago", minutes) % {"n": minutes}


def check_label(name: str) -> str:
    return {
        "database": _("Database"),
        "cache": _("Cache"),
        "uploads": _("Uploaded files"),
        "worker": _("Background worker"),
        "audit": _("Audit log"),
        "backup": _("Backup"),
    }.get(name, _("Check"))


def check_text(check: Check) -> str:
    """What the check found, and what to do when it fails."""
    age = _age(check.age_seconds)
    texts = {
        ("database", "ok"): _("The database answers."),
        ("database", "unreachable"): _(
            "The database does not answer: nothing can be read or saved. Check the PostgreSQL service."
        ),
        ("cache", "ok"): _("The cache answers."),
        ("cache", "unreachable"): _(
            "The cache does not answer: pages are slower and sign-in limits are not kept. Check the Redis service."
        ),
        ("uploads", "ok"): _("The folder of uploaded files is writable and has room."),
        ("uploads", "not_writable"): _("The folder of uploaded files cannot be written: documents cannot be uploaded."),
        ("uploads", "disk_full"): _("The disk of uploaded files is nearly full."),
        ("worker", "ok"): _("The background worker ran a task %(age)s."),
        ("worker", "stale"): _(
            "The background worker last ran a task %(age)s: reminders, imports and reports wait. Check the worker and the scheduler."
        ),
        ("worker", "never"): _("The background worker has never run a task: start the worker and the scheduler."),
        ("audit", "ok"): _("The audit log was verified intact %(age)s."),
        ("audit", "stale"): _("The audit log was last verified %(age)s: the daily check did not run."),
        ("audit", "never"): _(
            "The audit log has not been verified yet (the daily check runs with the scheduler), or it was found broken: run manage.py audit_verify."
        ),
        ("backup", "ok"): _("The last backup finished %(age)s."),
        ("backup", "stale"): _("The last backup finished %(age)s: the nightly backup did not run."),
        ("backup", "never"): _("No backup has been made: run manage.py backup (nightly)."),
    }
    text = texts.get((check.name, check.code))
    if text is None:
        return _("Unknown: the database does not answer.") if check.code == "unknown" else _("Failing.")
    return text % {"age": age} if "%(age)s" in text else text

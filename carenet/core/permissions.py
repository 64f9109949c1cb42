"""Access to core's own records: a user's background jobs (fetch-and-check, docs/architecture.md §3)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .access import fetch
from .models import BackgroundJob
from .policy import ANONYMOUS, actor_of


def jobs_visible_to(user: Any) -> QuerySet[BackgroundJob]:
    """The jobs the user started in their own municipality (a platform administrator has none here)."""
    actor = actor_of(user)
    if actor is ANONYMOUS or actor.municipality_id is None:
        return BackgroundJob.objects.none()
    return BackgroundJob.objects.for_tenant(actor.municipality_id).filter(created_by_id=actor.user.pk)


def job_for(user: Any, job_id: Any) -> BackgroundJob:
    """One of the user's own jobs, or 404 (another user's job is never confirmed to exist)."""
    return fetch(user, jobs_visible_to(user), job_id)

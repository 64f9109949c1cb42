import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import BackgroundJob, Municipality, Organisation
from .permissions import jobs_visible_to


def municipality_list() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name")


def municipality_by_slug(*, slug: str) -> Municipality:
    try:
        return Municipality.objects.get(slug=slug)
    except Municipality.DoesNotExist as exc:
        raise Http404(slug) from exc


def municipality_id_by_slug(*, slug: str) -> Any:
    """The id of the municipality with this slug (404 if none), in plain SQL: read on every answer of the
    public HSDS API, most of which come from its cache and need nothing else of the municipality."""
    from django.db import connections, router

    connection = connections[router.db_for_read(Municipality)]
    table = connection.ops.quote_name(Municipality._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE slug = %s", [slug])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        raise Http404(slug)
    return uuid.UUID(str(row[0]))


def organisations_of_user(*, user: Any) -> QuerySet[Organisation]:
    """The active organisations of the user's municipality they are a member of (none for a platform admin)."""
    if getattr(user, "municipality_id", None) is None:
        return Organisation.objects.none()
    return (
        Organisation.objects.for_tenant(user.municipality_id)
        .filter(is_active=True, memberships__user_id=user.pk)
        .distinct()
        .order_by("name")
    )


def job_list(*, user: Any, limit: int = 10) -> QuerySet[BackgroundJob]:
    """The user's own background jobs, newest first."""
    return jobs_visible_to(user)[:limit]

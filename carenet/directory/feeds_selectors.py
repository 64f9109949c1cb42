"""Reads of the feed pages (decision 0024): the sources, their pulls, a pull's diff as pages of rows, the push
target and its log. Kept apart from ``selectors`` (the directory's search) so the two change independently."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from carenet.core.policy import policy

from .models import HsdsPull, HsdsSource, PushLog, PushTarget

DIFF_PAGE_SIZE = 50
KINDS = ("added", "changed", "gone")


def hsds_sources(*, user: Any) -> QuerySet[HsdsSource]:
    return policy.visible(user, HsdsSource).order_by("name")


def hsds_pulls(*, source: HsdsSource, limit: int = 30) -> list[HsdsPull]:
    return list(HsdsPull.objects.for_tenant(source.municipality_id).filter(source=source).defer("tables")[:limit])


def hsds_pulls_waiting(*, user: Any) -> QuerySet[HsdsPull]:
    return policy.visible(user, HsdsPull).filter(status="pending").select_related("source").defer("tables")


def pull_diff_page(*, pull: HsdsPull, resource: str = "", kind: str = "", page: Any = 1) -> Page:
    """The diff as rows (resource, kind, id, label, fields), ``DIFF_PAGE_SIZE`` a page, optionally one
    resource or one kind only. A changed field is (name, before, after); an added record lists its values."""
    rows: list[dict[str, Any]] = []
    for name, parts in (pull.diff or {}).items():
        if resource and name != resource:
            continue
        for what in KINDS:
            if kind and what != kind:
                continue
            for item in parts.get(what, []):
                fields = item.get("fields", {})
                if what == "changed":
                    shown = [(f, before, after) for f, (before, after) in fields.items()]
                else:
                    shown = [(f, "", value) for f, value in fields.items()]
                rows.append({"resource": name, "kind": what, "id": item["id"], "label": item["label"], "fields": shown})
    return Paginator(rows, DIFF_PAGE_SIZE).get_page(page)


def push_target(*, user: Any) -> PushTarget | None:
    return policy.visible(user, PushTarget).first()


def push_log(*, user: Any, limit: int = 50) -> list[PushLog]:
    return list(policy.visible(user, PushLog).order_by("-created_at")[:limit])

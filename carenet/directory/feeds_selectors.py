"""Reads of the feed pages (decision 0024): the sources, their pulls, a pull's diff as pages of rows, the push
target and its log. Kept apart from ``selectors`` (the directory's search) so the two change independently."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from carenet.core.policy import policy

from .models import HsdsPull, HsdsSource, PushLog, PushTarget

DIFF_PAGE_SIZE = 50
KINDS = ("added", "changed", "gone")
# The HSDS record types and the most common fields as the coordinator reads them; any other field is shown
# under its HSDS column name.
RESOURCE_LABELS = {
    "organization": _("Organisations"),
    "organization_identifier": _("Organisation identifiers"),
    "program": _("Programmes"),
    "service": _("Services"),
    "location": _("Locations"),
    "address": _("Addresses"),
    "accessibility": _("Accessibility"),
    "service_at_location": _("Services at locations"),
    "phone": _("Phones"),
    "contact": _("Contacts"),
    "schedule": _("Schedules"),
    "funding": _("Funding"),
    "service_area": _("Service areas"),
    "required_document": _("Required documents"),
    "language": _("Languages"),
    "cost_option": _("Cost options"),
    "taxonomy": _("Taxonomies"),
    "taxonomy_term": _("Taxonomy terms"),
    "attribute": _("Categories of a record"),
    "carenet_translation": _("Translations"),
}
FIELD_LABELS = {
    "name": _("Name"),
    "alternate_name": _("Alternate name"),
    "description": _("Description"),
    "status": _("Status"),
    "email": _("E-mail"),
    "url": _("Web page"),
    "number": _("Phone number"),
    "organization_id": _("Organisation (id)"),
    "service_id": _("Service (id)"),
    "location_id": _("Location (id)"),
    "address_1": _("Address"),
    "city": _("City"),
    "postal_code": _("Postal code"),
    "latitude": _("Latitude"),
    "longitude": _("Longitude"),
    "application_process": _("How to apply"),
    "eligibility_description": _("Who can use it"),
    "fees_description": _("Fees"),
    "wait_time": _("Waiting time"),
    "assured_date": _("Checked on"),
    "last_modified": _("Last modified"),
}


def resource_label(resource: str) -> str:
    return str(RESOURCE_LABELS.get(resource, resource))


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def hsds_sources(*, user: Any) -> QuerySet[HsdsSource]:
    return policy.visible(user, HsdsSource).order_by("name")


def hsds_pulls(*, source: HsdsSource, limit: int = 30) -> list[HsdsPull]:
    return list(HsdsPull.objects.for_tenant(source.municipality_id).filter(source=source).defer("tables")[:limit])


def hsds_pulls_waiting(*, user: Any) -> QuerySet[HsdsPull]:
    return policy.visible(user, HsdsPull).filter(status="pending").select_related("source").defer("tables")


def _unbroken(*values: str) -> bool:
    """A long value with no space (an address, an id) is shown so that it may break anywhere on a phone."""
    return any(len(v) > 24 and " " not in v for v in values)


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
                    shown = [
                        (field_label(f), before, after, _unbroken(before, after))
                        for f, (before, after) in fields.items()
                    ]
                else:
                    shown = [(field_label(f), "", value, _unbroken(value)) for f, value in fields.items()]
                rows.append(
                    {
                        "resource": name,
                        "resource_label": resource_label(name),
                        "kind": what,
                        "id": item["id"],
                        "label": item["label"],
                        "fields": shown,
                    }
                )
    return Paginator(rows, DIFF_PAGE_SIZE).get_page(page)


def push_target(*, user: Any) -> PushTarget | None:
    return policy.visible(user, PushTarget).first()


def push_log(*, user: Any, limit: int = 50) -> list[PushLog]:
    return list(policy.visible(user, PushLog).order_by("-created_at")[:limit])

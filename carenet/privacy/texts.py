"""Stored codes rendered in the reader's language (grounds of a refusal, lines of a run's report)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .models import RecordKind


def kind_label(kind: str) -> str:
    try:
        return str(RecordKind(kind).label)
    except ValueError:
        return kind


def ground_text(ground: dict[str, Any]) -> str:
    code, p = ground.get("code"), dict(ground.get("params") or {})
    if "kind" in p:
        p["kind"] = kind_label(p["kind"])
    if code == "hold":
        return _("A legal hold since %(since)s: %(reason)s") % p
    if code == "open_case":
        return _("The case %(reference)s is open.") % p
    if code == "no_schedule":
        return _("No retention rule is set for “%(kind)s”: these records are kept until the municipality sets one.") % p
    if code == "retained":
        return _("%(kind)s (%(record)s) must be kept until %(until)s. Ground: %(ground)s") % p
    if code == "archived":
        return _("%(count)s records are archived under the law on archives: kept, read-only. Ground: %(ground)s") % p
    return str(code)

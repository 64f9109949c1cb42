"""The "privacy" panel on a person's page, for coordinators (people shows it without importing privacy)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from carenet.core.policy import policy


def person_privacy_panel(request: Any, person: Any) -> dict[str, Any] | None:
    if not policy.can(request.user, "subject_access", person):
        return None
    return {"title": _("Privacy and the person's rights"), "template": "privacy/_person_panel.html"}

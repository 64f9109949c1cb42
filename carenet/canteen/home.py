"""The canteen's panel on the role home page (core.home): the files due for their periodic re-verification,
for the office's staff who record applications (and the coordinator)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carenet.core.home import HomeItem, HomePanel, register_home_panel

from .permissions import can_record_applications
from .selectors import reverifications_due

SHOWN = 6


def reverification_panel(request: Any) -> HomePanel | None:
    if not can_record_applications(request.user):
        return None
    due = reverifications_due(user=request.user)
    if not due:
        return None  # the panel shows only when there is something to do
    return HomePanel(
        key="canteen-reverify",
        title=_("Canteen files to re-verify"),
        items=[
            HomeItem(
                label=f"{c.decision.person.last_name} {c.decision.person.first_name}",
                url=reverse("canteen:decision_reverify", args=[c.decision.pk]),
                note=_("due on %(day)s") % {"day": date_format(c.due_on, "SHORT_DATE_FORMAT")},
                action=_("Record the check"),
                urgent=c.overdue,
            )
            for c in due[:SHOWN]
        ],
        total=len(due),
        more_url=reverse("canteen:reverifications"),
        more_label=_("All files to re-verify"),
    )


register_home_panel(reverification_panel, order=18)

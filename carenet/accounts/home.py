"""The auditor's panel on the role home page (core.home): unusual reads of persons' records — the
read-volume alerts (``person.read_volume_alert``) of the last 30 days, each a click from the audit log
filtered on that user."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carenet.audit.selectors import AuditFilters, audit_event_list
from carenet.core.home import HomeItem, HomePanel, register_home_panel
from carenet.core.policy import actor_of
from carenet.core.roles import Role

SHOWN = 6
WINDOW_DAYS = 30
ALERT_ACTION = "person.read_volume_alert"


def unusual_reads_panel(request: Any) -> HomePanel | None:
    if not actor_of(request.user).has_role(Role.AUDITOR):
        return None
    since = timezone.localdate() - datetime.timedelta(days=WINDOW_DAYS)
    alerts = list(audit_event_list(user=request.user, filters=AuditFilters(action=ALERT_ACTION, date_from=since))[:200])
    log = reverse("audit:log")
    return HomePanel(
        key="unusual-reads",
        title=_("Unusual reads of persons' records"),
        items=[
            HomeItem(
                label=e.actor_label or "—",
                url=f"{log}?{urlencode({'actor': e.actor_label, 'action': 'person.'})}",
                note=_("%(n)s records read on %(date)s")
                % {
                    "n": (e.changes or {}).get("persons_read", "—"),
                    "date": date_format(timezone.localtime(e.created_at), "SHORT_DATE_FORMAT"),
                },
                action=_("See the reads"),
                urgent=True,
            )
            for e in alerts[:SHOWN]
        ],
        empty=_("No unusual volume of reads in the last 30 days."),
        total=len(alerts),
        more_url=f"{log}?{urlencode({'action': ALERT_ACTION})}",
        more_label=_("All read alerts"),
    )


register_home_panel(unusual_reads_panel, order=8)

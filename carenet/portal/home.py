"""The portal's panels on the role home page (core.home): help requests to pick up (the staff they are
routed to), and for the coordinator the network's alerts — help requests nobody answered in time — and the
freshness of the directory the public finder shows; and the indicator reports past their deadline (the
coordinator sees every body's, a body its own: plans' visibility rule)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carenet.core.home import HomeItem, HomePanel, register_home_panel
from carenet.core.policy import actor_of
from carenet.directory.selectors import stale_services
from carenet.plans.models import SubmissionStatus
from carenet.plans.permissions import submissions_visible_to

from .models import HelpStatus
from .permissions import HANDLING_ROLES
from .selectors import help_queue

SHOWN = 6
# A help request with no first contact after this long is an alert on the coordinator's home page.
FIRST_CONTACT_ALERT = datetime.timedelta(hours=48)


def _waited(since: datetime.datetime) -> str:
    hours = int((timezone.now() - since).total_seconds() // 3600)
    if hours < 48:
        return ngettext("waiting %(n)s hour", "waiting %(n)s hours", hours) % {"n": hours}
    days = hours // 24
    return ngettext("waiting %(n)s day", "waiting %(n)s days", days) % {"n": days}


def help_requests_panel(request: Any) -> HomePanel | None:
    """Requests routed to the user's provider that are not yet taken up, the longest waiting first."""
    actor = actor_of(request.user)
    if actor.is_coordinator or not actor.has_role(*HANDLING_ROLES):
        return None
    waiting = [h for h in help_queue(user=request.user) if h.status in (HelpStatus.RECEIVED, HelpStatus.ASSESSING)]
    return HomePanel(
        key="help-requests",
        title=_("Help requests to pick up"),
        items=[
            HomeItem(
                label=f"{h.tracking_code} · {h.get_need_display()}",
                url=reverse("portal_help:detail", args=[h.pk]),
                note=_waited(h.created_at),
                action=_("Take it up"),
                urgent=h.first_contact_at is None and timezone.now() - h.created_at > FIRST_CONTACT_ALERT,
            )
            for h in waiting[:SHOWN]
        ],
        empty=_("No help request waits for you."),
        total=len(waiting),
        more_url=reverse("portal_help:queue"),
        more_label=_("All help requests"),
    )


def alerts_panel(request: Any) -> HomePanel | None:
    """Coordinator: help requests with no first contact after two days, anywhere in the network."""
    if not actor_of(request.user).is_coordinator:
        return None
    late = timezone.now() - FIRST_CONTACT_ALERT
    waiting = [
        h
        for h in help_queue(user=request.user)
        if h.first_contact_at is None and h.status != HelpStatus.CLOSED and h.created_at < late
    ]
    return HomePanel(
        key="alerts",
        title=_("Alerts: help requests with no answer"),
        items=[
            HomeItem(
                label=f"{h.tracking_code} · {h.get_need_display()}",
                url=reverse("portal_help:detail", args=[h.pk]),
                note=" · ".join(x for x in [str(h.routed_organisation or _("not routed")), _waited(h.created_at)]),
                urgent=True,
            )
            for h in waiting[:SHOWN]
        ],
        empty=_("No help request has waited more than two days."),
        total=len(waiting),
        more_url=reverse("portal_help:queue"),
        more_label=_("All help requests"),
    )


def freshness_panel(request: Any) -> HomePanel | None:
    """Coordinator: services of the directory not verified within their update frequency."""
    actor = actor_of(request.user)
    if not actor.is_coordinator:
        return None
    stale = stale_services(municipality=actor.municipality_id)
    return HomePanel(
        key="freshness",
        title=_("Directory entries to verify"),
        items=[
            HomeItem(
                label=s.name,
                url=reverse("directory:service", args=[s.pk]),
                note=str(s.organisation),
            )
            for s in stale[:SHOWN]
        ],
        empty=_("Every service of the directory is up to date."),
        total=len(stale),
        more_url=reverse("directory:freshness"),
        more_label=_("Freshness of the directory"),
    )


# --- Indicator reports late (plans' records, read through plans' own visibility rule) -------------------
def late_reports_panel(request: Any) -> HomePanel | None:
    actor = actor_of(request.user)
    if actor.is_platform_admin or not actor.grants:
        return None
    late = list(
        submissions_visible_to(request.user)
        .filter(
            status__in=(SubmissionStatus.DRAFT, SubmissionStatus.RETURNED),
            period__deadline__lt=timezone.localdate(),
        )
        .select_related("period__plan", "organisation")
        .order_by("period__deadline", "organisation__name")[:200]
    )
    if not late and not actor.is_coordinator:
        return None  # a body with nothing late sees no empty panel
    return HomePanel(
        key="late-reports",
        title=_("Indicator reports late"),
        items=[
            HomeItem(
                label=f"{s.organisation} · {s.period.code}",
                url=reverse("plans:form", args=[s.pk]),
                note=_("due %(date)s") % {"date": date_format(s.period.deadline, "SHORT_DATE_FORMAT")},
                urgent=True,
            )
            for s in late[:SHOWN]
        ],
        empty=_("Every indicator report is in."),
        total=len(late),
    )


register_home_panel(help_requests_panel, order=18)
register_home_panel(late_reports_panel, order=28)
register_home_panel(alerts_panel, order=30)
register_home_panel(freshness_panel, order=40)

"""The referrals' panels on the role home page (core.home): referrals to pick up (caseworkers and managers
of the receiving provider), referrals overdue (managers), the places of the provider's services (managers),
and referrals stuck across the network (coordinators)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from carenet.core.home import HomeItem, HomePanel, register_home_panel
from carenet.core.policy import actor_of
from carenet.core.roles import Role
from carenet.directory.selectors import service_list

from .models import AWAITING_ANSWER, Urgency
from .permissions import provider_organisations, sees_network_referrals
from .selectors import referrals_overdue, referrals_received

SHOWN = 6


def _due(referral: Any) -> str:
    if referral.respond_by is None:
        return ""
    when = date_format(timezone.localtime(referral.respond_by), "SHORT_DATE_FORMAT")
    return _("answer due %(date)s") % {"date": when}


def incoming_panel(request: Any) -> HomePanel | None:
    """Referrals sent to the user's provider and not yet answered: urgent first, then the oldest deadline."""
    if not provider_organisations(request.user):
        return None
    waiting = [r for r in referrals_received(user=request.user) if r.status in AWAITING_ANSWER]
    now = timezone.now()
    return HomePanel(
        key="incoming-referrals",
        title=_("Referrals to pick up"),
        items=[
            HomeItem(
                label=f"{r.reference} · {r.to_service.name}",
                url=reverse("referrals:detail", args=[r.pk]),
                note=" · ".join(
                    x
                    for x in [
                        r.from_organisation.short_name or r.from_organisation.name,
                        r.get_urgency_display(),
                        _due(r),
                    ]
                    if x
                ),
                action=pgettext("to do", "Answer"),
                urgent=r.urgency != Urgency.ROUTINE or bool(r.respond_by and r.respond_by < now),
            )
            for r in waiting[:SHOWN]
        ],
        empty=_("No referral waits for your answer."),
        total=len(waiting),
        more_url=reverse("referrals:list"),
        more_label=_("All referrals"),
    )


def overdue_panel(request: Any) -> HomePanel | None:
    """Managers: referrals of their provider not answered in time; coordinators: the network's stuck ones."""
    actor = actor_of(request.user)
    network = sees_network_referrals(request.user)
    if not network and not actor.has_role(Role.PROVIDER_MANAGER):
        return None
    overdue = list(referrals_overdue(user=request.user))
    return HomePanel(
        key="overdue-referrals",
        title=_("Referrals stuck without an answer") if network else _("Referrals overdue"),
        items=[
            HomeItem(
                label=f"{r.reference} · {r.to_service.name}",
                url=reverse("referrals:detail", args=[r.pk]),
                note=" · ".join(
                    x
                    for x in [r.to_organisation.short_name or r.to_organisation.name, r.get_status_display(), _due(r)]
                    if x
                ),
                urgent=True,
            )
            for r in overdue[:SHOWN]
        ],
        empty=_("No referral is overdue."),
        total=len(overdue),
        more_url=reverse("referrals:list") + "?list=overdue",
        more_label=_("All referrals"),
    )


def capacity_panel(request: Any) -> HomePanel | None:
    """Managers: the places of their services (none left first), each a click from the service page."""
    if not actor_of(request.user).has_role(Role.PROVIDER_MANAGER):
        return None
    services = [s for s in service_list(user=request.user, mine=True) if s.places_total is not None]
    services.sort(key=lambda s: (s.places_available or 0) / max(s.places_total or 1, 1))
    return HomePanel(
        key="capacity",
        title=_("Places in your services"),
        items=[
            HomeItem(
                label=s.name,
                url=reverse("directory:service", args=[s.pk]),
                note=_("%(free)s free of %(total)s") % {"free": s.places_available or 0, "total": s.places_total},
                urgent=not s.places_available,
            )
            for s in services[:SHOWN]
        ],
        empty=_("No service of yours records its places."),
        total=len(services),
        more_url=reverse("directory:services") + "?mine=1",
        more_label=_("All your services"),
    )


register_home_panel(incoming_panel, order=16)
register_home_panel(overdue_panel, order=22)
register_home_panel(capacity_panel, order=26)

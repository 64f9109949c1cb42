"""The housing panel of the role home page (core.home): on a declared cold night, the user's clients found
homeless who have no bed tonight, each one click from their case, and the whole outreach list."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from carenet.core.home import HomeItem, HomePanel, register_home_panel
from carenet.core.policy import actor_of
from carenet.people.services import persons_read_record

from .permissions import can_see_outreach
from .selectors import cold_night_outreach, is_cold_night

SHOWN = 6


def cold_night_panel(request: Any) -> HomePanel | None:
    if not can_see_outreach(request.user):
        return None
    today = datetime.date.today()
    if not is_cold_night(municipality=actor_of(request.user).municipality_id, on=today):
        return None
    cases = list(cold_night_outreach(user=request.user, on=today)[:200])
    if cases:  # the panel names persons: the read is audited like any list of persons
        persons_read_record(actor=request.user, person_ids=[c.person_id for c in cases[:SHOWN]], what="housing.home")
    return HomePanel(
        key="cold-night",
        title=_("Cold night: clients without a bed tonight"),
        items=[
            HomeItem(
                label=f"{c.person.last_name} {c.person.first_name}",
                url=reverse("cases:detail", args=[c.pk]),
                note=c.person.phone or _("no phone recorded"),
                action=_("Open the case"),
                urgent=True,
            )
            for c in cases[:SHOWN]
        ],
        empty=_("None of your clients is without a bed tonight."),
        total=len(cases),
        more_url=reverse("housing:outreach"),
        more_label=_("The outreach list"),
    )


register_home_panel(cold_night_panel, order=4)

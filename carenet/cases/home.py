"""The cases' panels on the role home page (core.home): a caseworker's caseload, overdue monitoring visits
and tasks due; a supervisor's approvals waiting and the team's overdue visits."""

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
from carenet.core.roles import Role

from .permissions import supervised_organisations
from .selectors import approvals_waiting, my_cases, my_duties, my_tasks, supervisor_overdue_duties

SHOWN = 6  # items a panel lists before "see all"
TASK_HORIZON_DAYS = 7


def _late(days: int) -> str:
    return ngettext("%(days)s day late", "%(days)s days late", days) % {"days": days}


def _is_caseworker(request: Any) -> bool:
    return actor_of(request.user).has_role(Role.CASEWORKER)


def caseload_panel(request: Any) -> HomePanel | None:
    if not _is_caseworker(request):
        return None
    cases = list(my_cases(user=request.user, limit=SHOWN))
    return HomePanel(
        key="caseload",
        title=_("My caseload"),
        items=[
            HomeItem(
                label=f"{c.reference} · {c.person.full_name}",
                url=reverse("cases:detail", args=[c.pk]),
                note=c.get_status_display(),
            )
            for c in cases
        ],
        empty=_("No open case is assigned to you."),
        total=my_cases(user=request.user, limit=10_000).count(),
        more_url=reverse("cases:workspace"),
        more_label=_("All my cases and duties"),
    )


def overdue_visits_panel(request: Any) -> HomePanel | None:
    if not _is_caseworker(request):
        return None
    today = timezone.localdate()
    duties = [d for d in my_duties(user=request.user, within_days=0, limit=50) if d.next_due_on < today]
    return HomePanel(
        key="overdue-visits",
        title=_("Monitoring visits overdue"),
        items=[
            HomeItem(
                label=d.case.person.full_name,
                url=reverse("cases:visit_add", args=[d.case_id, d.pk]),
                note=f"{d.get_kind_display()} · {_late((today - d.next_due_on).days)}",
                action=_("Record the visit"),
                urgent=True,
            )
            for d in duties[:SHOWN]
        ],
        empty=_("No monitoring visit is overdue."),
        total=len(duties),
        more_url=reverse("cases:workspace"),
        more_label=_("All my duties"),
    )


def tasks_due_panel(request: Any) -> HomePanel | None:
    if not _is_caseworker(request):
        return None
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=TASK_HORIZON_DAYS)
    tasks = [t for t in my_tasks(user=request.user, limit=50) if t.due_on <= horizon]
    return HomePanel(
        key="tasks",
        title=_("Tasks due this week"),
        items=[
            HomeItem(
                label=t.title,
                url=reverse("cases:detail", args=[t.case_id]) + "#tasks-heading",
                note=f"{t.case.person.full_name} · {date_format(t.due_on, 'SHORT_DATE_FORMAT')}",
                action=_("Open the case"),
                urgent=t.due_on < today,
            )
            for t in tasks[:SHOWN]
        ],
        empty=_("No task is due this week."),
        total=len(tasks),
    )


def approvals_panel(request: Any) -> HomePanel | None:
    if not supervised_organisations(request.user):
        return None
    waiting = approvals_waiting(user=request.user)
    items = [
        HomeItem(
            label=p.case.person.full_name,
            url=reverse("cases:detail", args=[p.case_id]) + "#plan-heading",
            note=_("Intervention plan of %(case)s") % {"case": p.case.reference},
            action=_("Review the plan"),
        )
        for p in waiting["plans"]
    ] + [
        HomeItem(
            label=c.person.full_name,
            url=reverse("cases:detail", args=[c.pk]) + "#closure-approval",
            note=_("Closure of %(case)s") % {"case": c.reference},
            action=_("Review the closure"),
        )
        for c in waiting["closures"]
    ]
    return HomePanel(
        key="approvals",
        title=_("Waiting for your approval"),
        items=items[:SHOWN],
        empty=_("Nothing waits for your approval."),
        total=len(items),
        more_url=reverse("cases:workspace"),
        more_label=_("All approvals"),
    )


def team_overdue_panel(request: Any) -> HomePanel | None:
    if not supervised_organisations(request.user):
        return None
    today = timezone.localdate()
    duties = list(supervisor_overdue_duties(user=request.user, limit=100))
    return HomePanel(
        key="team-overdue",
        title=_("Your team's overdue visits"),
        items=[
            HomeItem(
                label=d.case.person.full_name,
                url=reverse("cases:detail", args=[d.case_id]) + "#duties-heading",
                note=" · ".join(
                    x
                    for x in [
                        d.responsible.get_full_name() if d.responsible else "",
                        _late((today - d.next_due_on).days),
                    ]
                    if x
                ),
                urgent=True,
            )
            for d in duties[:SHOWN]
        ],
        empty=_("No visit of your team is overdue."),
        total=len(duties),
        more_url=reverse("cases:workspace"),
        more_label=_("All overdue visits"),
    )


register_home_panel(overdue_visits_panel, order=10)
register_home_panel(tasks_due_panel, order=12)
register_home_panel(caseload_panel, order=14)
register_home_panel(approvals_panel, order=20)
register_home_panel(team_overdue_panel, order=24)

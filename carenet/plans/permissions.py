"""Who may see and report on plans, registered in the one policy (carenet.core.policy).

* Plans are public documents: every staff user of the tenant sees them (the other tenant never does).
* A reporting form (Submission) is filled in and submitted by the body's own data officer or
  manager (or the coordinator); nobody else may touch it.
* The municipal coordinator reviews (approve / send back), locks and reopens periods.
"""

from typing import Any

from django.db.models import QuerySet

from carenet.core.access import fetch
from carenet.core.policy import Actor, policy
from carenet.core.roles import Role

from .models import Indicator, IndicatorValue, Plan, ReportingPeriod, Submission

REPORTING_ROLES = (Role.DATA_OFFICER, Role.PROVIDER_MANAGER)


def _tenant_staff(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if (actor.is_platform_admin or actor.grants) else qs.none()


def _staff_rule(actor: Actor, obj: Any) -> bool:
    return actor.is_platform_admin or bool(actor.grants)


def _coordinator_rule(actor: Actor, obj: Any) -> bool:
    return actor.is_platform_admin or actor.is_coordinator


def _reports_for(actor: Actor, submission: Submission) -> bool:
    return actor.is_coordinator or actor.has_role(*REPORTING_ROLES, organisation_id=submission.organisation_id)


def _submission_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.is_coordinator or actor.has_role(Role.AUDITOR):
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids(*REPORTING_ROLES))


for model in (Plan, Indicator, ReportingPeriod, IndicatorValue):
    policy.register_visibility(model, _tenant_staff)
    policy.register_rule(model, "view", _staff_rule)
policy.register_rule(Plan, "report", _coordinator_rule)
policy.register_rule(Plan, "amend", _coordinator_rule)
policy.register_rule(ReportingPeriod, "open_forms", _coordinator_rule)
policy.register_rule(ReportingPeriod, "lock", _coordinator_rule)
policy.register_rule(ReportingPeriod, "reopen", _coordinator_rule)
policy.register_visibility(Submission, _submission_visible)
policy.register_rule(Submission, "view", lambda actor, s: _reports_for(actor, s) or actor.has_role(Role.AUDITOR))
policy.register_rule(Submission, "edit", _reports_for)
policy.register_rule(Submission, "submit", _reports_for)
policy.register_rule(Submission, "review", _coordinator_rule)


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    return policy.visible(user, Plan)


def submissions_visible_to(user: Any) -> QuerySet[Submission]:
    return policy.visible(user, Submission)


def can_view_plan(user: Any, plan: Plan) -> bool:
    return policy.can(user, "view", plan)


def can_report_plan(user: Any, plan: Plan) -> bool:
    return policy.can(user, "report", plan)


def can_edit_submission(user: Any, submission: Submission) -> bool:
    return policy.can(user, "edit", submission)


def can_submit_submission(user: Any, submission: Submission) -> bool:
    return policy.can(user, "submit", submission)


def can_review_submission(user: Any, submission: Submission) -> bool:
    return policy.can(user, "review", submission)


def can_lock_period(user: Any, period: ReportingPeriod) -> bool:
    return policy.can(user, "lock", period)


def can_amend_plan(user: Any, plan: Plan) -> bool:
    return policy.can(user, "amend", plan)


def can_open_forms(user: Any, period: ReportingPeriod) -> bool:
    return policy.can(user, "open_forms", period)


def can_reopen_period(user: Any, period: ReportingPeriod) -> bool:
    return policy.can(user, "reopen", period)


def periods_visible_to(user: Any) -> QuerySet[ReportingPeriod]:
    return policy.visible(user, ReportingPeriod)


def indicators_visible_to(user: Any) -> QuerySet[Indicator]:
    return policy.visible(user, Indicator)


# --- fetch-and-check (docs/architecture.md §3): 404 for what the user may not see, 403 for an action on it


def plan_for(user: Any, plan_id: Any, *, action: str = "view") -> Plan:
    """A plan of the user's municipality (404 otherwise), checked for ``action`` ("amend": 403)."""
    return fetch(user, plans_visible_to(user), plan_id, action=action)


def period_for(user: Any, plan: Plan, code: str, *, action: str = "view") -> ReportingPeriod:
    """The reporting period ``code`` of ``plan`` (404 otherwise), checked for ``action`` ("open_forms", "lock",
    "reopen": 403)."""
    return fetch(
        user, periods_visible_to(user).filter(plan=plan).select_related("plan"), code, action=action, lookup="code"
    )


def indicator_for(user: Any, plan: Plan, indicator_id: Any, *, action: str = "view") -> Indicator:
    return fetch(user, indicators_visible_to(user).filter(plan=plan), indicator_id, action=action)


def submission_for(user: Any, submission_id: Any, *, action: str = "view") -> Submission:
    """A reporting form the user may see — their own bodies' forms; every form for the coordinator and the
    auditor — (404 otherwise: another body's form is never confirmed), checked for ``action`` ("edit",
    "submit", "review": 403)."""
    return fetch(
        user,
        submissions_visible_to(user).select_related("period__plan", "organisation"),
        submission_id,
        action=action,
    )

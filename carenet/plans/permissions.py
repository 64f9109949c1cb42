"""Who may see and report on plans, registered in the one policy (carenet.core.policy).

* Plans are public documents: every staff user of the tenant sees them (the other tenant never does).
* A reporting form (Submission) is filled in and submitted by the body's own data officer or
  manager (or the coordinator); nobody else may touch it.
* The municipal coordinator reviews (approve / send back), locks and reopens periods.
"""

from typing import Any

from django.db.models import QuerySet

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

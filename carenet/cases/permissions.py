"""Who may see and work on cases, registered in the one policy.

* A caseworker or provider manager sees the cases of their organisation; a supervisor (or the
  provider manager) approves plans and closures.
* Coordinators see the network's cases of their municipality (read-only), not the special-category
  detail (social inquiries, assessments, notes, documents): that needs a provider role on the case.
* ``register_case_visibility`` lets a higher layer (referrals) add cases shared with an organisation
  while a referral is open, without this module importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role
from carenet.people.permissions import PROVIDER_ROLES, register_person_visibility

from .models import OPEN_STATUSES, Case, CaseDocument, MonitoringDuty, ServiceDelivery, Task

CaseVisibilityExtension = Callable[[Actor, frozenset[Any]], Q]
_case_extensions: list[CaseVisibilityExtension] = []


def register_case_visibility(extension: CaseVisibilityExtension) -> CaseVisibilityExtension:
    """``fn(actor, organisation_ids) -> Q`` on Case (ideally ``Exists`` on ``OuterRef("pk")``): cases the
    organisations may also see, e.g. while a referral to them is open."""
    if extension not in _case_extensions:
        _case_extensions.append(extension)
    return extension


@register_person_visibility
def persons_of_own_cases(actor: Actor, organisation_ids: frozenset[Any]) -> Q:
    """An organisation sees the persons of its cases (open or closed: its own record of its work)."""
    return Q(
        Exists(
            Case.objects.for_tenant(actor.municipality_id).filter(
                person_id=OuterRef("pk"), organisation_id__in=organisation_ids
            )
        )
    )


@register_person_visibility
def persons_served_by_organisation(actor: Actor, organisation_ids: frozenset[Any]) -> Q:
    """...and the persons it delivered a service to without a case (canteen, day centre)."""
    return Q(
        Exists(
            ServiceDelivery.objects.for_tenant(actor.municipality_id).filter(
                person_id=OuterRef("pk"), organisation_id__in=organisation_ids, case__isnull=True
            )
        )
    )


def _case_filter(actor: Actor) -> Q:
    org_ids = actor.organisation_ids(*PROVIDER_ROLES)
    if not org_ids:
        return Q(pk__in=[])
    condition = Q(organisation_id__in=org_ids)
    for extension in _case_extensions:
        condition |= extension(actor, org_ids)
    return condition


def _cases_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.is_coordinator:
        return qs
    return qs.filter(_case_filter(actor))


def _works_on(actor: Actor, case: Case) -> bool:
    """A provider role in the case's own organisation (not a shared view)."""
    return actor.has_role(*PROVIDER_ROLES, organisation_id=case.organisation_id)


def _can_view_case(actor: Actor, case: Case) -> bool:
    if actor.is_platform_admin or actor.is_coordinator or _works_on(actor, case):
        return True
    if not _case_extensions or not actor.organisation_ids(*PROVIDER_ROLES):
        return False
    return Case.objects.for_tenant(case.municipality_id).filter(_case_filter(actor), pk=case.pk).exists()


def _can_view_case_detail(actor: Actor, case: Case) -> bool:
    """Inquiries, assessments, notes, documents: the case's own provider."""
    return actor.is_platform_admin or _works_on(actor, case)


def _can_change_case(actor: Actor, case: Case) -> bool:
    return _works_on(actor, case) and case.is_open


def _can_approve(actor: Actor, case: Case) -> bool:
    return actor.supervises(case.organisation_id)


def _can_open_case(actor: Actor, organisation_id: Any) -> bool:
    return actor.has_role(*PROVIDER_ROLES, organisation_id=organisation_id)


policy.register_visibility(Case, _cases_visible)
policy.register_rule(Case, "view", _can_view_case)
policy.register_rule(Case, "view_detail", _can_view_case_detail)
policy.register_rule(Case, "change", _can_change_case)
policy.register_rule(Case, "approve", _can_approve)

policy.register_visibility(
    CaseDocument, lambda actor, qs: qs.filter(case__organisation_id__in=actor.organisation_ids(*PROVIDER_ROLES))
)
policy.register_rule(CaseDocument, "view", lambda actor, d: _can_view_case_detail(actor, d.case))
policy.register_visibility(
    Task, lambda actor, qs: qs.filter(case__organisation_id__in=actor.organisation_ids(*PROVIDER_ROLES))
)
policy.register_visibility(
    MonitoringDuty, lambda actor, qs: qs.filter(case__organisation_id__in=actor.organisation_ids(*PROVIDER_ROLES))
)


def _deliveries_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.is_coordinator:
        return qs
    return qs.filter(organisation_id__in=actor.organisation_ids(*PROVIDER_ROLES))


policy.register_visibility(ServiceDelivery, _deliveries_visible)
policy.register_rule(
    ServiceDelivery,
    "view",
    lambda actor, d: (
        actor.is_platform_admin or actor.is_coordinator or d.organisation_id in actor.organisation_ids(*PROVIDER_ROLES)
    ),
)


def cases_visible_to(user: Any) -> QuerySet[Case]:
    return policy.visible(user, Case)


def deliveries_visible_to(user: Any) -> QuerySet[ServiceDelivery]:
    return policy.visible(user, ServiceDelivery)


def can_view_case(user: Any, case: Case) -> bool:
    return policy.can(user, "view", case)


def can_view_case_detail(user: Any, case: Case) -> bool:
    return policy.can(user, "view_detail", case)


def can_change_case(user: Any, case: Case) -> bool:
    return policy.can(user, "change", case)


def can_approve_case(user: Any, case: Case) -> bool:
    return policy.can(user, "approve", case)


def can_open_case(user: Any, organisation_id: Any) -> bool:
    actor = actor_of(user)
    return _can_open_case(actor, organisation_id)


def organisations_for_new_case(user: Any) -> frozenset[Any]:
    return actor_of(user).organisation_ids(*PROVIDER_ROLES)


def supervised_organisations(user: Any) -> frozenset[Any]:
    actor = actor_of(user)
    return frozenset(o for o in actor.organisation_ids() if actor.supervises(o))


__all__ = ["OPEN_STATUSES", "Role"]

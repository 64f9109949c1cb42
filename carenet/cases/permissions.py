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

from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role
from carenet.directory.models import Service
from carenet.people.grounds import ALL_SECTIONS, Ground, organisation_grounds, register_ground_source
from carenet.people.models import Person
from carenet.people.permissions import PROVIDER_ROLES, register_person_visibility

from .models import OPEN_STATUSES, Case, CaseDocument, InterventionPlan, MonitoringDuty, ServiceDelivery, Task

CaseVisibilityExtension = Callable[[Actor, frozenset[Any]], Q]
_case_extensions: list[CaseVisibilityExtension] = []


def register_case_visibility(extension: CaseVisibilityExtension) -> CaseVisibilityExtension:
    """``fn(actor, organisation_ids) -> Q`` on Case (ideally ``Exists`` on ``OuterRef("pk")``): cases the
    organisations may also see, e.g. while a referral to them is open."""
    if extension not in _case_extensions:
        _case_extensions.append(extension)
    return extension


def _legal_basis_cases(municipality_id: Any, organisation_ids: frozenset[Any]) -> Any:
    return Case.objects.for_tenant(municipality_id).filter(organisation_id__in=organisation_ids).exclude(legal_basis="")


@register_person_visibility
def persons_of_own_cases_on_legal_basis(actor: Actor, organisation_ids: frozenset[Any]) -> Q:
    """An organisation sees the persons of its cases that record the law allowing it (decision 0013).

    A case alone is not a ground: a case opened on a referral follows the referral (referrals), one opened on
    the person's consent follows the consent (people), one of a person the provider registered needs nothing.
    """
    return Q(Exists(_legal_basis_cases(actor.municipality_id, organisation_ids).filter(person_id=OuterRef("pk"))))


@register_ground_source
def legal_basis_grounds(person: Person, organisation_ids: frozenset[Any]) -> list[Ground]:
    return [
        Ground("legal", ALL_SECTIONS, True, org_id, str(case_id))
        for case_id, org_id in _legal_basis_cases(person.municipality_id, organisation_ids)
        .filter(person=person)
        .values_list("pk", "organisation_id")
    ]


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


def _can_open_case_for_person(actor: Actor, person: Person) -> bool:
    """A person's case is opened by a provider role (in one of the actor's organisations, chosen on the form)."""
    return person.merged_into_id is None and bool(actor.organisation_ids(*PROVIDER_ROLES))


policy.register_visibility(Case, _cases_visible)
policy.register_rule(Person, "open_case", _can_open_case_for_person)
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


def _duties_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    # Coordinators keep the municipality's registers (children with parents abroad, cases.legal): they see every duty, not the case file.
    if actor.is_platform_admin or actor.is_coordinator:
        return qs
    return qs.filter(case__organisation_id__in=actor.organisation_ids(*PROVIDER_ROLES))


policy.register_visibility(MonitoringDuty, _duties_visible)


def _delivery_organisations(actor: Actor) -> frozenset[Any] | None:
    """The providers through which the actor sees deliveries; None: every delivery of the municipality."""
    if actor.is_platform_admin or actor.is_coordinator:
        return None
    return actor.organisation_ids(*PROVIDER_ROLES)


def _deliveries_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    organisation_ids = _delivery_organisations(actor)
    return qs if organisation_ids is None else qs.filter(organisation_id__in=organisation_ids)


policy.register_visibility(ServiceDelivery, _deliveries_visible)

# More providers than this are read as one query (each provider is one more query of a page).
DELIVERY_SPLIT_MAX = 20


def deliveries_by_provider(*, user: Any, deliveries: QuerySet) -> list[QuerySet] | None:
    """``deliveries`` (deliveries visible to ``user``) as one queryset per provider the user sees them through:
    together exactly ``deliveries``, because visibility and split come from the same ``_delivery_organisations``.
    A keyset page then reads each provider's rows in order from its own (municipality, organisation,
    delivered_on) index and merges them: as one query over two providers, SQLite read and sorted every delivery
    of both (136 ms for a manager of two providers at 48,619 deliveries, docs/performance.md). None when one
    query already reads the rows in order: a coordinator's (the municipality's date index) or one provider's."""
    organisation_ids = _delivery_organisations(actor_of(user))
    if organisation_ids is None or not 1 < len(organisation_ids) <= DELIVERY_SPLIT_MAX:
        return None
    return [deliveries.filter(organisation_id=o) for o in sorted(organisation_ids, key=str)]


policy.register_rule(
    ServiceDelivery,
    "view",
    lambda actor, d: (orgs := _delivery_organisations(actor)) is None or d.organisation_id in orgs,
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


def can_open_case_for(user: Any, person: Person, organisation_id: Any) -> bool:
    """A case of ``person`` with ``organisation_id``: a provider role there, on a person the user may see."""
    return can_open_case(user, organisation_id) and policy.can(user, "view", person)


def organisation_serves(person: Person, organisation_id: Any) -> list[Ground]:
    """The grounds of the provider's own on which it serves ``person`` already (registered, consent, legal basis,
    transfer): opening another case needs none of its own. A referral is not one (decision 0013)."""
    return [g for g in organisation_grounds(person, frozenset([organisation_id])) if g.is_full]


def can_record_delivery(user: Any, person: Person, service: Any) -> bool:
    """An act of a service is recorded by the service's own provider, for a person the user may see."""
    return service.municipality_id == person.municipality_id and can_open_case_for(
        user, person, service.organisation_id
    )


def duties_visible_to(user: Any) -> QuerySet[MonitoringDuty]:
    return policy.visible(user, MonitoringDuty)


def organisations_for_new_case(user: Any) -> frozenset[Any]:
    return actor_of(user).organisation_ids(*PROVIDER_ROLES)


def supervised_organisations(user: Any) -> frozenset[Any]:
    actor = actor_of(user)
    return frozenset(o for o in actor.organisation_ids() if actor.supervises(o))


# --- fetch-and-check (docs/architecture.md §3): 404 for a case the user may not see, 403 for an action on it


def case_for(user: Any, case_id: Any, *, action: str = "view") -> Case:
    """A case the user may see (404 otherwise), checked for ``action``: "view_detail" (the case file),
    "change" (a step of the caseworker), "approve" (the supervisor's plan and closure approvals) — 403."""
    return fetch(
        user, cases_visible_to(user).select_related("person", "organisation", "caseworker"), case_id, action=action
    )


def intervention_plan_for(user: Any, case: Case, plan_id: Any) -> InterventionPlan:
    """One of ``case``'s intervention plans (the case already fetched with ``case_for``), or 404."""
    return fetch(user, InterventionPlan.objects.for_tenant(case.municipality_id).filter(case=case), plan_id)


def case_record_for(user: Any, case: Case, model: Any, record_id: Any) -> Any:
    """A row of ``case``'s file (a task, a monitoring duty, a document), or 404."""
    return fetch(user, model.objects.for_tenant(case.municipality_id).filter(case=case), record_id)


def delivery_service_for(user: Any, service_id: Any) -> Service:
    """A directory service of the user's municipality a delivery may be recorded against, or 404 (whether the
    user's organisation provides it is the delivery's own rule, ``can_record_delivery``: 403)."""
    municipality_id = actor_of(user).municipality_id
    return fetch(user, Service.objects.for_tenant(municipality_id), service_id)


__all__ = ["OPEN_STATUSES", "Role"]

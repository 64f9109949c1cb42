"""Who may see and change directory records (registered in the one policy, carenet.core.policy).

The directory is public within a municipality: every staff user of the tenant sees every record.
Changing a record belongs to the managers of the organisation that runs it (or of its parent
organisation, e.g. DAS over its centres) and to the municipal coordinators.
"""

from typing import Any

from django.db.models import QuerySet

from carenet.core.policy import Actor, policy
from carenet.core.roles import Role

from .models import Location, OrganisationProfile, Program, Service


def _manages(actor: Actor, organisation_id: Any, parent_id: Any = None) -> bool:
    managed = actor.organisation_ids(Role.PROVIDER_MANAGER)
    return organisation_id in managed or (parent_id is not None and parent_id in managed)


def _can_change_org_record(actor: Actor, obj: Any) -> bool:
    if actor.is_platform_admin or actor.is_coordinator:
        return True
    organisation = getattr(obj, "organisation", None)
    if organisation is None:
        return False
    return _manages(actor, organisation.pk, organisation.parent_id)


def _all_in_tenant(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs


for _model in (Service, Location, Program, OrganisationProfile):
    policy.register_visibility(_model, _all_in_tenant)
    policy.register_rule(_model, "view", lambda actor, obj: True)
    policy.register_rule(_model, "change", _can_change_org_record)
    policy.register_rule(_model, "verify", _can_change_org_record)

policy.register_rule(Service, "freshness_report", lambda actor, obj: actor.is_coordinator or actor.is_platform_admin)


def services_visible_to(user: Any) -> QuerySet[Service]:
    return policy.visible(user, Service)


def locations_visible_to(user: Any) -> QuerySet[Location]:
    return policy.visible(user, Location)


def can_change_service(user: Any, service: Service) -> bool:
    return policy.can(user, "change", service)


def can_verify_service(user: Any, service: Service) -> bool:
    return policy.can(user, "verify", service)


def can_change_location(user: Any, location: Location) -> bool:
    return policy.can(user, "change", location)


def can_create_service_for(user: Any, organisation: Any) -> bool:
    """Creating a service for ``organisation``: same rule as changing one of its services."""
    return policy.can(user, "change", Service(organisation=organisation, municipality_id=organisation.municipality_id))


def can_view_freshness_report(user: Any, municipality: Any) -> bool:
    return policy.can(user, "freshness_report", Service(municipality_id=getattr(municipality, "pk", municipality)))

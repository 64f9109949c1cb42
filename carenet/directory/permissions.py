"""Who may see and change directory records (registered in the one policy, carenet.core.policy).

The directory is public within a municipality: every staff user of the tenant sees every record.
Changing a record belongs to the managers of the organisation that runs it (or of its parent
organisation, e.g. DAS over its centres) and to the municipal coordinators.

Views reach a record through ``service_for`` / ``location_for`` / ``organisation_for_new_service``
(404 for a record of another municipality, 403 for a change the user may not make, docs/architecture.md §3);
the services ask the same ``can_*`` predicates again before they write.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from carenet.accounts.permissions import organisations_visible_to
from carenet.core.access import fetch
from carenet.core.models import BackgroundJob, Organisation
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import HsdsPull, HsdsSource, Location, OrganisationProfile, Program, PushLog, PushTarget, Service


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

# What a coordinator does for the whole directory of the municipality (the record is a stand-in for it).
policy.register_rule(Service, "freshness_report", lambda actor, obj: actor.is_coordinator or actor.is_platform_admin)
policy.register_rule(Service, "import", lambda actor, obj: actor.is_coordinator or actor.is_platform_admin)


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


def _can_for_directory(user: Any, action: str, municipality: Any) -> bool:
    return policy.can(user, action, Service(municipality_id=getattr(municipality, "pk", municipality)))


def _may_for_own_directory(user: Any, action: str) -> bool:
    municipality_id = actor_of(user).municipality_id
    return municipality_id is not None and _can_for_directory(user, action, municipality_id)


def can_view_freshness_report(user: Any, municipality: Any) -> bool:
    return _can_for_directory(user, "freshness_report", municipality)


def can_import_directory(user: Any, municipality: Any) -> bool:
    """Importing an HSDS package into the directory of ``municipality``: its coordinators (and the platform
    administrator)."""
    return _can_for_directory(user, "import", municipality)


def may_view_freshness_report(user: Any) -> bool:
    """The freshness report of the user's own municipality (``@requires`` predicate of its page)."""
    return _may_for_own_directory(user, "freshness_report")


def may_import_directory(user: Any) -> bool:
    """The HSDS import into the user's own municipality (``@requires`` predicate of its page)."""
    return _may_for_own_directory(user, "import")


def service_for(user: Any, service_id: Any, *, action: str = "view") -> Service:
    """A service of the user's municipality (else 404), checked for ``action`` — ``"change"``, ``"verify"`` (403)."""
    services = services_visible_to(user).select_related("organisation", "organisation__parent")
    return fetch(user, services, service_id, action=action)


def location_for(user: Any, location_id: Any, *, action: str = "view") -> Location:
    """A location of the user's municipality (else 404), checked for ``action`` — ``"change"`` (403)."""
    return fetch(user, locations_visible_to(user).select_related("organisation"), location_id, action=action)


def organisation_for_new_service(user: Any, organisation_id: Any) -> Organisation:
    """The organisation a new service is added to: 404 if the user does not see it, 403 if they may not add."""
    organisation = fetch(user, organisations_visible_to(user), organisation_id)
    if not can_create_service_for(user, organisation):
        raise PermissionDenied
    return organisation


# --- the feeds: imports as background jobs, pulls of remote sources, the push of the municipality's own -----

IMPORT_JOB_KIND = "directory.hsds_import"


def _coordinator(actor: Actor, obj: Any) -> bool:
    return actor.is_coordinator or actor.is_platform_admin


# A source, its pulls and the push target are seen by the municipality's staff (404 for any other municipality)
# and handled by its coordinators only (403 for a lower role).
for _feed_model in (HsdsSource, HsdsPull, PushTarget, PushLog):
    policy.register_visibility(_feed_model, _all_in_tenant)
    policy.register_rule(_feed_model, "view", lambda actor, obj: True)
    policy.register_rule(_feed_model, "manage", _coordinator)


def hsds_source_for(user: Any, source_id: Any) -> HsdsSource:
    """A feed source of the user's municipality (else 404) that the user may manage (else 403)."""
    return fetch(user, HsdsSource, source_id, action="manage")


def hsds_pull_for(user: Any, pull_id: Any) -> HsdsPull:
    """A pull of the user's municipality (else 404) that the user may decide (else 403)."""
    return fetch(user, policy.visible(user, HsdsPull).select_related("source"), pull_id, action="manage")


def import_job_for(user: Any, job_id: Any) -> BackgroundJob:
    """An HSDS import job of the user's municipality (404 otherwise), for who may import (403)."""
    municipality_id = actor_of(user).municipality_id
    if municipality_id is None:
        from django.http import Http404

        raise Http404
    jobs = BackgroundJob.objects.for_tenant(municipality_id).filter(kind=IMPORT_JOB_KIND)
    job = fetch(user, jobs, job_id)
    if not can_import_directory(user, municipality_id):
        raise PermissionDenied
    return job


def can_retry_import(user: Any, job: BackgroundJob) -> bool:
    """Starting a failed import again: a coordinator of the job's municipality, while its upload is kept."""
    from django.core.files.storage import default_storage

    same_tenant = user.is_authenticated and actor_of(user).municipality_id == job.municipality_id
    path = job.params.get("path")
    return bool(
        same_tenant and path and can_import_directory(user, job.municipality_id) and default_storage.exists(path)
    )

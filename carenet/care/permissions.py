"""Who sees and acts on care matching, registered in the one policy.

* **Care requests** are seen by the municipality's coordinators (and auditors, read only) and by the staff of
  the organisation that handles the request (the home-care service of DAS, an NGO); they are changed by a
  coordinator or that organisation's caseworkers and managers (the case's social worker chooses for a family).
* **Caregivers** are seen by the coordinator and the staff of their own organisation.
* A **family** reaches only its own requests, and a **caregiver** only their own profile and bookings, through
  the portal; a caregiver learns a request's address and needs only once the booking is confirmed by both
  (``selectors.caregiver_booking_view``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import Booking, Caregiver, CareRequest, Complaint, Cover

CARE_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER)
NETWORK_READERS = (Role.COORDINATOR, Role.AUDITOR)


def _reads_network(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.has_role(*NETWORK_READERS)


def _changes(actor: Actor, organisation_id: Any) -> bool:
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or (organisation_id is not None and actor.has_role(*CARE_ROLES, organisation_id=organisation_id))
    )


def _by_organisation(field: str) -> Callable[[Actor, QuerySet], QuerySet]:
    def visible(actor: Actor, qs: QuerySet) -> QuerySet:
        if _reads_network(actor):
            return qs
        return qs.filter(**{f"{field}__in": actor.organisation_ids(*CARE_ROLES)})

    return visible


policy.register_visibility(CareRequest, _by_organisation("organisation_id"))
policy.register_rule(CareRequest, "change", lambda actor, r: _changes(actor, r.organisation_id))
policy.register_visibility(Caregiver, _by_organisation("organisation_id"))
policy.register_rule(Caregiver, "change", lambda actor, c: _changes(actor, c.organisation_id))
policy.register_visibility(Booking, _by_organisation("request__organisation_id"))
policy.register_rule(Booking, "change", lambda actor, b: _changes(actor, b.request.organisation_id))
# A visit's cover is seen and chosen by those who see and change the booking's request.
policy.register_visibility(Cover, _by_organisation("booking__request__organisation_id"))
policy.register_rule(Cover, "change", lambda actor, c: _changes(actor, c.booking.request.organisation_id))
policy.register_visibility(
    Complaint,
    lambda actor, qs: qs if actor.is_platform_admin or actor.is_coordinator else qs.none(),
)
policy.register_rule(Complaint, "change", lambda actor, c: actor.is_platform_admin or actor.is_coordinator)


def can_coordinate_care(user: Any) -> bool:
    """Staff who match care: the coordinator (and auditor, reading), or a caseworker or manager of a provider."""
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.has_role(*NETWORK_READERS) or actor.has_role(*CARE_ROLES))


def can_handle_complaints(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.is_coordinator


def care_organisation_ids(user: Any) -> frozenset[Any] | None:
    actor = actor_of(user)
    if actor.is_platform_admin or actor.is_coordinator:
        return None
    return actor.organisation_ids(*CARE_ROLES)


def care_requests_visible_to(user: Any) -> QuerySet[CareRequest]:
    return policy.visible(user, CareRequest)


def caregivers_visible_to(user: Any) -> QuerySet[Caregiver]:
    return policy.visible(user, Caregiver)


def complaints_visible_to(user: Any) -> QuerySet[Complaint]:
    return policy.visible(user, Complaint)


def care_request_for(user: Any, request_id: Any, *, action: str = "view") -> CareRequest:
    return fetch(
        user, care_requests_visible_to(user).select_related("person", "organisation"), request_id, action=action
    )


def caregiver_for(user: Any, caregiver_id: Any, *, action: str = "view") -> Caregiver:
    return fetch(user, caregivers_visible_to(user).select_related("organisation"), caregiver_id, action=action)


def covers_visible_to(user: Any) -> QuerySet[Cover]:
    return policy.visible(user, Cover)


def cover_for(user: Any, cover_id: Any, *, action: str = "view") -> Cover:
    qs = covers_visible_to(user).select_related("booking__request", "booking__caregiver", "substitute")
    return fetch(user, qs, cover_id, action=action)


def complaint_for(user: Any, complaint_id: Any, *, action: str = "view") -> Complaint:
    return fetch(user, complaints_visible_to(user).select_related("booking__caregiver"), complaint_id, action=action)


# --- the portal's own records -------------------------------------------------------------------------------


def family_request_for(user: Any, municipality: Any, request_id: Any) -> CareRequest:
    """A request the signed-in family member filed (404 for anyone else's, or an unknown id)."""
    qs = CareRequest.objects.for_tenant(municipality).filter(family_user_id=getattr(user, "pk", None))
    return fetch(user, qs, request_id)


def caregiver_booking_for(user: Any, municipality: Any, booking_id: Any) -> Booking:
    """A booking of the signed-in caregiver (404 for anyone else's)."""
    qs = Booking.objects.for_tenant(municipality).filter(caregiver__user=user).select_related("request", "caregiver")
    return fetch(user, qs, booking_id)


def family_booking_for(user: Any, municipality: Any, booking_id: Any) -> Booking:
    qs = (
        Booking.objects.for_tenant(municipality)
        .filter(request__family_user=user)
        .select_related("request", "caregiver")
    )
    return fetch(user, qs, booking_id)


def family_cover_for(user: Any, municipality: Any, cover_id: Any) -> Cover:
    """A cover of the signed-in family's own booking (404 for anyone else's)."""
    qs = (
        Cover.objects.for_tenant(municipality)
        .filter(booking__request__family_user=user)
        .select_related("booking__request", "booking__caregiver", "substitute")
    )
    return fetch(user, qs, cover_id)


def substitute_cover_for(user: Any, municipality: Any, cover_id: Any) -> Cover:
    """A cover the signed-in caregiver was asked to do (404 for anyone else's)."""
    qs = (
        Cover.objects.for_tenant(municipality)
        .filter(substitute__user=user)
        .select_related("booking__request", "booking__caregiver", "substitute")
    )
    return fetch(user, qs, cover_id)

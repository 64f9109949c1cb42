"""Who sees and changes training records, registered in the one policy (decision 0023).

* **Courses**: a published course is public (the portal's catalogue). Staff see the courses of their own
  organisation and every published course of the municipality (to enrol someone); coordinators and auditors
  see all. A course is changed (sessions, roll call, closing) by its organisation's caseworkers, managers,
  data officers or CSR coordinator, or by a coordinator.
* **Enrolments**: seen by the course's organisation (names and attendance only: the pages of a company never
  show the case or any category of the person), by the staff of the case's provider, by the social worker who
  enrolled, and by the coordinator. A company's CSR coordinator never sees the person registry.
* **Employment** records (CV, placements) follow the case: whoever may change the case.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from carenet.cases.permissions import cases_visible_to
from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.core.roles import Role

from .models import (
    Course,
    CourseStatus,
    Enrolment,
    JobFair,
    JobPlacement,
    Room,
    RoomOffer,
    TrainingAlert,
    TrainingSession,
)

# Roles that run a course of their own organisation (a company's CSR coordinator included).
COURSE_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER, Role.DATA_OFFICER, Role.CSR_COORDINATOR)
# Roles that enrol beneficiaries (social workers) and follow them on the employment path.
SOCIAL_ROLES = (Role.CASEWORKER, Role.PROVIDER_MANAGER)
NETWORK_READERS = (Role.COORDINATOR, Role.AUDITOR)


def _network(actor: Actor) -> bool:
    return actor.is_platform_admin or actor.has_role(*NETWORK_READERS)


def _runs(actor: Actor, organisation_id: Any) -> bool:
    return (
        actor.is_platform_admin
        or actor.is_coordinator
        or actor.has_role(*COURSE_ROLES, organisation_id=organisation_id)
    )


def _courses_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _network(actor):
        return qs
    if not actor.grants:
        return qs.none()
    return qs.filter(Q(organisation_id__in=actor.organisation_ids()) | Q(status=CourseStatus.PUBLISHED))


def _can_view_course(actor: Actor, course: Course) -> bool:
    return (
        _network(actor)
        or course.organisation_id in actor.organisation_ids()
        or (bool(actor.grants) and course.status == CourseStatus.PUBLISHED)
    )


policy.register_visibility(Course, _courses_visible)
policy.register_rule(Course, "view", _can_view_course)
policy.register_rule(Course, "change", lambda actor, course: _runs(actor, course.organisation_id))


def _enrolments_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if _network(actor):
        return qs
    if not actor.grants:
        return qs.none()
    own = actor.organisation_ids()
    social = actor.organisation_ids(*SOCIAL_ROLES)
    return qs.filter(
        Q(course__organisation_id__in=own) | Q(case__organisation_id__in=social) | Q(social_worker=actor.user)
    )


def _can_view_enrolment(actor: Actor, enrolment: Enrolment) -> bool:
    return (
        _enrolments_visible(actor, Enrolment.objects.for_tenant(enrolment.municipality_id))
        .filter(pk=enrolment.pk)
        .exists()
    )


def _can_follow_enrolment(actor: Actor, enrolment: Enrolment) -> bool:
    """The social side: the social worker, their provider's staff, or the coordinator (not the trainer)."""
    if actor.is_platform_admin or actor.is_coordinator or enrolment.social_worker_id == getattr(actor.user, "pk", None):
        return True
    case = enrolment.case
    return case is not None and actor.has_role(*SOCIAL_ROLES, organisation_id=case.organisation_id)


policy.register_visibility(Enrolment, _enrolments_visible)
policy.register_rule(Enrolment, "view", _can_view_enrolment)
policy.register_rule(Enrolment, "follow", _can_follow_enrolment)
policy.register_rule(Enrolment, "change", lambda actor, e: _runs(actor, e.course.organisation_id))


def _rooms_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if actor.is_platform_admin or actor.grants else qs.none()


policy.register_visibility(Room, _rooms_visible)
policy.register_visibility(RoomOffer, _rooms_visible)
policy.register_rule(
    RoomOffer,
    "view",
    lambda actor, offer: (
        _network(actor)
        or offer.trainer_id in actor.organisation_ids()
        or offer.room.owner_id in actor.organisation_ids()
    ),
)


def _alerts_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs.filter(recipient=actor.user) if actor.user is not None else qs.none()


policy.register_visibility(TrainingAlert, _alerts_visible)


def _placements_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.user is None:
        return qs.none()
    return qs.filter(case__in=cases_visible_to(actor.user).values("pk"))


policy.register_visibility(JobPlacement, _placements_visible)
policy.register_rule(JobPlacement, "view", lambda actor, p: policy.can(actor.user, "view", p.case))
policy.register_rule(JobPlacement, "change", lambda actor, p: policy.can(actor.user, "change", p.case))
policy.register_visibility(JobFair, _rooms_visible)
policy.register_rule(JobFair, "view", lambda actor, fair: actor.is_platform_admin or bool(actor.grants))
policy.register_rule(JobFair, "change", lambda actor, fair: _runs(actor, fair.organiser_id))


# --- predicates for pages with no record (``@requires``) and for services ---------------------------------


def can_use_training(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and bool(actor.grants)


def can_post_courses(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.is_coordinator or actor.has_role(*COURSE_ROLES))


def can_post_for(user: Any, organisation_id: Any) -> bool:
    return _runs(actor_of(user), organisation_id)


def posting_organisation_ids(user: Any) -> frozenset[Any] | None:
    """The organisations the user posts courses for; ``None`` = any of the municipality (coordinator)."""
    actor = actor_of(user)
    if actor.is_platform_admin or actor.is_coordinator:
        return None
    return actor.organisation_ids(*COURSE_ROLES)


def can_change_training_rules(user: Any) -> bool:
    """A new version of the completion and dropout rules (a council decision): the municipality's coordinator."""
    actor = actor_of(user)
    return actor.municipality_id is not None and actor.is_coordinator


def lending_organisation_ids(user: Any) -> frozenset[Any] | None:
    """The organisations whose rooms the user registers and lends (their staff who run courses); ``None`` =
    any public institution of the municipality (the coordinator). The service checks the owner is public."""
    return posting_organisation_ids(user)


def is_company_user(user: Any) -> bool:
    actor = actor_of(user)
    return actor.has_role(Role.CSR_COORDINATOR)


def can_follow_people(user: Any) -> bool:
    """Social workers and coordinators (the enrolment and employment pages)."""
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.is_coordinator or actor.has_role(*SOCIAL_ROLES))


def can_read_figures(user: Any) -> bool:
    actor = actor_of(user)
    return actor.municipality_id is not None and (actor.is_platform_admin or actor.has_role(*NETWORK_READERS))


# --- visible sets and fetch-and-check (docs/architecture.md §3) ------------------------------------------


def courses_visible_to(user: Any) -> QuerySet[Course]:
    return policy.visible(user, Course)


def enrolments_visible_to(user: Any) -> QuerySet[Enrolment]:
    return policy.visible(user, Enrolment)


def course_for(user: Any, course_id: Any, *, action: str = "view") -> Course:
    return fetch(
        user, courses_visible_to(user).select_related("organisation", "room", "room_offer"), course_id, action=action
    )


def session_for(user: Any, session_id: Any, *, action: str = "view") -> TrainingSession:
    """A session of a course the user sees (404 otherwise), checked for ``action`` on its course (403)."""
    actor = actor_of(user)
    if actor.municipality_id is None:
        raise Http404
    sessions = (
        TrainingSession.objects.for_tenant(actor.municipality_id)
        .filter(course__in=courses_visible_to(user).values("pk"))
        .select_related("course", "course__organisation")
    )
    session = fetch(user, sessions, session_id)
    if action != "view" and not policy.can(user, action, session.course):
        raise PermissionDenied
    return session


def enrolment_for(user: Any, enrolment_id: Any, *, action: str = "view") -> Enrolment:
    return fetch(
        user,
        enrolments_visible_to(user).select_related("course", "course__organisation", "person", "case"),
        enrolment_id,
        action=action,
    )


def job_fair_for(user: Any, fair_id: Any, *, action: str = "view") -> JobFair:
    return fetch(user, policy.visible(user, JobFair).select_related("organiser"), fair_id, action=action)


def placement_for(user: Any, placement_id: Any, *, action: str = "view") -> JobPlacement:
    return fetch(user, policy.visible(user, JobPlacement).select_related("case", "person"), placement_id, action=action)


def alerts_visible_to(user: Any) -> QuerySet[TrainingAlert]:
    return policy.visible(user, TrainingAlert)


def alert_for(user: Any, alert_id: Any) -> TrainingAlert:
    """One of the user's own alerts (anyone else's is a 404)."""
    return fetch(user, alerts_visible_to(user), alert_id)

"""Who exercises people's rights over their data: the municipality's coordinators.

A coordinator sees every person of the municipality; the privacy pages of a person are reached through
``people``'s own fetch (404 for a person the user may not see) and the ``subject_access`` rule (403 for a
lower role). Requests and legal holds are seen by coordinators only. Archived records are read-only: the
``change`` rule of an archived record's model is wrapped so that nobody may change it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.people.models import Person
from carenet.people.permissions import persons_visible_to

from .models import Disposition, LegalHold, RecordDisposal, SubjectRequest


def _is_coordinator(actor: Actor, _obj: Any = None) -> bool:
    return actor.municipality_id is not None and actor.is_coordinator


def can_manage_privacy(user: Any) -> bool:
    return _is_coordinator(actor_of(user))


def _coordinators_only(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs if _is_coordinator(actor) else qs.none()


policy.register_rule(Person, "subject_access", _is_coordinator)
for _model in (SubjectRequest, LegalHold):
    policy.register_visibility(_model, _coordinators_only)
    policy.register_rule(_model, "view", _is_coordinator)
    policy.register_rule(_model, "change", _is_coordinator)


def person_for_privacy(user: Any, person_id: Any) -> Person:
    """The person (404 if the user may not see them), if the user may exercise their rights (403)."""
    return fetch(
        user, persons_visible_to(user).select_related("registered_by_organisation"), person_id, action="subject_access"
    )


def request_for(user: Any, request_id: Any, *, action: str = "view") -> SubjectRequest:
    return fetch(user, policy.visible(user, SubjectRequest).select_related("person"), request_id, action=action)


def hold_for(user: Any, hold_id: Any, *, action: str = "view") -> LegalHold:
    return fetch(user, policy.visible(user, LegalHold).select_related("person"), hold_id, action=action)


# --- Archived records are read-only (Legea 16/1996) -------------------------------------------------------

ARCHIVABLE_MODELS = ("cases.case",)


def is_archived(obj: Any) -> bool:
    """Asked once per loaded record (a page asks several rules about the same record)."""
    cached = obj.__dict__.get("_carenet_archived")
    if cached is None:
        cached = (
            RecordDisposal.objects.for_tenant(obj.municipality_id)
            .filter(model=obj._meta.label_lower, object_id=obj.pk, disposition=Disposition.ARCHIVED)
            .exists()
        )
        obj.__dict__["_carenet_archived"] = cached
    return bool(cached)


def make_archived_records_read_only() -> None:
    """Wrap the ``change`` rule of each archivable model: an archived record may be read, never changed."""
    from django.apps import apps

    for label in ARCHIVABLE_MODELS:
        model = apps.get_model(label)
        key = (model._meta.label_lower, "change")
        rule = policy._rules.get(key)
        if rule is None or getattr(rule, "carenet_archive_guard", False):
            continue

        def guarded(actor: Actor, obj: Any, _rule: Any = rule) -> bool:
            return bool(_rule(actor, obj)) and not is_archived(obj)

        guarded.carenet_archive_guard = True  # type: ignore[attr-defined]
        policy.register_rule(model, "change", guarded)

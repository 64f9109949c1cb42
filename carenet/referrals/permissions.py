"""Who may see and act on referrals, registered in the one policy (carenet.core.policy).

* The sending provider (caseworkers and managers of the case's organisation) sees its referrals,
  always: they are part of its case.
* The receiving provider sees a referral once it is sent. It sees *what was shared* only while
  the referral is open (sent, received, accepted, in progress); afterwards it keeps the referral's
  outline (reference, dates, status) for its own statistics, and its own case if it opened one.
* Coordinators see the network's referrals of their municipality (outline only, for the lists and
  indicators), never the shared dossier.
* People's registry learns about referrals only through its extension points (decision 0013): an open
  referral, and the receiver's case opened from an accepted one while the referral holds, are grounds
  that share what the referral's flags say (the person's page needs identity and contact); a
  transferred case is the new owner's own ground. None of them lets the receiver change the record.

Views reach a referral only through ``referral_for(user, referral_id, action=...)`` (404 for a referral
the user does not see, 403 for a step they may not take, docs/architecture.md §3); the services ask
the same ``can_*`` predicates again before they write.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from carenet.cases.models import Case
from carenet.cases.permissions import cases_visible_to
from carenet.core.access import fetch
from carenet.core.policy import Actor, actor_of, policy
from carenet.people.grounds import ALL_SECTIONS, Ground, referral_sections, register_ground_source
from carenet.people.models import Person
from carenet.people.permissions import PROVIDER_ROLES, register_person_visibility

from .models import OPEN_STATUSES, CaseTransfer, Notification, Referral, ReferralStatus, SharingBasis


def _provider_orgs(actor: Actor) -> frozenset[Any]:
    return actor.organisation_ids(*PROVIDER_ROLES)


# --- the grounds a referral gives (decision 0013, carenet.people.grounds) --------------------------------
# An open referral shares what its flags say; the receiver's case opened from an accepted referral keeps
# sharing that while the referral holds (accepted, in progress or completed — not cancelled, declined or
# expired — and, when it rests on a consent, while that consent is active: a withdrawal stops it). A case
# transferred to the provider is an ownership change (decision 0009): the provider's own ground.
# Neither a referral nor the case opened from it lets the receiver change the record.

# Statuses after acceptance in which the receiver's case keeps the referral's sharing.
CASE_SHARING_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED)


def _open_referrals_to(municipality_id: Any, organisation_ids: frozenset[Any]) -> QuerySet:
    return Referral.objects.for_tenant(municipality_id).filter(
        to_organisation_id__in=organisation_ids, status__in=OPEN_STATUSES
    )


def _referrals_behind_receiver_cases(municipality_id: Any, organisation_ids: frozenset[Any]) -> QuerySet:
    return (
        Referral.objects.for_tenant(municipality_id)
        .filter(
            to_organisation_id__in=organisation_ids,
            receiver_case__isnull=False,
            receiver_case__organisation_id__in=organisation_ids,
            status__in=CASE_SHARING_STATUSES,
        )
        .filter(~Q(basis=SharingBasis.CONSENT) | Q(consent__withdrawn_on__isnull=True))
    )


def _transfers_to(municipality_id: Any, organisation_ids: frozenset[Any]) -> QuerySet:
    return CaseTransfer.objects.for_tenant(municipality_id).filter(
        to_organisation_id__in=organisation_ids, case__organisation_id__in=organisation_ids
    )


@register_person_visibility
def persons_referred_to_organisation(actor: Actor, organisation_ids: frozenset[Any]) -> Q:
    """Persons of referrals to the organisation whose identity and contact were shared, while the referral
    (or the receiver's case opened from it) holds; persons of cases transferred to it.

    Correlated EXISTS (people's extension contract): one index probe per person at any scale.
    """
    tenant = actor.municipality_id
    shared = {"share_identity": True, "share_contact": True, "person_id": OuterRef("pk")}
    return (
        Q(Exists(_open_referrals_to(tenant, organisation_ids).filter(**shared)))
        | Q(Exists(_referrals_behind_receiver_cases(tenant, organisation_ids).filter(**shared)))
        | Q(Exists(_transfers_to(tenant, organisation_ids).filter(case__person_id=OuterRef("pk"))))
    )


@register_ground_source
def referral_grounds(person: Person, organisation_ids: frozenset[Any]) -> list[Ground]:
    tenant = person.municipality_id
    grounds = [
        Ground("referral", referral_sections(r), False, r.to_organisation_id, str(r.pk))
        for r in _open_referrals_to(tenant, organisation_ids).filter(person=person)
    ]
    grounds += [
        Ground("referral_case", referral_sections(r), False, r.to_organisation_id, str(r.receiver_case_id))
        for r in _referrals_behind_receiver_cases(tenant, organisation_ids).filter(person=person)
    ]
    grounds += [
        Ground("transfer", ALL_SECTIONS, True, t.to_organisation_id, str(t.case_id))
        for t in _transfers_to(tenant, organisation_ids).filter(case__person=person)
    ]
    return grounds


# --- referrals ------------------------------------------------------------------------------------


def _referrals_visible(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_platform_admin or actor.is_coordinator:
        return qs.exclude(status=ReferralStatus.DRAFT)
    orgs = _provider_orgs(actor)
    if not orgs:
        return qs.none()
    return qs.filter(Q(from_organisation_id__in=orgs) | (Q(to_organisation_id__in=orgs) & ~Q(status="draft")))


def _is_sender(actor: Actor, referral: Referral) -> bool:
    return actor.has_role(*PROVIDER_ROLES, organisation_id=referral.from_organisation_id)


def _is_receiver(actor: Actor, referral: Referral) -> bool:
    return (
        actor.has_role(*PROVIDER_ROLES, organisation_id=referral.to_organisation_id)
        and referral.status != ReferralStatus.DRAFT
    )


def _can_view(actor: Actor, referral: Referral) -> bool:
    if actor.is_platform_admin or (actor.is_coordinator and referral.status != ReferralStatus.DRAFT):
        return True
    return _is_sender(actor, referral) or _is_receiver(actor, referral)


def _can_view_shared(actor: Actor, referral: Referral) -> bool:
    """The shared dossier: the sender always (it is its own case), the receiver only while open."""
    if _is_sender(actor, referral):
        return True
    return _is_receiver(actor, referral) and referral.is_open


def _can_send(actor: Actor, referral: Referral) -> bool:
    return _is_sender(actor, referral) and referral.status == ReferralStatus.DRAFT


def _can_cancel(actor: Actor, referral: Referral) -> bool:
    return _is_sender(actor, referral) and (referral.status == ReferralStatus.DRAFT or referral.is_open)


def _can_answer(actor: Actor, referral: Referral) -> bool:
    return _is_receiver(actor, referral) and referral.is_awaiting_answer


def _can_start(actor: Actor, referral: Referral) -> bool:
    return _is_receiver(actor, referral) and referral.status == ReferralStatus.ACCEPTED


def _can_complete(actor: Actor, referral: Referral) -> bool:
    return _is_receiver(actor, referral) and referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)


def _can_open_case(actor: Actor, referral: Referral) -> bool:
    return (
        _is_receiver(actor, referral)
        and referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
        and referral.receiver_case_id is None
    )


def _can_override(actor: Actor, referral: Referral) -> bool:
    """Emergency override of the consent rule: a supervisor (or manager) of the sending provider."""
    return actor.supervises(referral.from_organisation_id)


policy.register_visibility(Referral, _referrals_visible)
for _action, _rule in {
    "view": _can_view,
    "view_shared": _can_view_shared,
    "send": _can_send,
    "cancel": _can_cancel,
    "answer": _can_answer,
    "start": _can_start,
    "complete": _can_complete,
    "open_case": _can_open_case,
    "override": _can_override,
}.items():
    policy.register_rule(Referral, _action, _rule)

policy.register_visibility(Notification, lambda actor, qs: qs.filter(recipient_id=actor.user.pk))
policy.register_rule(Notification, "view", lambda actor, n: n.recipient_id == actor.user.pk)


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    return policy.visible(user, Referral)


def notifications_visible_to(user: Any) -> QuerySet[Notification]:
    return policy.visible(user, Notification)


# The related rows a referral's page and the API's detail show.
_REFERRAL_RELATED = (
    "from_organisation",
    "to_organisation",
    "to_service",
    "person",
    "case",
    "case__caseworker",
    "created_by",
    "suggested_service",
    "consent",
)


# A step of the workflow, as the pages' URLs and the API name it → the rule (above) it needs.
STEP_RULES = {
    "send": "send",
    "accept": "answer",
    "decline": "answer",
    "start": "start",
    "complete": "complete",
    "cancel": "cancel",
    "open-case": "open_case",
}


def referral_for(user: Any, referral_id: Any, *, action: str = "view") -> Referral:
    """The referral if the user sees it (else 404: "does not exist" and "not yours" answer alike), checked
    for ``action`` — ``"view_shared"``, ``"send"``, ``"answer"``, ``"start"``, ``"complete"``, ``"cancel"``,
    ``"open_case"`` — (403)."""
    return fetch(user, referrals_visible_to(user).select_related(*_REFERRAL_RELATED), referral_id, action=action)


def can_view_shared_data(user: Any, referral: Referral) -> bool:
    return policy.can(user, "view_shared", referral)


def can_send_referral(user: Any, referral: Referral) -> bool:
    return policy.can(user, "send", referral)


def can_cancel_referral(user: Any, referral: Referral) -> bool:
    return policy.can(user, "cancel", referral)


def can_answer_referral(user: Any, referral: Referral) -> bool:
    return policy.can(user, "answer", referral)


def can_start_referral(user: Any, referral: Referral) -> bool:
    return policy.can(user, "start", referral)


def can_complete_referral(user: Any, referral: Referral) -> bool:
    return policy.can(user, "complete", referral)


def can_open_case_from_referral(user: Any, referral: Referral) -> bool:
    return policy.can(user, "open_case", referral)


def can_refer_from_case(user: Any, case: Case) -> bool:
    """Referring (or transferring) a case: a provider role in the case's own organisation, case open."""
    return policy.can(user, "change", case)


def can_view_receiver_case(user: Any, referral: Referral) -> bool:
    """The case the receiver opened from the referral, if there is one and the user sees it."""
    return (
        referral.receiver_case_id is not None and cases_visible_to(user).filter(pk=referral.receiver_case_id).exists()
    )


def is_supervisor_of(user: Any, organisation_id: Any) -> bool:
    return actor_of(user).supervises(organisation_id)


def provider_organisations(user: Any) -> frozenset[Any]:
    return _provider_orgs(actor_of(user))


def sees_network_referrals(user: Any) -> bool:
    """Coordinators (and the platform administrator) see the referrals of every provider, in outline."""
    actor = actor_of(user)
    return actor.is_coordinator or actor.is_platform_admin


def can_see_referral_lists(user: Any) -> bool:
    return sees_network_referrals(user) or bool(provider_organisations(user))


def refers_cases(user: Any) -> bool:
    """A caseworker or manager of a provider: who refers and transfers the provider's cases."""
    return bool(provider_organisations(user))

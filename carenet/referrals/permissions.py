"""Who may see and act on referrals, registered in the one policy (carenet.core.policy).

* The sending provider (caseworkers and managers of the case's organisation) sees its referrals,
  always: they are part of its case.
* The receiving provider sees a referral once it is sent. It sees *what was shared* only while
  the referral is open (sent, received, accepted, in progress); afterwards it keeps the referral's
  outline (reference, dates, status) for its own statistics, and its own case if it opened one.
* Coordinators see the network's referrals of their municipality (outline only, for the lists and
  indicators), never the shared dossier.
* People's registry learns about referrals only through its extension point: the persons
  referred to an organisation are visible to it while the referral is open *and* identity and
  contact were shared (the person's page shows exactly those). Special-category data is shown
  to a provider that reaches the person only through a referral when the referral shares it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from carenet.cases.models import Case, ServiceDelivery
from carenet.core.policy import Actor, actor_of, policy
from carenet.people import permissions as people_permissions
from carenet.people.models import Consent, Person, SensitiveProfile
from carenet.people.permissions import PROVIDER_ROLES, register_person_visibility

from .models import OPEN_STATUSES, Notification, Referral, ReferralStatus


def _provider_orgs(actor: Actor) -> frozenset[Any]:
    return actor.organisation_ids(*PROVIDER_ROLES)


@register_person_visibility
def persons_referred_to_organisation(actor: Actor, organisation_ids: frozenset[Any]) -> Q:
    """Persons of open referrals to the organisation whose identity and contact were shared.

    A correlated EXISTS (people's extension contract): one index probe per person at any scale.
    """
    return Q(
        Exists(
            Referral.objects.for_tenant(actor.municipality_id).filter(
                person_id=OuterRef("pk"),
                to_organisation_id__in=organisation_ids,
                status__in=OPEN_STATUSES,
                share_identity=True,
                share_contact=True,
            )
        )
    )


# --- what a referral opens, and what it does not ----------------------------------------------------
# people's rules treat every provider that reaches a person alike, and a referral widens that reach.
# A provider reached *only* through referrals may read (what was shared) but not change the record,
# and sees special-category data only when an open referral shares it. The rules are wrapped (not
# replaced): people's own logic still decides first.
_people_view_sensitive = people_permissions._can_view_sensitive
_people_change_person = people_permissions._can_change_person


def _reached_only_through_referrals(actor: Actor, person: Person) -> bool:
    """A provider role whose organisations neither registered, nor have a case of, nor served the person."""
    if actor.is_platform_admin or actor.is_coordinator:
        return False
    orgs = _provider_orgs(actor)
    if person.registered_by_organisation_id in orgs:
        return False
    tenant = person.municipality_id
    if Case.objects.for_tenant(tenant).filter(person=person, organisation_id__in=orgs).exists():
        return False
    return not (
        ServiceDelivery.objects.for_tenant(tenant)
        .filter(person=person, organisation_id__in=orgs, case__isnull=True)
        .exists()
    )


def _can_view_sensitive(actor: Actor, person: Person) -> bool:
    if not _people_view_sensitive(actor, person):
        return False
    if not _reached_only_through_referrals(actor, person):
        return True
    return (
        Referral.objects.for_tenant(person.municipality_id)
        .filter(
            person=person,
            to_organisation_id__in=_provider_orgs(actor),
            status__in=OPEN_STATUSES,
            share_special=True,
        )
        .exists()
    )


def _can_change_person(actor: Actor, person: Person) -> bool:
    return _people_change_person(actor, person) and not _reached_only_through_referrals(actor, person)


policy.register_rule(Person, "view_sensitive", _can_view_sensitive)
policy.register_rule(Person, "change", _can_change_person)
policy.register_rule(SensitiveProfile, "view", lambda actor, sp: _can_view_sensitive(actor, sp.person))
policy.register_rule(Consent, "change", lambda actor, c: _can_change_person(actor, c.person))


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


def can_view_referral(user: Any, referral: Referral) -> bool:
    return policy.can(user, "view", referral)


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


def can_override_consent(user: Any, referral: Referral) -> bool:
    return policy.can(user, "override", referral)


def can_refer_from_case(user: Any, case: Case) -> bool:
    """Referring (or transferring) a case: a provider role in the case's own organisation, case open."""
    return policy.can(user, "change", case)


def is_supervisor_of(user: Any, organisation_id: Any) -> bool:
    return actor_of(user).supervises(organisation_id)


def provider_organisations(user: Any) -> frozenset[Any]:
    return _provider_orgs(actor_of(user))


def can_see_referral_lists(user: Any) -> bool:
    actor = actor_of(user)
    return actor.is_platform_admin or actor.is_coordinator or bool(_provider_orgs(actor))

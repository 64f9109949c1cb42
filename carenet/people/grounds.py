"""The legal grounds a user has for a person, and the sections of the record each ground shares (decision 0013).

One place answers "on what ground does this user see this person, and what does that ground open?".
Every rule on a person (view, change, special-category data, the sections of the person's page)
reads it. A ground is held by an *organisation* (the user's provider) or by the user's municipal
role (coordinator, platform administrator):

=================  ==========================================  ===========================  ==========
ground             where it comes from                         shares                       may change
=================  ==========================================  ===========================  ==========
``platform``       the platform administrator                  everything                   yes
``coordinator``    a coordinator of the municipality           everything but special data  yes
``registered``     the provider registered the person          everything                   yes
``consent``        an active consent (case management) naming  everything                   yes
                   the provider (scope) or recorded by it
``legal``          a case of the provider recording the law    everything                   yes
                   that allows it (cases)
``transfer``       a case transferred to the provider          everything                   yes
                   (referrals)
``referral``       an open referral to the provider            what the referral shares     no
                   (referrals)
``referral_case``  the provider's case opened from an          what the referral shares     no
                   accepted referral, while that referral
                   holds (not cancelled; its consent active)
=================  ==========================================  ===========================  ==========

A service delivery, an old case opened without a ground, or a past referral is **not** a ground.

Higher layers add their grounds through ``register_ground_source(fn)``: ``fn(person, organisation_ids)``
returns the grounds those organisations hold for ``person`` (``people`` imports none of them). The
querysets of visible persons (``register_person_visibility``) say the same thing as a filter: a
person is listed to a provider exactly when one of its grounds shares identity and contact.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenet.core.policy import Actor

from .models import Consent, ConsentPurpose, Person

IDENTITY = "identity"
CONTACT = "contact"
DOCUMENTS = "documents"
HOUSEHOLD = "household"
CONSENTS = "consents"
SPECIAL = "special"
# In the order of the person's page.
SECTIONS = (IDENTITY, CONTACT, DOCUMENTS, HOUSEHOLD, CONSENTS, SPECIAL)
ALL_SECTIONS = frozenset(SECTIONS)
NOT_SPECIAL = ALL_SECTIONS - {SPECIAL}
# A referral shares these only (its share_* flags); documents, household and consents stay with the sender.
SHARE_FLAG_SECTIONS = {"share_identity": IDENTITY, "share_contact": CONTACT, "share_special": SPECIAL}

GROUND_LABELS = {
    "platform": _("platform administration"),
    "coordinator": _("coordination of the municipality's network"),
    "registered": _("registered by your provider"),
    "consent": _("the person's consent to your provider"),
    "legal": _("the legal basis recorded on your provider's case"),
    "transfer": _("a case transferred to your provider"),
    "referral": _("an open referral to your provider"),
    "referral_case": _("your provider's case opened from an accepted referral"),
}


@dataclass(frozen=True)
class Ground:
    kind: str
    sections: frozenset[str]
    can_change: bool = False
    organisation_id: Any = None
    reference: str = ""  # the id of the consent, case or referral it rests on

    @property
    def label(self) -> str:
        return str(GROUND_LABELS.get(self.kind, self.kind))

    @property
    def is_full(self) -> bool:
        """The provider's own relationship with the person (not a sharing by another provider)."""
        return self.can_change and SPECIAL in self.sections


GroundSource = Callable[[Person, frozenset[Any]], Iterable[Ground]]
_ground_sources: list[GroundSource] = []


def register_ground_source(source: GroundSource) -> GroundSource:
    """A higher layer's grounds (cases: legal basis; referrals: referrals, transfers). Idempotent; a decorator."""
    if source not in _ground_sources:
        _ground_sources.append(source)
    return source


def referral_sections(referral: Any) -> frozenset[str]:
    """What a referral's ``share_*`` flags open of the person's record."""
    return frozenset(section for flag, section in SHARE_FLAG_SECTIONS.items() if getattr(referral, flag, False))


def case_management_consents(municipality_id: Any) -> Any:
    """Active consents to case management (the queryset the consent ground and its filter share)."""
    return Consent.objects.for_tenant(municipality_id).filter(
        purpose=ConsentPurpose.CASE_MANAGEMENT, withdrawn_on__isnull=True, given_on__lte=timezone.localdate()
    )


def consent_covers(organisation_ids: Iterable[Any]) -> Q:
    ids = list(organisation_ids)
    return Q(scope__id__in=ids) | Q(recorded_for_id__in=ids)


def persons_with_consent_to(actor: Actor, organisation_ids: frozenset[Any]) -> Q:
    """People's own visibility extension: an active case-management consent naming the provider."""
    return Q(
        Exists(
            case_management_consents(actor.municipality_id).filter(
                consent_covers(organisation_ids), person=OuterRef("pk")
            )
        )
    )


def organisation_grounds(person: Person, organisation_ids: frozenset[Any]) -> list[Ground]:
    """The grounds ``organisation_ids`` (one provider, or all of a user's) hold for ``person``."""
    if not organisation_ids:
        return []
    grounds: list[Ground] = []
    if person.registered_by_organisation_id in organisation_ids:
        grounds.append(Ground("registered", ALL_SECTIONS, True, person.registered_by_organisation_id, str(person.pk)))
    for consent in (
        case_management_consents(person.municipality_id)
        .filter(consent_covers(organisation_ids), person=person)
        .prefetch_related("scope")
        .order_by("-given_on")
    ):
        covered = {o.pk for o in consent.scope.all()} | {consent.recorded_for_id}
        org_id = next((o for o in organisation_ids if o in covered), None)
        grounds.append(Ground("consent", ALL_SECTIONS, True, org_id, str(consent.pk)))
    for source in _ground_sources:
        grounds.extend(source(person, organisation_ids))
    return grounds


def actor_grounds(actor: Actor, person: Person, provider_roles: tuple[str, ...]) -> list[Ground]:
    """Every ground the acting user holds for ``person`` (cached on the instance for one request's rules)."""
    cache: dict[Any, list[Ground]] = person.__dict__.setdefault("_carenet_grounds", {})
    key = getattr(actor.user, "pk", None)
    if key in cache:
        return cache[key]
    grounds: list[Ground] = []
    if actor.is_platform_admin:
        grounds.append(Ground("platform", ALL_SECTIONS, True))
    if actor.is_coordinator:
        grounds.append(Ground("coordinator", NOT_SPECIAL, True))
    grounds.extend(organisation_grounds(person, actor.organisation_ids(*provider_roles)))
    cache[key] = grounds
    return grounds


def sections_of(grounds: Iterable[Ground]) -> frozenset[str]:
    sections: frozenset[str] = frozenset()
    for ground in grounds:
        sections |= ground.sections
    return sections


def forget_grounds(person: Person) -> None:
    """After a write that changes a ground (a case opened, a consent withdrawn): ask again."""
    person.__dict__.pop("_carenet_grounds", None)

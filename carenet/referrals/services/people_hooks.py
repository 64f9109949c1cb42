"""Reactions to the people registry's writes (``carenet.people.hooks``, decision 0009).

The handlers keep the hooks' own signature (``user=``): people calls them, and people cannot import
referrals. They run inside people's transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from carenet.audit.services import audit_record
from carenet.people.models import Consent

from ..models import OPEN_STATUSES, Referral, ReferralEvent, ReferralStatus, SharingBasis
from .capacity import release_place
from .notifications import notify
from .timeline import log_step, set_status


def stop_sharing_on_consent_withdrawal(*, user: Any, consent: Consent) -> int:
    """People's consent-withdrawal hook: the open referrals that relied on ``consent`` stop sharing at once.

    GDPR art. 7(3), Law 133/2011 (MD): the sharing had no other ground, so each such referral is
    cancelled (decision 0009): the receiver loses the shared dossier and the person's page like after
    any closing, the place is given back, both timelines say why, both providers are notified and
    the step is audited. Referrals sent on the case's legal basis or an emergency override do not
    rest on a consent and are left alone. Runs inside ``consent_withdraw``'s transaction.
    """
    referrals = list(
        Referral.objects.for_tenant(consent.municipality_id)
        .filter(consent_id=consent.pk, basis=SharingBasis.CONSENT, status__in=OPEN_STATUSES)
        .select_related("to_service", "to_organisation", "from_organisation", "case", "case__caseworker", "created_by")
        .order_by("sent_at")
    )
    withdrawn_on = consent.withdrawn_on or timezone.localdate()
    stopped = 0
    for referral in referrals:
        place_taken = referral.place_taken
        try:
            set_status(
                referral,
                allowed=OPEN_STATUSES,
                status=ReferralStatus.CANCELLED,
                closed_at=timezone.now(),
                cancel_reason=_("The person withdrew the consent this referral relied on (withdrawn on %(date)s).")
                % {"date": withdrawn_on.isoformat()},
                place_taken=False,
            )
        except ValidationError:
            continue  # closed meanwhile: nothing is shared any more
        referral.place_taken = place_taken
        release_place(referral)
        log_step(
            referral,
            kind="consent_withdrawn",
            actor=user,
            organisation_id=None,
            changes={"consent": str(consent.pk), "withdrawn_on": withdrawn_on.isoformat(), "sharing_stopped": True},
        )
        notify(referral, kind="consent_withdrawn", to="receiver", actor=user, organisation=referral.from_organisation)
        notify(referral, kind="consent_withdrawn", to="sender", actor=user, organisation=referral.from_organisation)
        stopped += 1
    return stopped


def describe_consent_use(*, consent: Consent) -> list[str]:
    """People's consent-use hook: the open referrals that rely on ``consent``, said before it is withdrawn."""
    references = list(
        Referral.objects.for_tenant(consent.municipality_id)
        .filter(consent_id=consent.pk, basis=SharingBasis.CONSENT, status__in=OPEN_STATUSES)
        .order_by("sent_at")
        .values_list("reference", flat=True)
    )
    if not references:
        return []
    return [
        ngettext(
            "%(count)s open referral relies on this consent (%(references)s): withdrawing it cancels the referral "
            "at once, the receiving provider no longer sees what was shared, and both providers are told.",
            "%(count)s open referrals rely on this consent (%(references)s): withdrawing it cancels them at once, "
            "the receiving providers no longer see what was shared, and all providers involved are told.",
            len(references),
        )
        % {"count": len(references), "references": ", ".join(references)}
    ]


def person_merge_move(*, user: Any, survivor: Any, duplicate: Any) -> dict[str, int]:
    """People's merge hook: the duplicate's referrals follow the survivor, each with a timeline line and an audit event.

    Runs inside ``person_merge``'s transaction (with cases' hook, which moves the referrals' cases).
    """
    tenant = survivor.municipality_id
    referrals = list(Referral.objects.for_tenant(tenant).filter(person=duplicate).order_by("created_at"))
    moved = (
        Referral.objects.for_tenant(tenant).filter(person=duplicate).update(person=survivor, updated_at=timezone.now())
    )
    for referral in referrals:
        ReferralEvent.objects.create(
            municipality_id=tenant, referral=referral, kind="person_merge", actor=user, organisation=None
        )
        audit_record(
            action="referral.person_merge",
            actor=user,
            obj=referral,
            changes={"person": [str(duplicate.pk), str(survivor.pk)]},
        )
    return {"referrals.referral": moved}

"""Every write to a referral or a transfer: validated, one transaction, timeline + audit, side effects on commit.

Each transition is a compare-and-set on ``status`` (two people answering the same referral at once
cannot both win), writes one ``ReferralEvent`` (the referral's own timeline, seen by both sides),
one ``CaseEvent`` on the sender's case (and on the receiver's case if it opened one), one audit
event, and notifications (in-app rows now, e-mails after commit).

One module per part of the work; the public names are re-exported here, so callers write
``from carenet.referrals import services`` and ``services.referral_accept(actor=..., referral=...)``:

* ``sharing`` — the ground for sharing (consent, legal basis, emergency override);
* ``timeline`` — the compare-and-set on the status, the timeline line, case events and audit of a step;
* ``notifications`` — who is told, in their language; marking notifications read;
* ``capacity`` — places taken and given back;
* ``sending`` · ``answering`` · ``completion`` — the sender's steps, the receiver's answer, the receiver's work;
* ``expiry`` — the scheduled expiry of unanswered referrals;
* ``transfers`` — a case handed over to another provider;
* ``people_hooks`` — reactions to the people registry (consent withdrawn, consent uses, merge).

The access rules the services enforce (defence in depth: a view has already fetched the record with
``permissions.referral_for``) are decided in ``carenet.referrals.permissions``.
"""

from .answering import referral_accept, referral_decline, referral_mark_received
from .completion import referral_complete, referral_open_case, referral_start
from .expiry import referrals_expire_overdue
from .notifications import NOTIFICATION_MESSAGES, notifications_mark_read
from .people_hooks import describe_consent_use, person_merge_move, stop_sharing_on_consent_withdrawal
from .response_times import response_time_set
from .sending import (
    DEFAULT_RESPONSE_DAYS,
    referral_cancel,
    referral_create,
    referral_send,
    referral_shared_keys,
    response_days_for,
)
from .sharing import consent_covering
from .timeline import EVENT_LABELS, event_label
from .transfers import case_transfer

__all__ = [
    "DEFAULT_RESPONSE_DAYS",
    "EVENT_LABELS",
    "NOTIFICATION_MESSAGES",
    "case_transfer",
    "consent_covering",
    "describe_consent_use",
    "event_label",
    "notifications_mark_read",
    "person_merge_move",
    "referral_accept",
    "referral_cancel",
    "referral_complete",
    "referral_create",
    "referral_decline",
    "referral_mark_received",
    "referral_open_case",
    "referral_send",
    "referral_shared_keys",
    "referral_start",
    "referrals_expire_overdue",
    "response_days_for",
    "response_time_set",
    "stop_sharing_on_consent_withdrawal",
]

"""Referrals: the received list and the per-provider figures over many referrals; the expiry task's rate.

Needs `load_demo` (it reuses the demo referral's case, person and service). Size: BENCH_REFERRALS (default 5000).
"""

import datetime
import os
import time
import uuid

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from bench.results import Result
from carenet.core.models import Municipality
from carenet.referrals.models import Referral, ReferralStatus
from carenet.referrals.selectors import referral_figures, referrals_received
from carenet.referrals.services import referrals_expire_overdue

N = int(os.environ.get("BENCH_REFERRALS", "5000"))
EXPIRE = min(N, int(os.environ.get("BENCH_REFERRALS_EXPIRE", "300")))


def _timed(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def run() -> list[Result]:
    municipality = Municipality.objects.filter(slug="baia-mare").first()
    template = (
        Referral.objects.for_tenant(municipality).select_related("created_by").order_by("created_at").first()
        if municipality
        else None
    )
    if template is None:
        return [Result("referrals (needs load_demo)", 0, "", passed=None)]
    receiver = template.to_organisation.memberships.filter(is_active=True).select_related("user").first()
    now = timezone.now()
    statuses = [ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED, ReferralStatus.DECLINED]
    rows = []
    for i in range(N):
        sent = now - datetime.timedelta(days=60, minutes=i)
        status = statuses[i % 4]
        answered = None if status == ReferralStatus.SENT else sent + datetime.timedelta(hours=1 + i % 50)
        rows.append(
            Referral(
                municipality=municipality,
                reference=f"BENCH-{uuid.uuid4().hex[:12]}",
                case_id=template.case_id,
                person_id=template.person_id,
                from_organisation_id=template.from_organisation_id,
                to_service_id=template.to_service_id,
                to_organisation_id=template.to_organisation_id,
                reason="bench",
                status=status,
                sent_at=sent,
                respond_by=sent + datetime.timedelta(days=5),
                responded_at=answered,
                accepted_at=answered if status in (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED) else None,
                outcome="goals_met" if status == ReferralStatus.COMPLETED else "",
                decline_reason="bench" if status == ReferralStatus.DECLINED else "",
                created_by=template.created_by,
            )
        )
    with transaction.atomic():
        Referral.objects.bulk_create(rows, batch_size=1000)
    results: list[Result] = []
    try:
        user = receiver.user
        with CaptureQueriesContext(connection) as queries:
            received_ms = _timed(lambda: list(referrals_received(user=user)))
        plain_ms = _timed(
            lambda: list(
                Referral.objects.for_tenant(municipality)
                .filter(to_organisation_id=template.to_organisation_id)
                .order_by("-sent_at")[:200]
            )
        )
        results.append(
            Result(
                f"received list, 200 of {N:,} ({connection.vendor})",
                received_ms,
                "ms",
                target="< 3× plain query",
                baseline_name="plain query",
                baseline=plain_ms,
                passed=received_ms < 3 * plain_ms + 5,
            )
        )
        assert len(queries) <= 5 * 2  # a constant number of queries per call, whatever N
        figures_ms = _timed(
            lambda: referral_figures(referrals=Referral.objects.for_tenant(municipality), by="provider"), repeat=3
        )
        results.append(
            Result(
                f"response time + completion rate over {N:,}",
                figures_ms,
                "ms",
                target="< 2000 ms",
                passed=figures_ms < 2000,
            )
        )
        # Expiry: EXPIRE overdue referrals, each with its events, audit record and notifications.
        overdue = list(
            Referral.objects.for_tenant(municipality).filter(reference__startswith="BENCH-", status="sent")[:EXPIRE]
        )
        ids = [r.pk for r in overdue]
        Referral.objects.for_tenant(municipality).filter(reference__startswith="BENCH-", status="sent").exclude(
            pk__in=ids
        ).update(status=ReferralStatus.CANCELLED, cancel_reason="bench", closed_at=now)
        started = time.perf_counter()
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            expired = referrals_expire_overdue(now=now)
        per_ms = (time.perf_counter() - started) / max(expired, 1) * 1000
        results.append(
            Result(f"expiry task, {expired} referrals", per_ms, "ms/referral", target="< 100 ms", passed=per_ms < 100)
        )
    finally:
        Referral.objects.for_tenant(municipality).filter(reference__startswith="BENCH-").delete()
    return results

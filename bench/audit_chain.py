"""Audit log: cost of one hash-chained append vs a plain insert of the same row (same run)."""

import time
import uuid

from django.db import connection, transaction
from django.utils import timezone

from bench.results import Result
from carenet.audit.models import AuditEvent
from carenet.audit.services import audit_record
from carenet.core.models import Municipality

N = 2000


def run() -> list[Result]:
    municipality = Municipality.objects.order_by("slug").first()
    if municipality is None:
        return [Result("audit append (needs load_demo)", 0, "", passed=None)]
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(N):
            audit_record(action="bench.append", municipality=municipality, object_id=str(i))
    chained = (time.perf_counter() - started) / N * 1e6
    # Baseline: the same rows inserted without the chain (no lookup of the previous hash, no lock), in a chain
    # of their own so that the municipality's chain stays whole (the benchmark database is thrown away).
    plain_chain = uuid.uuid4()
    started = time.perf_counter()
    with transaction.atomic():
        for i in range(N):
            AuditEvent.objects.create(
                created_at=timezone.now(),
                action="bench.plain",
                municipality=municipality,
                chain=plain_chain,
                seq=i + 1,
                object_id=str(i),
                prev_hash="-",
                hash=f"bench-{time.time_ns()}-{i}",
            )
    plain = (time.perf_counter() - started) / N * 1e6
    return [
        Result(
            f"audit append, hash-chained ({connection.vendor})",
            chained,
            "µs/event",
            target="< 3× plain insert",
            baseline_name="plain insert",
            baseline=plain,
            passed=chained < 3 * plain,
        )
    ]

"""The intake duplicate lookup at registry scale: ``person_duplicates`` against 200,000 registered persons.

Loads (once; reused on the next run when the row count matches) a benchmark municipality ("bench-linkage")
whose registry is the labelled synthetic one of bench/linkage_synth.py: BENCH_LINKAGE_INTAKE_RECORDS records
(default 200,000) of about 0.65 × as many true persons (BENCH_LINKAGE_INTAKE_PERSONS), Romanian, Hungarian,
Roma, Russian and Ukrainian names in Latin and Cyrillic, Zipf-distributed, families giving hard negatives.
Every record is a Person row registered by one organisation, whose caseworker therefore sees the whole
registry (the worst case for the caseworker's lookup), as the municipality's coordinator does.

The municipality's matcher is trained once, as a coordinator's "check the registry now" trains it:
``people.services.registry_deduplicate`` over the whole registry (its time is reported: rows read, blocked,
compared in columns, trained, clustered, stored).

Probes (BENCH_LINKAGE_INTAKE_PROBES of each kind, default 150): registered persons typed again with one or two
of the generator's corruptions (a new re-typing of their first record, not a row already loaded), and new
persons (persons of the same generated registry whose only record was held back from the load). Each lookup
is timed on its own (wall time, perf_counter) after 10 warm-up calls, for a coordinator and for a caseworker;
the query count and the database's share come from a second pass under an execute wrapper. The name-
comparison caches of people.linkage are emptied before each user's pass, so the second user's lookups are not
served from the first user's. Issue target: p95 < 50 ms.

BENCH_LINKAGE_INTAKE_PROFILE=1 also profiles each user's slowest lookup (cProfile, the queries with their times
and, on PostgreSQL, EXPLAIN ANALYZE of the slowest query and of the last one, the visibility rule's).

Database: DATABASE_URL (as `make bench`), e.g. sqlite:///var/bench.sqlite3 or postgres://…/bench.
"""

from __future__ import annotations

import datetime
import functools
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.linkage_synth import Record, _applicable, _corrupt, registry
from bench.results import Result

SLUG = "bench-linkage"
SEED = 14
RECORDS = int(os.environ.get("BENCH_LINKAGE_INTAKE_RECORDS", "200000"))
PERSONS = int(os.environ.get("BENCH_LINKAGE_INTAKE_PERSONS", str(round(RECORDS * 0.65))))
PROBES = int(os.environ.get("BENCH_LINKAGE_INTAKE_PROBES", "150"))  # of each kind: duplicates, new persons
WARMUP = 10
TARGET_MS = 50.0
BATCH = 20_000
_BASE_MS = 1_767_225_600_000  # 2026-01-01, the generator's "today": ids are version-7 shaped, in record order


def _pk(rid: int) -> uuid.UUID:
    """The row id of record ``rid``: a UUIDv7 whose time is the record's number (so the record is read back from it)."""
    return uuid.UUID(int=(_BASE_MS + rid) << 80 | 0x7 << 76 | 0b10 << 62 | rid)


def _rid(pk: Any) -> int:
    value = pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk))
    return value.int & ((1 << 62) - 1)


@dataclass
class Probe:
    kind: str  # "duplicate" | "new"
    record: Record

    def kwargs(self) -> dict[str, Any]:
        r = self.record
        return {
            "first_name": r.first_name,
            "last_name": r.last_name,
            "birth_date": r.birth_date,
            "national_id": r.national_id,
            "identifier_kind": r.identifier_kind,
            "sex": r.sex,
            "address": r.address,
            "other_spellings": r.other_spellings,
        }


def _data() -> tuple[list[Record], list[Probe], list[Probe]]:
    """The records to load, the warm-up probes and the measured probes (duplicates and new persons, shuffled)."""
    held = PROBES + WARMUP
    people, records = registry(PERSONS, RECORDS + held, seed=SEED)
    per_entity: dict[int, list[Record]] = {}
    for r in records:
        per_entity.setdefault(r.entity, []).append(r)
    rng = random.Random(2026)
    singletons = sorted(e for e, rs in per_entity.items() if len(rs) == 1)
    new_entities = set(rng.sample(singletons, held))
    loaded = [r for r in records if r.entity not in new_entities]
    new = [Probe("new", per_entity[e][0]) for e in sorted(new_entities)]
    # A registered person typed again: their first record, with one or two corruptions (as registry() makes them).
    duplicates = []
    for entity in rng.sample(sorted(set(per_entity) - new_entities), held):
        person, base = people[entity], per_entity[entity][0]
        options = _applicable(person, base)
        record = base
        for what in rng.sample(options, k=min(1 if rng.random() < 0.7 else 2, len(options))):
            record = _corrupt(rng, record, person, what)
        duplicates.append(Probe("duplicate", record))
    warmup = new[:5] + duplicates[:5]
    measured = new[5 : 5 + PROBES] + duplicates[5 : 5 + PROBES]
    rng.shuffle(measured)
    return loaded, warmup, measured


def _tenant() -> tuple[Any, Any, Any, Any]:
    """The benchmark municipality, its one organisation, a caseworker of it and the municipality's coordinator."""
    from bench.scale import synthetic_municipality
    from carenet.accounts.models import Membership, User
    from carenet.core.models import Organisation
    from carenet.core.roles import Role

    municipality = synthetic_municipality(
        slug=SLUG, name="Benchmark registry for record linkage (synthetic)", country="RO", statistical_code="000001"
    )
    org, _ = Organisation.objects.for_tenant(municipality).get_or_create(
        code="bench-linkage-provider",
        defaults={"municipality": municipality, "name": "Bench linkage provider", "kind": "public"},
    )
    users = []
    for username, role in (("bench.linkage.cw", Role.CASEWORKER), ("bench.linkage.coordinator", Role.COORDINATOR)):
        user, _ = User.objects.get_or_create(username=username, defaults={"municipality": municipality})
        Membership.objects.for_tenant(municipality).get_or_create(
            user=user, organisation=org, role=role, defaults={"municipality": municipality}
        )
        users.append(user)
    return municipality, org, users[0], users[1]


def _load(municipality: Any, org: Any, records: list[Record]) -> tuple[int, float | None]:
    """Load the registry unless it is there already: (rows, seconds spent loading, None when reused)."""
    from bench.generate import _bulk
    from carenet.people.models import LinkageModel, Person

    existing = Person.objects.for_tenant(municipality).count()
    if existing == len(records):
        print(f"  reusing the loaded registry: {existing:,} persons", flush=True)
        return existing, None
    started = time.perf_counter()
    with transaction.atomic():
        if existing:
            print(f"  {existing:,} persons loaded, {len(records):,} wanted: wiping them", flush=True)
            LinkageModel.objects.for_tenant(municipality).delete()
            qs = Person.objects.for_tenant(municipality)
            qs._raw_delete(qs.db)  # benchmark rows only: nothing refers to them
        now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        for start in range(0, len(records), BATCH):
            batch = []
            for r in records[start : start + BATCH]:
                person = Person(
                    id=_pk(r.rid),
                    municipality_id=municipality.pk,
                    first_name=r.first_name,
                    last_name=r.last_name,
                    other_spellings=r.other_spellings,
                    sex=r.sex,
                    birth_date=r.birth_date,
                    identifier_kind=r.identifier_kind,
                    national_id=r.national_id,
                    address=r.address,
                    registered_by_organisation_id=org.pk,
                    is_synthetic=True,
                    created_at=now,
                    updated_at=now,
                )
                person.refresh_name_keys()  # what save() does: name key, search text, the blocking keys
                batch.append(person)
            _bulk(Person, batch)
            done = start + len(batch)
            print(f"  loaded {done:,} / {len(records):,} persons ({time.perf_counter() - started:.0f} s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE people_person")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    print(f"  {len(records):,} persons loaded in {seconds:.0f} s", flush=True)
    return len(records), seconds


def _train(municipality: Any) -> tuple[str, float | None]:
    """The municipality's matcher, trained once by the batch de-duplication a coordinator starts (kept while
    the registry is reused): what was done, and the batch's seconds when it ran now."""
    from carenet.people.models import LinkageModel
    from carenet.people.services import registry_deduplicate

    row = LinkageModel.objects.for_tenant(municipality).order_by("-trained_at").first()
    if row is not None:
        return f"reused the stored model (trained on {row.records:,} records, {row.trained_at:%Y-%m-%d %H:%M})", None
    print("  training the municipality's matcher: registry_deduplicate over the whole registry …", flush=True)
    started = time.perf_counter()
    result = registry_deduplicate(municipality_id=municipality.pk)
    seconds = time.perf_counter() - started
    what = (
        f"people.services.registry_deduplicate over {result['records']:,} records "
        f"({result['candidate_pairs']:,} candidate pairs, {len(result['clusters']):,} clusters kept) in {seconds:.0f} s"
    )
    print(f"  model: {what}", flush=True)
    return what, seconds


def _clear_caches() -> None:
    """Empty the name-comparison caches of people.linkage (lru_cache): each user's pass starts from the same state."""
    import carenet.people.linkage.model as model_module
    import carenet.people.linkage.names as names_module
    import carenet.people.names as people_names

    for module in (model_module, names_module, people_names):
        for value in vars(module).values():
            if isinstance(value, functools._lru_cache_wrapper):
                value.cache_clear()


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))  # nearest rank
    return ordered[index]


class _QueryTimer:
    """Each query's execution time (perf_counter, µs resolution; CaptureQueriesContext rounds to the millisecond).

    On PostgreSQL execute() receives every row; on SQLite rows after the first are computed while fetched, outside.
    """

    def __init__(self) -> None:
        self.queries: list[tuple[str, float]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, (time.perf_counter() - started) * 1000))


_ENTITY: dict[int, int] = {}  # record id -> true person, of the loaded records


@dataclass
class Pass:
    user: str
    times: list[float]
    cpu: list[float]  # this process's CPU time per lookup (on SQLite the database's work too)
    queries: list[int]
    db_ms: list[float]
    scored: list[int]  # visible candidates loaded and scored
    found: int  # duplicate probes whose person is among the matches
    warned: int  # new-person probes with any match
    slowest: Probe


def _measure(user: Any, label: str, warmup: list[Probe], probes: list[Probe]) -> Pass:
    from carenet.people.selectors import person_duplicates

    _clear_caches()
    for probe in warmup:
        person_duplicates(user=user, **probe.kwargs())
    times, cpu, found, warned = [], [], 0, 0
    for probe in probes:
        started, cpu_started = time.perf_counter(), time.process_time()
        matches = person_duplicates(user=user, **probe.kwargs())
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        if probe.kind == "duplicate":
            found += any(
                _rid(m.person.pk) in _ENTITY and _ENTITY[_rid(m.person.pk)] == probe.record.entity for m in matches
            )
        else:
            warned += bool(matches)
    # The second pass, not timed above: the queries and their time, and how many candidates were scored (the
    # selector's calls of prepare_person, counted in this process only).
    import carenet.people.selectors as selectors

    queries, db_ms, scored = [], [], []
    original = selectors.prepare_person
    calls = [0]

    def counting(person: Any) -> Any:
        calls[0] += 1
        return original(person)

    selectors.prepare_person = counting
    try:
        for probe in probes:
            timer, calls[0] = _QueryTimer(), 0
            # Counted by the wrapper: CaptureQueriesContext reads a log capped at 9,000 queries, past which
            # it counts nothing.
            with connection.execute_wrapper(timer):
                person_duplicates(user=user, **probe.kwargs())
            queries.append(len(timer.queries))
            db_ms.append(sum(ms for _sql, ms in timer.queries))
            scored.append(calls[0])
    finally:
        selectors.prepare_person = original
    slowest = probes[max(range(len(times)), key=times.__getitem__)]
    return Pass(label, times, cpu, queries, db_ms, scored, found, warned, slowest)


def _profile(user: Any, probe: Probe) -> None:
    """Where one slow lookup's time goes: cProfile, its queries with their times, the slowest query's plan."""
    import cProfile
    import pstats

    from carenet.people.selectors import person_duplicates

    print(f"\n  profile of the slowest lookup ({probe.kind}): {probe.kwargs()}", flush=True)
    profiler = cProfile.Profile()
    timer = _QueryTimer()
    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(timer):
        started = time.perf_counter()
        profiler.enable()
        matches = person_duplicates(user=user, **probe.kwargs())
        profiler.disable()
        elapsed = (time.perf_counter() - started) * 1000
    print(f"  {elapsed:.1f} ms (under cProfile), {len(matches)} matches, {len(ctx.captured_queries)} queries:")
    for (_sql, ms), q in zip(timer.queries, ctx.captured_queries, strict=False):
        print(f"    {ms:7.2f} ms  {q['sql'][:400]}")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(15)
    if connection.vendor == "postgresql" and ctx.captured_queries:
        slowest = max(range(len(timer.queries)), key=lambda i: timer.queries[i][1])
        last = len(ctx.captured_queries) - 1  # the candidates loaded through the visibility rule
        for index, what in ((slowest, "the slowest query"), (last, "the last query (visibility)")):
            if what.startswith("the last") and index == slowest:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + ctx.captured_queries[index]["sql"])
                print(f"  EXPLAIN ANALYZE of {what}:")
                for (line,) in cursor.fetchall():
                    print("    " + line[:300])


def run() -> list[Result]:
    records, warmup, probes = _data()
    _ENTITY.clear()
    _ENTITY.update({r.rid: r.entity for r in records})
    municipality, org, caseworker, coordinator = _tenant()
    rows, load_s = _load(municipality, org, records)
    model, batch_s = _train(municipality)
    vendor = connection.vendor
    scale = f"{rows // 1000}k persons, {vendor}"
    print(
        f"  {rows:,} persons ({len({r.entity for r in records}):,} true persons); "
        f"load {'reused' if load_s is None else f'{load_s:.0f} s'}; model: {model}",
        flush=True,
    )
    results = []
    if batch_s is not None:
        results.append(
            Result(
                f"batch de-duplication of the registry, rows read to clusters stored ({scale})", round(batch_s, 1), "s"
            )
        )
    passes = []
    for user, label in ((coordinator, "coordinator"), (caseworker, "caseworker")):
        measured = _measure(user, label, warmup, probes)
        passes.append((user, measured))
        p50, p95, worst = (
            statistics.median(measured.times),
            _percentile(measured.times, 0.95),
            max(measured.times),
        )
        q = statistics.median(measured.queries)
        q_range = f"{min(measured.queries)}-{max(measured.queries)}"
        db = statistics.median(measured.db_ms)
        dup = [t for t, p in zip(measured.times, probes, strict=True) if p.kind == "duplicate"]
        new = [t for t, p in zip(measured.times, probes, strict=True) if p.kind == "new"]
        print(
            f"  {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms; duplicates p95 "
            f"{_percentile(dup, 0.95):.1f} ms, new persons p95 {_percentile(new, 0.95):.1f} ms; this process's CPU "
            f"p50 {statistics.median(measured.cpu):.1f} ms, p95 {_percentile(measured.cpu, 0.95):.1f} ms; "
            f"queries per lookup median {q:g} ({q_range}), database time median {db:.1f} ms; candidates scored "
            f"median {statistics.median(measured.scored):g}, p95 {_percentile(measured.scored, 0.95):g}, "
            f"max {max(measured.scored)}; "
            f"duplicates found {measured.found}/{len(dup)}, new persons warned {measured.warned}/{len(new)}",
            flush=True,
        )
        results += [
            Result(
                f"intake duplicate lookup p95 ({scale}, {label})",
                p95,
                "ms",
                f"< {TARGET_MS:g} ms",
                passed=p95 < TARGET_MS,
            ),
            Result(f"intake duplicate lookup p50 ({scale}, {label})", p50, "ms"),
            Result(f"intake duplicate lookup max ({scale}, {label})", worst, "ms"),
            Result(f"intake duplicate lookup queries per lookup, median ({q_range}) ({scale}, {label})", q, "queries"),
            Result(f"intake duplicate lookup database time, median ({scale}, {label})", db, "ms"),
            Result(
                f"intake duplicate lookup candidates scored, median (max {max(measured.scored)}) ({scale}, {label})",
                statistics.median(measured.scored),
                "persons",
            ),
        ]
    if os.environ.get("BENCH_LINKAGE_INTAKE_PROFILE"):
        for user, measured in passes:
            _profile(user, measured.slowest)
    return results


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    from bench.results import print_table

    print_table(run())

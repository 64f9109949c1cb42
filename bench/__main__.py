"""`make bench`: run every registered benchmark, print one table (figure, target, baseline ratio), keep the
figures as JSON in var/bench/ and print the comparison with the earlier runs (bench/results.py).

Each benchmark module in bench/ exposes ``run() -> list[Result]``; they are listed in BENCHMARKS.
Ratios are measured in the same run as their baseline, because the machine is shared and noisy.

``python -m bench NAME …`` runs only the named modules: a module's own name (``cases``, ``api_throughput``)
runs that one; any other word, every module whose name holds it (``linkage``: linkage and linkage_intake).
An unknown name is an error (exit 2), not an empty table. The database is ``DATABASE_URL``, else
``BENCH_DATABASE_URL``, else ``var/bench.sqlite3`` — the one `make bench` migrates and loads the demo into.
"""

from __future__ import annotations

import datetime
import importlib
import os
import sys
import time
import traceback

from bench.results import (
    ROOT,
    Result,
    compare,
    earlier_runs,
    print_comparison,
    print_table,
    results_dir,
    run_record,
    write_run,
)

BENCHMARKS: list[str] = [
    "bench.audit_chain",
    "bench.cases",
    "bench.plans",
    "bench.activities",
    "bench.activities_signin",
    "bench.portal_help",
    "bench.referrals",
    "bench.campaigns",
    "bench.canteen",
    "bench.directory",
    "bench.dashboards",
    "bench.import_persons",
    "bench.linkage",
    "bench.linkage_intake",
    "bench.scale",
    "bench.api_throughput",
    "bench.care_matching",
    "bench.replica",  # skipped without a streaming replica (BENCH_REPLICA_URL; scripts/replica.sh start)
]


def selected(names: list[str], benchmarks: list[str] = BENCHMARKS) -> list[str]:
    """The modules ``names`` ask for (every module without names); ValueError naming an unknown one."""
    if not names:
        return list(benchmarks)
    chosen: list[str] = []
    for name in names:
        short = name.removeprefix("bench.")
        exact = [d for d in benchmarks if d.rsplit(".", 1)[-1] == short]
        found = exact or [d for d in benchmarks if short in d.rsplit(".", 1)[-1]]
        if not found:
            raise ValueError(name)
        chosen += [d for d in found if d not in chosen]
    return [d for d in benchmarks if d in chosen]  # in the registered order


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        modules = selected(argv, BENCHMARKS)
    except ValueError as exc:
        known = ", ".join(d.rsplit(".", 1)[-1] for d in BENCHMARKS)
        print(f"no benchmark module is named {exc}; the modules: {known}", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault(
        "DATABASE_URL", os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    )
    import django

    django.setup()
    from django.db import connection

    results: list[Result] = []
    started_at = datetime.datetime.now(datetime.UTC)
    started = time.perf_counter()
    for dotted in modules:
        print(f"running {dotted} …", flush=True)
        try:
            rows = importlib.import_module(dotted).run()
        except Exception as exc:  # one broken module must not lose the others' figures: it is a failed row
            traceback.print_exc()
            rows = [Result(f"{dotted} failed: {type(exc).__name__}: {str(exc)[:200]}", 0, "", passed=False)]
        load = os.getloadavg()
        for row in rows:
            row.module = row.module or dotted.rsplit(".", 1)[-1]
            row.load = row.load or (round(load[0], 2), round(load[1], 2), round(load[2], 2))
            row.vendor = row.vendor or connection.vendor
        results.extend(rows)
    wall = time.perf_counter() - started
    print_table(results)
    print(f"\nwall time: {wall:.1f} s")
    record = run_record(
        results,
        started=started_at,
        finished=datetime.datetime.now(datetime.UTC),
        modules=[d.rsplit(".", 1)[-1] for d in modules],
        wall_seconds=wall,
    )
    earlier = earlier_runs()
    print_comparison(compare(record, earlier))
    path = write_run(record)
    print(
        f"\nfigures kept in {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} and {results_dir()}/latest.json"
    )
    return 0 if all(r.passed is not False for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())

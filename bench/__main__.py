"""`make bench`: run every registered benchmark and print one table (figure, target, baseline ratio).

Each benchmark module in bench/ exposes ``run() -> list[Result]``; they are listed in BENCHMARKS.
Ratios are measured in the same run as their baseline, because the machine is shared and noisy.
"""

import importlib
import os
import sys
import time

import django

from bench.results import Result, print_table

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


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    results: list[Result] = []
    started = time.perf_counter()
    only = sys.argv[1:]
    for dotted in BENCHMARKS:
        if only and not any(name in dotted for name in only):
            continue
        print(f"running {dotted} …", flush=True)
        results.extend(importlib.import_module(dotted).run())
    print_table(results)
    print(f"\nwall time: {time.perf_counter() - started:.1f} s")
    return 0 if all(r.passed is not False for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())

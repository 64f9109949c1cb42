"""The national-registry preset (2,000,000 persons, 20,000,000 deliveries) measured where people wait
(issues 23 and 25): single-node PostgreSQL and, when loaded, the three-node Citus cluster, in the same run.

    python -m bench.national setup URL     # migrate (and distribute on Citus), load the preset once
    python -m bench.national               # measure every engine whose database holds the preset

Databases: ``carenet_national`` on PostgreSQL 127.0.0.1:5432 and on the Citus coordinator 127.0.0.1:5440
(BENCH_NATIONAL_PG_URL / BENCH_NATIONAL_CITUS_URL). The preset is bench/scale.py's ``national_registry``:
one synthetic municipality of 2,000,000 beneficiaries, ~800,000 cases, 20,000,000 deliveries over two
years, 3,000 services; made a chunk of 100,000 persons at a time (bench/generate.py), never all in memory.
The same seed gives both engines the same persons, cases and deliveries. The Bălți plan is imported into
the synthetic municipality with every disaggregated count indicator computed from its data
(bench/plans.py's pointing), so that its annual report aggregates the 20,000,000 deliveries.

Timed, through the whole Django stack (test client, DEBUG off), as bench/cases.py does at city scale: the
busiest caseworker's "my cases", a person's page and a case page, the duplicate check (three spellings, by
the caseworker and the coordinator), the annual report 2025 (``build_report``, computed indicators
recomputed) and an HSDS search of the municipality's directory. Each engine runs in its own process, the
engines alternate ROUNDS times, and a figure is the best round's median (the machine is shared).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from typing import Any

from bench.engines import (
    busiest_caseworker,
    child,
    duplicate_check_times,
    ensure_database,
    median_ms,
    page,
    page_queries,
)
from bench.results import Result, print_table

ENGINES = {
    "PostgreSQL": os.environ.get("BENCH_NATIONAL_PG_URL", "postgres://postgres@127.0.0.1:5432/carenet_national"),
    "Citus": os.environ.get("BENCH_NATIONAL_CITUS_URL", "postgres://postgres@127.0.0.1:5440/carenet_national"),
}
ROUNDS = int(os.environ.get("BENCH_NATIONAL_ROUNDS", "2"))
REPEAT = int(os.environ.get("BENCH_NATIONAL_REPEAT", "7"))
HSDS_QUERIES = ["cantina", "ingrijire domiciliu", "copii", "dizabilitati", "adapost"]
FIGURES = {
    "my_cases": '"my cases" (busiest caseworker)',
    "person": "person page",
    "case": "case page",
    "duplicates": "duplicate check (median of 30)",
    "report": "annual report 2025, Bălți plan over the preset (build_report)",
    "hsds": "HSDS search, 3,000 services (5 queries)",
}
TARGETS = {"my_cases": 100.0, "person": 100.0, "case": 100.0, "duplicates": 200.0, "report": 5000.0}


# --- in the parent ---------------------------------------------------------------------------------------


def _child(phase: str, url: str) -> dict[str, Any]:
    return child("bench.national", phase, url)


def _loaded(url: str) -> bool:
    """Whether the database exists and holds the whole preset (a load still running does not count)."""
    import dj_database_url
    import psycopg

    s: dict[str, Any] = dict(dj_database_url.parse(url))
    try:
        with psycopg.connect(dbname=s["NAME"], host=s["HOST"], port=s["PORT"], user=s["USER"]) as conn:
            row = conn.execute(
                "SELECT value FROM bench_national_state WHERE key = 'loaded'"  # written by _setup at its end
            ).fetchone()
    except psycopg.Error:
        return False
    return row is not None


def run() -> list[Result]:
    engines = {name: url for name, url in ENGINES.items() if _loaded(url)}
    if not engines:
        raise SystemExit("no database holds the national preset: python -m bench.national setup URL")
    for url in engines.values():
        ensure_database(url)
    rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in engines}
    for i in range(ROUNDS):
        for name, url in engines.items():
            rounds[name].append(_child("measure", url))
            print(f"  round {i + 1}, {name}: {rounds[name][-1]}", flush=True)
    first = next(iter(engines))
    results = []
    account = min(r["account"] for r in rounds[first])
    for key, label in FIGURES.items():
        best = {name: min(r[key] for r in rs) for name, rs in rounds.items()}
        target = TARGETS.get(key)
        for name in engines:
            if name != first:
                baseline: dict[str, Any] = {"baseline_name": f"{first} (1 node)", "baseline": best[first]}
            elif key in ("my_cases", "person", "case"):  # a page beside the account page of the same process
                baseline = {"baseline_name": "account page, same run", "baseline": account}
            else:
                baseline = {}
            results.append(
                Result(
                    f"national registry, {label} ({name})",
                    best[name],
                    "ms",
                    target=f"< {target:.0f} ms" if target else "",
                    passed=best[name] < target if target else None,
                    **baseline,
                )
            )
    sizes = rounds[first][0]
    results.append(
        Result(
            f"national registry size ({first})",
            sizes["persons"],
            "persons",
            target=f"{sizes['deliveries']:,} deliveries, {sizes['cases']:,} cases, "
            f"queries: my cases {sizes['my_cases_queries']}, person page {sizes['person_queries']}",
        )
    )
    return results


# --- in a child: one database -------------------------------------------------------------------------------


def _setup() -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from bench import plans as plans_bench
    from bench.scale import PRESETS, load_directory, load_people, tenant
    from carenet.core.db import citus

    preset = PRESETS["national_registry"]
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if citus.is_citus(connection):
        call_command("citus_distribute", verbosity=0)
        call_command("citus_distribute", check=True, verbosity=0)
    schema_s = time.perf_counter() - started
    started = time.perf_counter()
    directory_rows = load_directory(preset)[0]
    directory_s = time.perf_counter() - started
    started = time.perf_counter()
    people_rows, _ = load_people(preset)
    people_s = time.perf_counter() - started
    municipality = tenant(preset)
    plan = plans_bench.balti_plan_in(municipality)
    plans_bench._point_indicators(plan)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_national_state (key text PRIMARY KEY, value text)")
        cursor.execute(
            "INSERT INTO bench_national_state VALUES ('loaded', %s) ON CONFLICT (key) DO NOTHING",
            [json.dumps({"people_rows": people_rows, "people_s": round(people_s)})],
        )
    return {
        "schema_s": round(schema_s, 1),
        "directory_rows": directory_rows,
        "directory_s": round(directory_s, 1),
        "people_rows": people_rows,
        "people_s": round(people_s, 1),
    }


def _median_ms(call: Any) -> float:
    return median_ms(call, REPEAT)


def _measure() -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client

    from bench.scale import PRESETS, tenant
    from carenet.accounts.models import User
    from carenet.cases.models import Case, ServiceDelivery
    from carenet.people.models import Person
    from carenet.plans.importers import BALTI_PLAN_CODE
    from carenet.plans.models import Plan
    from carenet.reports.annual_report import build_report

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    preset = PRESETS["national_registry"]
    municipality = tenant(preset)
    worker = busiest_caseworker(municipality)
    coordinator = User.objects.get(username=f"{preset.slug}.coordinator")
    case = (
        Case.objects.for_tenant(municipality).filter(caseworker=worker).order_by("id").select_related("person").first()
    )
    person = case.person
    client = Client()
    client.force_login(worker)

    def get(url: str) -> Any:
        return page(client, url)

    def count_queries(url: str) -> int:
        return page_queries(client, url)

    dup_times = duplicate_check_times(person, (worker, coordinator))
    plan = Plan.objects.for_tenant(municipality).get(code=BALTI_PLAN_CODE)
    anonymous = Client()

    def hsds() -> None:
        for q in HSDS_QUERIES:
            response = anonymous.get(f"/api/hsds/{preset.slug}/services", {"search": q, "per_page": "50"})
            assert response.status_code == 200

    person_url, case_url, my_cases_url = f"/people/{person.pk}/?purpose=cover", f"/cases/{case.pk}/", "/cases/"
    report_times = []
    for _ in range(2):  # the report is seconds long: two runs, the better one (the first warms the caches)
        started = time.perf_counter()
        build_report(plan=plan, period_code="2025")
        report_times.append((time.perf_counter() - started) * 1000)
    return {
        "account": _median_ms(get("/account/")),  # the same middleware, session and template stack, no data
        "my_cases": _median_ms(get(my_cases_url)),
        "person": _median_ms(get(person_url)),
        "case": _median_ms(get(case_url)),
        "duplicates": statistics.median(dup_times),
        "report": min(report_times),
        "hsds": _median_ms(hsds),
        "person_queries": count_queries(person_url),
        "my_cases_queries": count_queries(my_cases_url),
        "persons": Person.objects.for_tenant(municipality).count(),
        "cases": Case.objects.for_tenant(municipality).count(),
        "deliveries": ServiceDelivery.objects.for_tenant(municipality).count(),
    }


def main(argv: list[str]) -> int:
    import django

    if argv and argv[0] == "measure":
        django.setup()
        print(json.dumps(_measure()))
        return 0
    if argv and argv[0] == "setup":
        if len(argv) > 1:
            os.environ["DATABASE_URL"] = argv[1]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
        django.setup()

        ensure_database(os.environ["DATABASE_URL"])
        print(json.dumps(_setup()), flush=True)
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    started = time.perf_counter()
    print_table(run())
    print(f"\nwall time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

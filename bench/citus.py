"""CareNet on a three-node Citus cluster beside single-node PostgreSQL, in the same run (issue 25).

    make bench-citus            # = python -m bench.citus (the cluster: ../shared/vendor/citus/citus-cluster.sh start)

Both databases (``carenet_bench`` on the coordinator 127.0.0.1:5440 and on PostgreSQL 127.0.0.1:5432;
BENCH_CITUS_URL / BENCH_PG_URL to change) get the same schema and data: migrated, distributed on the
cluster (``citus_distribute``, 32 shards per table), the city preset of bench/scale.py (Bălți-sized:
20,000 beneficiaries; BENCH_CITUS_DELIVERIES deliveries, default 200,000) and the Bălți plan's annual
report data of bench/plans.py (20,000 persons, 200,000 deliveries; BENCH_CITUS_PLAN_DELIVERIES). Loaded
once, reused on the next run.

Timed, through the whole Django stack (test client) as in bench/cases.py: the person page and "my cases"
of the city's busiest caseworker, the annual report of the Bălți plan for 2025 (``build_report``) and an
HSDS search of the city's directory. Each engine is measured in its own process, alternately, ROUNDS times;
a figure is the best of the rounds' medians (the machine is shared and noisy: the best round is the one
the neighbours disturbed least). Ratios are Citus ÷ PostgreSQL from this one run.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from bench.engines import busiest_caseworker, child, ensure_database, median_ms, page, page_queries
from bench.plans import PLANS_SLUG
from bench.results import Result, print_table

CITUS_URL = os.environ.get("BENCH_CITUS_URL", "postgres://postgres@127.0.0.1:5440/carenet_bench")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/carenet_bench")
DELIVERIES = int(os.environ.get("BENCH_CITUS_DELIVERIES", "200000"))
PLAN_PERSONS = int(os.environ.get("BENCH_CITUS_PLAN_PERSONS", "20000"))
PLAN_DELIVERIES = int(os.environ.get("BENCH_CITUS_PLAN_DELIVERIES", "200000"))
ROUNDS = int(os.environ.get("BENCH_CITUS_ROUNDS", "2"))
REPEAT = int(os.environ.get("BENCH_CITUS_REPEAT", "9"))
HSDS_QUERIES = ["cantina", "ingrijire domiciliu", "copii", "dizabilitati", "adapost"]
FIGURES = {
    "person": "person page (city caseworker)",
    "my_cases": '"my cases" (busiest city caseworker)',
    "report": "annual report 2025, Bălți plan (build_report)",
    "hsds": "HSDS search, city directory (5 queries)",
}


# --- in the parent: databases, then the child processes -------------------------------------------------


def _child(phase: str, url: str) -> dict[str, Any]:
    return child("bench.citus", phase, url)


ENGINES = {"PostgreSQL": PG_URL, "Citus": CITUS_URL}


def load() -> None:
    for name, url in ENGINES.items():
        ensure_database(url)
        print(f"  {name}: migrate, distribute, load …", flush=True)
        print(f"  {name}: {_child('setup', url)}", flush=True)


def run() -> list[Result]:
    engines = ENGINES
    load()
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in engines}
    for i in range(ROUNDS):
        for name, url in engines.items():
            rounds[name].append(_child("measure", url))
            print(f"  round {i + 1}, {name}: {rounds[name][-1]}", flush=True)
    results = []
    for key, label in FIGURES.items():
        pg = min(r[key] for r in rounds["PostgreSQL"])
        ci = min(r[key] for r in rounds["Citus"])
        results.append(Result(f"{label}: Citus (3 nodes)", ci, "ms", baseline_name="PostgreSQL (1 node)", baseline=pg))
    queries = rounds["Citus"][0]
    results.append(
        Result(
            "queries of the person page / my cases (Citus)",
            queries["person_queries"],
            "",
            target=f"my cases: {queries['my_cases_queries']:.0f}",
        )
    )
    return results


# --- in a child: one database ---------------------------------------------------------------------------


def _setup() -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from bench import plans as plans_bench
    from bench.scale import CITY, load_directory, load_people
    from carenet.core.db import citus

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if citus.is_citus(connection):
        call_command("citus_distribute", verbosity=0)
        call_command("citus_distribute", check=True, verbosity=0)
    schema_s = time.perf_counter() - started
    started = time.perf_counter()
    rows = load_directory(CITY)[0] + load_people(CITY, deliveries=DELIVERIES)[0]
    plan = plans_bench._setup()
    plans_bench._load(plan.municipality, PLAN_PERSONS, PLAN_DELIVERIES)
    plans_bench._point_indicators(plan)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"schema_s": round(schema_s, 1), "load_s": round(time.perf_counter() - started, 1), "city_rows": rows}


def _median_ms(call: Any) -> float:
    return median_ms(call, REPEAT)


def _measure() -> dict[str, float]:
    from django.conf import settings
    from django.test import Client

    from bench.scale import CITY, tenant
    from carenet.cases.models import Case
    from carenet.core.models import Municipality
    from carenet.plans.importers import BALTI_PLAN_CODE
    from carenet.plans.models import Plan
    from carenet.reports.annual_report import build_report

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    municipality = tenant(CITY)
    worker = busiest_caseworker(municipality)
    case = Case.objects.for_tenant(municipality).filter(caseworker=worker).order_by("id").first()
    client = Client()
    client.force_login(worker)

    def get(url: str) -> Any:
        return page(client, url)

    def count_queries(url: str) -> int:
        return page_queries(client, url)

    person_url, my_cases_url = f"/people/{case.person_id}/", "/cases/"
    plan = Plan.objects.for_tenant(Municipality.objects.get(slug=PLANS_SLUG)).get(code=BALTI_PLAN_CODE)
    anonymous = Client()

    def hsds() -> None:
        for q in HSDS_QUERIES:
            response = anonymous.get(f"/api/hsds/{CITY.slug}/services", {"search": q, "per_page": "50"})
            assert response.status_code == 200

    return {
        "person": _median_ms(get(person_url)),
        "my_cases": _median_ms(get(my_cases_url)),
        "report": _median_ms(lambda: build_report(plan=plan, period_code="2025")),
        "hsds": _median_ms(hsds),
        "person_queries": count_queries(person_url),
        "my_cases_queries": count_queries(my_cases_url),
    }


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("setup", "measure"):
        import django

        django.setup()
        print(json.dumps(_setup() if argv[0] == "setup" else _measure()))
        return 0
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    if argv and argv[0] == "load":  # only load both databases (`make bench-citus` loads, then measures)
        load()
        return 0
    started = time.perf_counter()
    print_table(run())
    print(f"\nwall time: {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Run the load test: gunicorn + locust (headless) on loopback, p95 per page, zero errors required.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/carenet_bench python -m bench.load.run

Defaults: 5 minutes (BENCH_LOAD_SECONDS), 60 simulated users (BENCH_LOAD_USERS) on the city preset
of bench/scale.py (loaded first if missing). Prints one table (requests, failures, p50, p95 per
page) and exits non-zero on any failure.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import django

SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "300"))
USERS = int(os.environ.get("BENCH_LOAD_USERS", "60"))
PORT = int(os.environ.get("BENCH_LOAD_PORT", "18743"))


def fixture() -> dict:
    from bench.httpload import session_cookie
    from bench.scale import CITY, load_directory, load_people, tenant
    from carenet.accounts.models import User
    from carenet.cases.models import Case
    from carenet.directory.models import Service

    load_directory(CITY)
    load_people(CITY)
    municipality = tenant(CITY)
    caseworkers = []
    for user in User.objects.filter(username__startswith=f"{CITY.slug}.cw.").order_by("username")[:30]:
        cases = list(Case.objects.for_tenant(municipality).filter(caseworker=user).values_list("id", "person_id")[:50])
        if cases:
            caseworkers.append(
                {
                    "session": session_cookie(user).split("=", 1)[1],
                    "cases": [str(c) for c, _p in cases],
                    "persons": [str(p) for _c, p in cases],
                }
            )
    coordinator = User.objects.get(username=f"{CITY.slug}.coordinator")
    services = [str(s) for s in Service.objects.for_tenant(municipality).values_list("id", flat=True)[:100]]
    return {
        "slug": municipality.slug,
        "caseworkers": caseworkers,
        "coordinator": session_cookie(coordinator).split("=", 1)[1],
        "services": services,
    }


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from bench.httpload import ROOT, database_url, gunicorn

    os.environ["DATABASE_URL"] = database_url()
    django.setup()
    from django.db import connection

    data = fixture()
    with tempfile.TemporaryDirectory() as tmp:
        fixture_path = Path(tmp) / "fixture.json"
        fixture_path.write_text(json.dumps(data), encoding="utf-8")
        prefix = Path(tmp) / "stats"
        env = {"DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": database_url()}
        with gunicorn("config.wsgi:application", PORT, env) as host:
            command = [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "bench" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(max(1, USERS // 10)),
                "--run-time",
                f"{SECONDS}s",
                "--host",
                f"http://{host}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ]
            subprocess.run(command, env={**os.environ, "BENCH_LOAD_FIXTURE": str(fixture_path)}, check=False)
        rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))  # noqa: SIM115
    print(f"\nload test: {USERS} users, {SECONDS} s, gunicorn on {connection.vendor}\n")
    header = f"{'page':<28} {'requests':>9} {'failures':>9} {'p50 ms':>7} {'p95 ms':>7} {'req/s':>7}"
    print(header)
    print("-" * len(header))
    failures = 0
    for row in rows:
        failures += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        print(
            f"{row['Name']:<28} {row['Request Count']:>9} {row['Failure Count']:>9} "
            f"{row['50%']:>7} {row['95%']:>7} {float(row['Requests/s']):>7.1f}"
        )
    print(f"\n{'ZERO errors' if failures == 0 else f'{failures} ERRORS'}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""API throughput at 32 concurrent clients: HSDS search vs a minimal Flask app, the /api/v1/ list
endpoints, and the framework floor (a trivial endpoint of the same server), all in the same run.

The HSDS search is measured twice: as served (answers cached per municipality and directory data
version, carenet/api/hsds_cache.py: the realistic case of a public API asked the same questions
again and again, and the issue's target row) and uncached (a second server with
CARENET_HSDS_CACHE_SECONDS=0: every answer computed), each against the same Flask figure.

CareNet runs under gunicorn (config.settings.bench: DEBUG off, no throttling) and the Flask
baseline under the same gunicorn settings, both on 127.0.0.1, both on the benchmark database
(var/bench.sqlite3 or BENCH_DATABASE_URL), loaded one after the other for BENCH_API_SECONDS
(default 8 s each). Data: the city preset of bench/scale.py (300 services, 20,000 beneficiaries).
The finder/HSDS search p95 under 50 ms is measured with ONE client (latency, not queueing); at 32
clients on 2 cores p95 is dominated by waiting for a free worker, and is reported as such.
"""

from __future__ import annotations

import http.client
import json
import os
import urllib.parse
from typing import Any

from django.db import connection

from bench.httpload import Load, database_url, gunicorn, hammer, session_cookie
from bench.results import Result
from bench.scale import CITY, load_directory, load_people, tenant

SECONDS = float(os.environ.get("BENCH_API_SECONDS", "8"))
CLIENTS = int(os.environ.get("BENCH_API_CLIENTS", "32"))
DJANGO_PORT = int(os.environ.get("BENCH_DJANGO_PORT", "18741"))
FLASK_PORT = int(os.environ.get("BENCH_FLASK_PORT", "18742"))
QUERIES = ["cantina", "ingrijire domiciliu", "copii", "dizabilitati", "adapost", "consiliere victime"]


def _result(
    name: str, load: Load, *, target: str = "", baseline: tuple[str, Load] | None = None, passed: bool | None = None
) -> Result:
    suffix = f" p50 {load.p50_ms:.0f} ms, p95 {load.p95_ms:.0f} ms, {load.errors} errors"
    return Result(
        f"{name} [{suffix.strip()}]",
        load.rps,
        "req/s",
        target=target,
        baseline_name=baseline[0] if baseline else "",
        baseline=baseline[1].rps if baseline else None,
        passed=passed if load.errors == 0 else False,
    )


def _list_users(municipality: Any, coordinator: Any) -> dict[str, Any]:
    """The /api/v1/ lists are measured for the three staff views of them: the coordinator (the whole
    municipality), a provider manager of two providers and a caseworker of one (their own providers' rows).
    BENCH_API_ROLES narrows the roles (comma-separated: coordinator,manager,caseworker)."""
    from carenet.accounts.models import Membership, User
    from carenet.core.models import Organisation
    from carenet.core.roles import Role

    orgs = list(
        Organisation.objects.for_tenant(municipality).filter(code__startswith="bench-dir-").order_by("code")[:2]
    )
    manager, _ = User.objects.get_or_create(username=f"{CITY.slug}.manager", defaults={"municipality": municipality})
    for org in orgs:
        Membership.objects.for_tenant(municipality).get_or_create(
            user=manager, organisation=org, role=Role.PROVIDER_MANAGER, defaults={"municipality": municipality}
        )
    caseworker = User.objects.filter(username__startswith=f"{CITY.slug}.cw.").order_by("username").first()
    users = {"coordinator": coordinator, "manager": manager, "caseworker": caseworker}
    wanted = os.environ.get("BENCH_API_ROLES", "coordinator,manager,caseworker").split(",")
    return {role: user for role, user in users.items() if role in wanted and user is not None}


def _found(host: str, path: str) -> int:
    """total_items of one search: a comparison with Flask means nothing if CareNet finds nothing."""
    hostname, port = host.split(":")
    conn = http.client.HTTPConnection(hostname, int(port), timeout=30)
    conn.request("GET", path)
    total = int(json.loads(conn.getresponse().read())["total_items"])
    conn.close()
    return total


def run() -> list[Result]:
    from carenet.accounts.models import User

    load_directory(CITY)
    load_people(
        CITY, deliveries=int(os.environ["BENCH_SCALE_DELIVERIES"]) if os.environ.get("BENCH_SCALE_DELIVERIES") else None
    )
    municipality = tenant(CITY)
    coordinator = User.objects.get(username=f"{CITY.slug}.coordinator")
    list_cookies = {role: session_cookie(user) for role, user in _list_users(municipality, coordinator).items()}
    search_paths = [f"/api/hsds/{municipality.slug}/services?search={urllib.parse.quote(q)}" for q in QUERIES]
    finder_paths = [f"/{municipality.slug}/services/?q={urllib.parse.quote(q)}" for q in QUERIES]
    flask_paths = [f"/{municipality.slug}/services?search={urllib.parse.quote(q)}" for q in QUERIES]
    db = database_url()
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": db}
    results: list[Result] = []
    with gunicorn("bench.baselines.flask_directory:app", FLASK_PORT, {"BENCH_FLASK_DB": db}) as host:
        hammer(host, flask_paths, clients=4, seconds=1)  # warm up
        flask = hammer(host, flask_paths, clients=CLIENTS, seconds=SECONDS)
        flask_floor = hammer(host, ["/ping"], clients=CLIENTS, seconds=SECONDS / 2)
    with gunicorn("config.wsgi:application", DJANGO_PORT, {**env, "CARENET_HSDS_CACHE_SECONDS": "0"}) as host:
        if not all(_found(host, path) for path in search_paths):
            raise RuntimeError(f"an HSDS search finds nothing in {municipality.slug}: are its search tokens loaded?")
        hammer(host, ["/bench/ping", *search_paths], clients=4, seconds=1)  # warm up
        uncached = hammer(host, search_paths, clients=CLIENTS, seconds=SECONDS)
        single = hammer(host, search_paths, clients=1, seconds=SECONDS / 2)
    with gunicorn("config.wsgi:application", DJANGO_PORT, env) as host:
        hammer(host, ["/bench/ping", *search_paths, *finder_paths], clients=4, seconds=2)  # warm up (and cache)
        floor = hammer(host, ["/bench/ping"], clients=CLIENTS, seconds=SECONDS)
        hsds = hammer(host, search_paths, clients=CLIENTS, seconds=SECONDS)
        single_cached = hammer(host, search_paths, clients=1, seconds=SECONDS / 2)
        finder_single = hammer(host, finder_paths, clients=1, seconds=SECONDS / 2)
        finder = hammer(host, finder_paths, clients=CLIENTS, seconds=SECONDS)
        api = {}
        for role, role_cookie in list_cookies.items():
            for name in ("persons", "cases", "deliveries"):
                api[(name, role)] = hammer(
                    host, [f"/api/v1/{name}/"], clients=CLIENTS, seconds=SECONDS, headers={"Cookie": role_cookie}
                )
    scale = f"{CITY.services} services, {CITY.persons:,} persons, {connection.vendor}, {CLIENTS} clients"
    results.append(
        _result(f"framework floor: trivial DRF endpoint ({scale})", floor, baseline=("Flask /ping", flask_floor))
    )
    results.append(
        _result(
            f"HSDS search /api/hsds/<city>/services?search=, as served: answers cached per data version ({scale})",
            hsds,
            target="≥ Flask baseline",
            baseline=("Flask, same query", flask),
            passed=hsds.rps >= flask.rps,
        )
    )
    results.append(
        _result(
            f"HSDS search, uncached (CARENET_HSDS_CACHE_SECONDS=0: every answer computed) ({scale})",
            uncached,
            baseline=("Flask, same query", flask),
        )
    )
    results.append(_result(f"HSDS search, as served, vs framework floor ({scale})", hsds, baseline=("floor", floor)))
    results.append(_result(f"HSDS search, uncached, vs framework floor ({scale})", uncached, baseline=("floor", floor)))
    results.append(
        Result(
            f"HSDS search p95, 1 client, cached [p50 {single_cached.p50_ms:.1f} ms] ({scale.rsplit(',', 1)[0]})",
            single_cached.p95_ms,
            "ms",
            passed=single_cached.errors == 0,
        )
    )
    results.append(
        Result(
            f"HSDS search p95, 1 client, uncached [p50 {single.p50_ms:.0f} ms] ({scale.rsplit(',', 1)[0]})",
            single.p95_ms,
            "ms",
            target="< 50 ms",
            passed=single.p95_ms < 50 and single.errors == 0,
        )
    )
    results.append(
        Result(
            f"public finder page p95, 1 client [p50 {finder_single.p50_ms:.0f} ms] ({scale.rsplit(',', 1)[0]})",
            finder_single.p95_ms,
            "ms",
            target="< 50 ms",
            passed=finder_single.p95_ms < 50 and finder_single.errors == 0,
        )
    )
    results.append(_result(f"public finder page ({scale})", finder, baseline=("floor", floor)))
    for (name, role), load in api.items():
        results.append(_result(f"API list /api/v1/{name}/, {role} ({scale})", load, baseline=("floor", floor)))
    return results

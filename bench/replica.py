"""The staff API lists against the primary alone and against the primary + a streaming replica, same run
(issue 23; carenet/core/db_router.py).

    eval "$(scripts/replica.sh start)"      # a primary on 127.0.0.1:5461, its replica on 5462
    DATABASE_URL=$DATABASE_URL .venv/bin/python manage.py migrate
    BENCH_REPLICA_URL=$DATABASE_REPLICA_URL DATABASE_URL=$DATABASE_URL .venv/bin/python -m bench replica

The benchmark database (BENCH_DATABASE_URL or DATABASE_URL) must be the primary and BENCH_REPLICA_URL (or
DATABASE_REPLICA_URL) a streaming replica of it; without one the benchmark says so and measures nothing.
Data: the city preset of bench/scale.py (300 services, 20,000 beneficiaries; BENCH_SCALE_DELIVERIES
deliveries). Two gunicorns of config.settings.bench one after the other — without DATABASE_REPLICA_URL, then
with it — each hammered on /api/v1/persons/, /cases/ and /deliveries/ by the coordinator, a provider manager and
a caseworker (BENCH_API_ROLES), BENCH_API_CLIENTS clients for BENCH_API_SECONDS each, as bench/api_throughput.py;
BENCH_REPLICA_ROUNDS rounds (default 2), the two servers' order swapped each round, and each figure is the best
round (the machine is shared and noisy: the best round is the one the neighbours disturbed least).
The replica's share of the transactions of the second server (pg_stat_database on both) shows the reads went there.
"""

from __future__ import annotations

import os
import time
from typing import Any

from bench.api_throughput import CLIENTS, SECONDS, _list_users, _result
from bench.httpload import Load, database_url, gunicorn, hammer, session_cookie
from bench.results import Result
from bench.scale import CITY, load_directory, load_people, tenant

PORT = int(os.environ.get("BENCH_REPLICA_PORT", "18743"))
ROUNDS = int(os.environ.get("BENCH_REPLICA_ROUNDS", "2"))
LISTS = ("persons", "cases", "deliveries")


def replica_url() -> str:
    return os.environ.get("BENCH_REPLICA_URL") or os.environ.get("DATABASE_REPLICA_URL", "")


def _connect(url: str) -> Any:
    import dj_database_url
    import psycopg

    s = dj_database_url.parse(url)
    return psycopg.connect(
        dbname=s["NAME"], host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"], autocommit=True
    )


def _why_not(primary: str, replica: str) -> str:
    """Empty when ``replica`` is a standby streaming from ``primary``; else why the benchmark is skipped."""
    if not replica:
        return "no BENCH_REPLICA_URL or DATABASE_REPLICA_URL (scripts/replica.sh start)"
    if not primary.startswith(("postgres://", "postgresql://")):
        return "the benchmark database is not PostgreSQL"
    try:
        with _connect(replica) as conn:
            if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                return f"{replica} is not a standby"
        with _connect(primary) as conn:
            if conn.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'").fetchone()[0] == 0:
                return f"{primary} streams to no replica"
    except Exception as error:  # unreachable servers: say so, measure nothing
        return f"cannot reach the databases ({error})"
    return ""


def _transactions(url: str) -> int:
    with _connect(url) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
        return int(row[0])


def _caught_up(primary: str, replica: str, seconds: float = 30.0) -> None:
    with _connect(primary) as conn:
        lsn = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + seconds
    with _connect(replica) as conn:
        while not conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]).fetchone()[0]:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the replica has not replayed {lsn} in {seconds} s")
            time.sleep(0.1)


def _measure(host: str, cookies: dict[str, str]) -> dict[tuple[str, str], Load]:
    hammer(host, ["/bench/ping", *(f"/api/v1/{name}/" for name in LISTS)], clients=4, seconds=2)  # warm up
    return {
        (name, role): hammer(host, [f"/api/v1/{name}/"], clients=CLIENTS, seconds=SECONDS, headers={"Cookie": cookie})
        for role, cookie in cookies.items()
        for name in LISTS
    }


def _best(runs: list[dict[tuple[str, str], Load]]) -> dict[tuple[str, str], Load]:
    return {key: max((run[key] for run in runs), key=lambda load: load.rps) for key in runs[0]}


def run() -> list[Result]:
    from django.db import connection

    from carenet.accounts.models import User
    from carenet.core.db_router import primary_reads

    primary, replica = database_url(), replica_url()
    why = _why_not(primary, replica)
    if why:
        print(f"  bench.replica skipped: {why}")
        return []
    with primary_reads():  # this process may route too (DATABASE_REPLICA_URL): load and check on the primary
        load_directory(CITY)
        load_people(
            CITY,
            deliveries=int(os.environ["BENCH_SCALE_DELIVERIES"]) if os.environ.get("BENCH_SCALE_DELIVERIES") else None,
        )
        municipality = tenant(CITY)
        coordinator = User.objects.get(username=f"{CITY.slug}.coordinator")
        cookies = {role: session_cookie(user) for role, user in _list_users(municipality, coordinator).items()}
        vendor = connection.vendor
    _caught_up(primary, replica)
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": primary, "DATABASE_REPLICA_URL": ""}
    rounds: dict[str, list[dict[tuple[str, str], Load]]] = {"alone": [], "both": []}
    served = {"primary": 0, "replica": 0}
    for i in range(ROUNDS):
        for setup in ("alone", "both") if i % 2 == 0 else ("both", "alone"):
            before = {"primary": _transactions(primary), "replica": _transactions(replica)}
            server_env = {**env, "DATABASE_REPLICA_URL": replica if setup == "both" else ""}
            with gunicorn("config.wsgi:application", PORT, server_env) as host:
                rounds[setup].append(_measure(host, cookies))
            if setup == "both":
                time.sleep(1)  # the servers' statistics are flushed as their connections close
                for name, url in (("primary", primary), ("replica", replica)):
                    served[name] += _transactions(url) - before[name]
    alone, both = _best(rounds["alone"]), _best(rounds["both"])

    scale = f"{CITY.services} services, {CITY.persons:,} persons, {vendor}, {CLIENTS} clients, best of {ROUNDS}"
    results = [
        _result(
            f"API list /api/v1/{name}/, {role}, primary + replica ({scale})",
            both[(name, role)],
            baseline=("primary alone", alone[(name, role)]),
        )
        for (name, role) in both
    ]
    total = served["primary"] + served["replica"]
    results.append(
        Result(
            f"replica's share of the transactions, primary + replica "
            f"[replica {served['replica']:,}, primary {served['primary']:,}]",
            100.0 * served["replica"] / total if total else 0.0,
            "%",
            target="> 0 (the lists read on the replica)",
            passed=served["replica"] > 0,
        )
    )
    return results

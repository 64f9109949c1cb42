"""A tenant moved between Citus workers while the city is served under load: zero failed requests (issue 25).

    make bench-citus-move       # = python -m bench.citus_move, after `make bench-citus` (the city preset loaded)

On the coordinator's ``carenet_bench`` database (BENCH_CITUS_URL): the city tenant of bench/scale.py is first
given shards of its own (``isolate_tenant_to_new_shard``, every colocated table, once), then gunicorn
(bench/httpload.py, 2 workers × 4 threads) serves it and locust runs bench/load/locustfile.py's mix (citizens,
caseworkers, a coordinator; BENCH_LOAD_USERS, default 20) for BENCH_LOAD_SECONDS (default 60). After
BENCH_MOVE_AFTER seconds (default 15) the tenant's shard group moves to the other worker
(``citus_move_shard_placement``, ``block_writes``: reads go on, a write waits for the copy; logical
replication would need ``wal_level = logical``, which the cluster script does not set). Prints the move's
time, locust's table and the placement before and after; exits non-zero on any failed request or if the
tenant did not move.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import django

CITUS_URL = os.environ.get("BENCH_CITUS_URL", "postgres://postgres@127.0.0.1:5440/carenet_bench")
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_LOAD_USERS", "20"))
MOVE_AFTER = int(os.environ.get("BENCH_MOVE_AFTER", "15"))
PORT = int(os.environ.get("BENCH_LOAD_PORT", "18744"))
MODE = os.environ.get("BENCH_MOVE_MODE", "block_writes")


def _placement(cursor: Any, municipality_id: str) -> tuple[int, str, int]:
    cursor.execute("SELECT get_shard_id_for_distribution_column('core_organisation', %s)", [municipality_id])
    shard = cursor.fetchone()[0]
    cursor.execute("SELECT nodename, nodeport FROM pg_dist_shard_placement WHERE shardid = %s", [shard])
    host, port = cursor.fetchone()
    return shard, host, port


def _isolated(cursor: Any, shard: int) -> bool:
    cursor.execute("SELECT shardminvalue = shardmaxvalue FROM pg_dist_shard WHERE shardid = %s", [shard])
    return bool(cursor.fetchone()[0])


def main() -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DATABASE_URL"] = CITUS_URL
    django.setup()
    from django.db import connection

    from bench.httpload import ROOT, gunicorn
    from bench.load.run import fixture
    from bench.scale import CITY, tenant
    from carenet.core.db import citus

    if not citus.is_citus(connection):
        print(f"{CITUS_URL} is not a Citus coordinator", file=sys.stderr)
        return 2
    municipality_id = str(tenant(CITY).pk)
    data = fixture()
    with connection.cursor() as cursor:
        shard, host, port = _placement(cursor, municipality_id)
        if not _isolated(cursor, shard):
            started = time.perf_counter()
            cursor.execute(
                "SELECT isolate_tenant_to_new_shard('core_organisation', %s, 'CASCADE', shard_transfer_mode => %s)",
                [municipality_id, MODE],
            )
            print(f"tenant {CITY.slug} isolated to shards of its own in {time.perf_counter() - started:.1f} s")
            shard, host, port = _placement(cursor, municipality_id)
        cursor.execute("SELECT node_name, node_port FROM citus_get_active_worker_nodes() ORDER BY node_port")
        target = next((h, p) for h, p in cursor.fetchall() if (h, p) != (host, port))
        cursor.execute(
            "SELECT count(*) FROM pg_dist_shard s JOIN pg_dist_partition p USING (logicalrelid) "
            "WHERE p.colocationid = (SELECT colocationid FROM pg_dist_partition "
            "WHERE logicalrelid = 'core_organisation'::regclass) AND s.shardminvalue = "
            "(SELECT shardminvalue FROM pg_dist_shard WHERE shardid = %s)",
            [shard],
        )
        group = cursor.fetchone()[0]
    connection.close()
    print(
        f"tenant {CITY.slug}: shard {shard} (+{group - 1} colocated) on {host}:{port}, to move to {target[0]}:{target[1]}"
    )

    moved: dict[str, Any] = {}

    def move() -> None:
        import psycopg

        time.sleep(MOVE_AFTER)
        settings = connection.settings_dict
        with psycopg.connect(
            dbname=settings["NAME"],
            host=settings["HOST"],
            port=settings["PORT"],
            user=settings["USER"],
            autocommit=True,
        ) as conn:
            started = time.perf_counter()
            conn.execute(
                "SELECT citus_move_shard_placement(%s, %s, %s, %s, %s, shard_transfer_mode => %s)",
                [shard, host, port, target[0], target[1], MODE],
            )
            moved["seconds"] = time.perf_counter() - started
            moved["at"] = MOVE_AFTER
            row = conn.execute("SELECT nodename, nodeport FROM pg_dist_shard_placement WHERE shardid = %s", [shard])
            moved["now_on"] = row.fetchone()

    with tempfile.TemporaryDirectory() as tmp:
        fixture_path = Path(tmp) / "fixture.json"
        fixture_path.write_text(json.dumps(data), encoding="utf-8")
        prefix = Path(tmp) / "stats"
        env = {"DJANGO_SETTINGS_MODULE": "config.settings.bench", "DATABASE_URL": CITUS_URL}
        with gunicorn("config.wsgi:application", PORT, env) as served:
            mover = threading.Thread(target=move)
            command = [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(ROOT / "bench" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                str(max(1, USERS // 5)),
                "--run-time",
                f"{SECONDS}s",
                "--host",
                f"http://{served}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ]
            locust = subprocess.Popen(command, env={**os.environ, "BENCH_LOAD_FIXTURE": str(fixture_path)})
            mover.start()
            locust.wait()
            mover.join()
        rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))  # noqa: SIM115
    print(f"\nshard move under load: {USERS} users, {SECONDS} s, gunicorn on the Citus coordinator")
    if "seconds" in moved:
        print(
            f"moved shard {shard} and its colocated shards {host}:{port} → {moved['now_on'][0]}:{moved['now_on'][1]}"
            f" at t={moved['at']} s in {moved['seconds']:.1f} s ({MODE})\n"
        )
    else:
        print("the move did not finish\n")
    header = f"{'page':<28} {'requests':>9} {'failures':>9} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}"
    print(header)
    print("-" * len(header))
    failures = 0
    for row in rows:
        failures += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        print(
            f"{row['Name']:<28} {row['Request Count']:>9} {row['Failure Count']:>9} "
            f"{row['50%']:>7} {row['95%']:>7} {float(row['Max Response Time']):>7.0f}"
        )
    ok = failures == 0 and moved.get("now_on") == target
    print(f"\n{'ZERO errors' if failures == 0 else f'{failures} ERRORS'}; tenant {'moved' if ok else 'NOT moved'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

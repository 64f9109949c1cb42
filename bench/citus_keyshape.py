"""What the tenant key shape costs on one node (docs/decisions/0011-citus-key-shape.md).

``python -m bench.citus_keyshape [rows]`` builds one table per key shape on SQLite and on single-node
PostgreSQL (``BENCH_PG_DSN``, default the local server) and times, in the same run:

* inserting the rows (batches of 1,000, one transaction each), ids made by the application;
* looking rows up by ``id`` alone (what Django's ``pk`` look-ups do) and by ``(id, municipality_id)``.

Shapes: ``id`` (the key before), ``id+m`` (the chosen one: PostgreSQL ``PRIMARY KEY (id, municipality_id)``,
SQLite ``PRIMARY KEY (id)`` + ``UNIQUE (id, municipality_id)``), ``m+id`` (what Django's
``CompositePrimaryKey("municipality", "id")`` would create). On the chosen shape, ids from ``uuid4`` and
from ``uuid7`` (time-ordered) are compared. Not a test; prints a table and writes var/bench/citus_keyshape.json.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

from carenet.core.ids import uuid7

MUNICIPALITIES = 20
LOOKUPS = 20_000
BATCH = 1_000

SHAPES = {
    "postgresql": {
        "id": "PRIMARY KEY (id)",
        "id+m": "PRIMARY KEY (id, municipality_id)",
        "m+id": "PRIMARY KEY (municipality_id, id)",
    },
    "sqlite": {
        "id": "PRIMARY KEY (id)",
        "id+m": "PRIMARY KEY (id), UNIQUE (id, municipality_id)",
        "m+id": "PRIMARY KEY (municipality_id, id)",
    },
}


def _rows(n: int, make_id):  # type: ignore[no-untyped-def]
    towns = [uuid.uuid4() for _ in range(MUNICIPALITIES)]
    return [(make_id(), towns[i % MUNICIPALITIES], f"row {i} " + "x" * 60) for i in range(n)]


def _timed(fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run_postgresql(rows: list, dsn: str, shape: str) -> dict[str, float]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS keyshape")
        conn.execute(
            f"CREATE TABLE keyshape (id uuid NOT NULL, municipality_id uuid NOT NULL, payload text NOT NULL, "
            f"{SHAPES['postgresql'][shape]})"
        )
        conn.execute("CREATE INDEX keyshape_m ON keyshape (municipality_id)")

        def insert() -> None:
            with conn.cursor() as cur:
                for start in range(0, len(rows), BATCH):
                    with conn.transaction():
                        cur.executemany("INSERT INTO keyshape VALUES (%s, %s, %s)", rows[start : start + BATCH])

        insert_s = _timed(insert)
        conn.execute("VACUUM ANALYZE keyshape")
        sample = random.Random(1).sample(rows, LOOKUPS)
        with conn.cursor() as cur:
            by_id = _timed(
                lambda: [cur.execute("SELECT payload FROM keyshape WHERE id = %s", [r[0]]).fetchone() for r in sample]
            )
            by_both = _timed(
                lambda: [
                    cur.execute(
                        "SELECT payload FROM keyshape WHERE id = %s AND municipality_id = %s", [r[0], r[1]]
                    ).fetchone()
                    for r in sample
                ]
            )
            plan = cur.execute("EXPLAIN SELECT payload FROM keyshape WHERE id = %s", [sample[0][0]]).fetchall()
            size = cur.execute("SELECT pg_indexes_size('keyshape')").fetchone()[0]
        conn.execute("DROP TABLE keyshape")
    return {
        "insert_us_per_row": insert_s / len(rows) * 1e6,
        "lookup_id_us": by_id / LOOKUPS * 1e6,
        "lookup_id_m_us": by_both / LOOKUPS * 1e6,
        "index_mb": size / 1e6,
        "id_lookup_uses_index": float("Index" in " ".join(r[0] for r in plan)),
    }


def run_sqlite(rows: list, shape: str) -> dict[str, float]:
    path = Path(tempfile.mkdtemp()) / "keyshape.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        f"CREATE TABLE keyshape (id char(32) NOT NULL, municipality_id char(32) NOT NULL, payload text NOT NULL, "
        f"{SHAPES['sqlite'][shape]})"
    )
    conn.execute("CREATE INDEX keyshape_m ON keyshape (municipality_id)")
    hexrows = [(a.hex, b.hex, c) for a, b, c in rows]

    def insert() -> None:
        for start in range(0, len(hexrows), BATCH):
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO keyshape VALUES (?, ?, ?)", hexrows[start : start + BATCH])
            conn.execute("COMMIT")

    insert_s = _timed(insert)
    conn.execute("ANALYZE")
    sample = random.Random(1).sample(hexrows, LOOKUPS)
    by_id = _timed(
        lambda: [conn.execute("SELECT payload FROM keyshape WHERE id = ?", [r[0]]).fetchone() for r in sample]
    )
    by_both = _timed(
        lambda: [
            conn.execute("SELECT payload FROM keyshape WHERE id = ? AND municipality_id = ?", [r[0], r[1]]).fetchone()
            for r in sample
        ]
    )
    plan = conn.execute("EXPLAIN QUERY PLAN SELECT payload FROM keyshape WHERE id = ?", [sample[0][0]]).fetchall()
    conn.close()
    size = path.stat().st_size
    path.unlink()
    return {
        "insert_us_per_row": insert_s / len(rows) * 1e6,
        "lookup_id_us": by_id / LOOKUPS * 1e6,
        "lookup_id_m_us": by_both / LOOKUPS * 1e6,
        "file_mb": size / 1e6,
        "id_lookup_uses_index": float(
            "USING" in " ".join(str(r[-1]) for r in plan) and "SCAN" not in " ".join(str(r[-1]) for r in plan)
        ),
    }


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    dsn = os.environ.get("BENCH_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
    random.seed(1)
    results: dict[str, dict[str, float]] = {}
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    cases = [
        ("postgresql", "id", uuid.uuid4),
        ("postgresql", "id+m", uuid.uuid4),
        ("postgresql", "id+m", uuid7),
        ("postgresql", "m+id", uuid7),
        ("sqlite", "id", uuid.uuid4),
        ("sqlite", "id+m", uuid.uuid4),
        ("sqlite", "id+m", uuid7),
        ("sqlite", "m+id", uuid7),
    ]
    for engine, shape, make_id in cases:
        name = f"{engine} {shape} {make_id.__name__}"
        runs = []
        for _ in range(repeats):  # interleaved repeats on a shared machine: the median is reported
            rows = _rows(n, make_id)
            runs.append(run_postgresql(rows, dsn, shape) if engine == "postgresql" else run_sqlite(rows, shape))
        results[name] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(name, {k: round(v, 2) for k, v in results[name].items()}, flush=True)
    out = Path("var/bench")
    out.mkdir(parents=True, exist_ok=True)
    (out / "citus_keyshape.json").write_text(json.dumps({"rows": n, "results": results}, indent=2))
    print(f"\n| engine, key, ids ({n:,} rows) | insert µs/row | lookup by id µs | by (id, municipality) µs |")
    print("|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['insert_us_per_row']:.1f} | {r['lookup_id_us']:.1f} | {r['lookup_id_m_us']:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

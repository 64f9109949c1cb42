"""Baseline: a minimal Flask app serving the same directory search on the same database.

What a small team would write instead of CareNet's HSDS API: one route, hand-written SQL, no
framework between the socket and the query, a persistent connection per thread. Same query as
``/api/hsds/<slug>/services?search=``: the municipality's services whose normalised text holds
every word (the same normalisation, carenet.directory.text.tokens), name matches first, 50 per
page with the total, each with its organisation — as JSON in the HSDS page envelope.

Run: ``BENCH_FLASK_DB=sqlite:///var/bench.sqlite3 gunicorn bench.baselines.flask_directory:app``
(or a postgres:// URL).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any
from urllib.parse import urlparse

from flask import Flask, jsonify, request

from carenet.directory.text import normalise, tokens

app = Flask(__name__)
DB_URL = os.environ.get("BENCH_FLASK_DB", "sqlite:///var/bench.sqlite3")
_local = threading.local()


def _connection() -> tuple[Any, str]:
    conn = getattr(_local, "conn", None)
    if conn is None:
        url = urlparse(DB_URL)
        if url.scheme == "sqlite":
            conn = sqlite3.connect(DB_URL.removeprefix("sqlite:///"), check_same_thread=False)
            _local.param = "?"
        else:
            import psycopg

            conn = psycopg.connect(DB_URL, autocommit=True)
            _local.param = "%s"
        _local.conn = conn
    return conn, _local.param


@app.get("/ping")
def ping() -> Any:
    return jsonify({"ok": True})


@app.get("/<slug>/services")
def services(slug: str) -> Any:
    conn, p = _connection()
    words = tokens((request.args.get("search") or "")[:200])
    page = max(1, int(request.args.get("page", "1") or 1))
    per_page = min(200, max(1, int(request.args.get("per_page", "50") or 50)))
    where = [f"m.slug = {p}"]
    params: list[Any] = [slug]
    for word in words:
        where.append(f"s.search_text LIKE {p}")
        params.append(f"%{word}%")
    base = (
        "FROM directory_service s JOIN core_municipality m ON m.id = s.municipality_id "
        "JOIN core_organisation o ON o.id = s.organisation_id WHERE " + " AND ".join(where)
    )
    cur = conn.cursor()
    cur.execute("SELECT count(*) " + base, params)
    total = cur.fetchone()[0]
    phrase = normalise(request.args.get("search") or "")
    rank = f"CASE WHEN s.search_name LIKE {p} THEN 1 ELSE 0 END"
    cur.execute(
        "SELECT s.id, s.organisation_id, s.name, s.description, s.url, s.email, s.status, "
        "s.eligibility_description, s.minimum_age, s.maximum_age, s.updated_at, o.name, o.email, o.website "
        + base
        + f" ORDER BY {rank} DESC, s.name, s.id LIMIT {per_page} OFFSET {(page - 1) * per_page}",
        [*params, f"%{phrase}%"],
    )
    rows = cur.fetchall()
    contents = [
        {
            "id": str(r[0]),
            "organization_id": str(r[1]),
            "name": r[2],
            "description": r[3],
            "url": r[4],
            "email": r[5],
            "status": r[6],
            "eligibility_description": r[7],
            "minimum_age": r[8],
            "maximum_age": r[9],
            "last_modified": str(r[10]),
            "organization": {"id": str(r[1]), "name": r[11], "email": r[12], "website": r[13]},
        }
        for r in rows
    ]
    pages = max(1, -(-total // per_page))
    return jsonify(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= pages,
            "empty": total == 0,
            "contents": contents,
        }
    )

"""What the engine comparisons share (bench/citus.py at city scale, bench/national.py at the national-registry
preset, bench/cases.py's duplicate check): one child process per database, a page timed through the whole
Django stack, the busiest caseworker, the duplicate check's spellings.

Not a benchmark module itself (``python -m bench`` does not list it).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def child(module: str, phase: str, url: str) -> dict[str, Any]:
    """Run ``python -m MODULE PHASE`` against the database at ``url`` and return the JSON it printed last:
    each engine in its own process, so that neither one's connections nor caches warm the other."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    out = subprocess.run(
        [sys.executable, "-m", module, phase], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1])


def median_ms(call: Callable[[], Any], repeat: int) -> float:
    """The median of ``repeat`` timed calls after one warming call."""
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def page(client: Any, url: str) -> Callable[[], None]:
    """A call that requests ``url`` and insists on a 200 (a refusal timed as a page would flatter it)."""

    def call() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return call


def page_queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def busiest_caseworker(municipality: Any) -> Any:
    """The caseworker with the most open cases: the worst "my cases" page (ties broken by id, so that both
    engines of a comparison pick the same user)."""
    from django.db.models import Count

    from carenet.accounts.models import User
    from carenet.cases.models import Case, CaseStatus

    busiest = (
        Case.objects.for_tenant(municipality)
        .filter(status__in=[CaseStatus.ACTIVE, CaseStatus.INTAKE, CaseStatus.INQUIRY, CaseStatus.ADMITTED])
        .values("caseworker_id")
        .annotate(n=Count("id"))
        .order_by("-n", "caseworker_id")
        .first()
    )
    return User.objects.get(pk=busiest["caseworker_id"])


def duplicate_check_times(person: Any, users: Iterable[Any], repeat: int = 5) -> list[float]:
    """The duplicate check for ``person`` typed three ways (as registered, names swapped, cases mixed) by each
    user, ``repeat`` times each, in milliseconds; each check must find the person."""
    from carenet.people.selectors import person_duplicates

    spellings = [(person.first_name, person.last_name), (person.last_name, person.first_name)]
    spellings.append((person.first_name.upper(), person.last_name.lower()))
    times = []
    for user in users:
        for first, last in spellings:
            for _ in range(repeat):
                started = time.perf_counter()
                found = person_duplicates(user=user, first_name=first, last_name=last, birth_date=person.birth_date)
                times.append((time.perf_counter() - started) * 1000)
                assert any(m.person.pk == person.pk for m in found)
    return times


def ensure_database(url: str) -> None:
    """Create the database if missing; on a Citus coordinator also on every worker, with the extension and
    the nodes registered (what the test databases get: carenet/core/db/backends/postgresql/creation.py)."""
    import dj_database_url
    import psycopg

    settings: dict[str, Any] = dict(dj_database_url.parse(url))
    name = settings["NAME"]
    with psycopg.connect(
        dbname="postgres", host=settings["HOST"], port=settings["PORT"], user=settings["USER"], autocommit=True
    ) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
        row = conn.execute("SHOW shared_preload_libraries").fetchone()
        citus = row is not None and "citus" in row[0]
    if citus:
        from carenet.core.db.backends.postgresql.creation import DatabaseCreation, _cluster_lock

        class _Connection:
            settings_dict = settings

            class ops:
                @staticmethod
                def quote_name(n: str) -> str:
                    return f'"{n}"'

        with _cluster_lock(settings):
            DatabaseCreation(_Connection())._citus_nodes(name, keepdb=True)  # type: ignore[arg-type]

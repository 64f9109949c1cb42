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

Deep pages (issue 23): the /api/v1/ lists' page 1 and page 200 by cursor (the default) and by page number
(``?page=``), in the same run, in-process through the whole Django stack (the test client: middleware,
authentication, the audit event of each page), one client, the four requests interleaved round after round
so that the machine's load weighs on each alike. Target: page 200 by cursor < 50 ms. The page-number lists
are capped by their selectors (10,000 deliveries: page 200 is their last page; 1,000 persons, 100 cases: no
page 200), so persons and cases are measured by cursor only.

``BENCH_API_PARTS`` runs a part only: ``load`` (the servers under 32 clients) or ``pages`` (deep pages);
both by default. A small run: ``BENCH_SCALE_DELIVERIES=100000 BENCH_API_PARTS=pages``.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import time
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
PARTS = set(os.environ.get("BENCH_API_PARTS", "load,pages").split(","))
DEEP_PAGE = 200
DEEP_ROUNDS = int(os.environ.get("BENCH_API_PAGE_ROUNDS", "15"))
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


def _deep_cursor(path: str, user: Any, page: int, size: int) -> tuple[int, str] | None:
    """(page, cursor): the cursor of page ``page`` as the next link of the page before holds it — the position
    of that page's last row, from the list's own queryset (walking 199 audited pages to find it would only cost
    time) — or of the last full page of a shorter list; None for a list of one page."""
    from django.test import RequestFactory
    from rest_framework.request import Request as DRFRequest

    from carenet.api.pagination import count_without_ordering, encode_cursor, keyset_of
    from carenet.api.urls import v1

    prefix = urllib.parse.urlsplit(path).path.strip("/").split("/")[-1]
    view_class = next(viewset for name, viewset, _basename in v1.registry if name == prefix)
    request = RequestFactory().get(path)
    request._force_auth_user = user  # type: ignore[attr-defined]  # what DRF's test client does
    view = view_class(request=DRFRequest(request), kwargs={}, format_kwarg=None, action="list")
    queryset = view.get_queryset()
    keyset = keyset_of(queryset)
    assert keyset is not None, path
    rows = queryset._chain()
    rows.query.clear_limits()
    rows.query.clear_ordering(force=True)
    page = min(page, count_without_ordering(rows) // size)
    if page < 2:
        return None  # one page: nothing deep to measure
    position = rows.order_by(*[p.signed_name for p in keyset])[(page - 1) * size - 1]
    return page, encode_cursor(keyset, position, reverse=False)


def _time_get(client: Any, url: str) -> tuple[float, int, list[str]]:
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as ctx:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return elapsed, len(ctx.captured_queries), [row["id"] for row in response.json()["results"]]


def deep_pages(municipality: Any, user: Any, role: str) -> list[Result]:
    """Page 1 and page 200 of the /api/v1/ lists, by cursor and by page number, median over the rounds."""
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False
    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    size = 50
    results: list[Result] = []
    for name, by_number in (("deliveries", True), ("persons", False), ("cases", False)):
        path = f"/api/v1/{name}/" + ("?status=all" if name == "cases" else "")
        sep = "&" if "?" in path else "?"
        found = _deep_cursor(path, user, DEEP_PAGE, size)
        if found is None:
            continue
        deep, cursor = found
        by_number = by_number and deep == DEEP_PAGE
        urls = {"cursor 1": path, "cursor 200": f"{path}{sep}cursor={urllib.parse.quote(cursor)}"}
        if by_number:
            urls["number 1"] = f"{path}{sep}page=1"
            urls[f"number {DEEP_PAGE}"] = f"{path}{sep}page={DEEP_PAGE}"
        times: dict[str, list[float]] = {k: [] for k in urls}
        queries: dict[str, int] = {}
        ids: dict[str, list[str]] = {}
        for url in urls.values():
            client.get(url)  # warm
        for _ in range(DEEP_ROUNDS):
            for label, url in urls.items():
                elapsed, n, page_ids = _time_get(client, url)
                times[label].append(elapsed)
                queries[label], ids[label] = n, page_ids
        if by_number:
            assert ids["cursor 200"] == ids[f"number {DEEP_PAGE}"], "page 200 by cursor is not page 200 by number"
        assert len(ids["cursor 200"]) == size, f"{name}: page {deep} is not full"
        median = {label: statistics.median(values) for label, values in times.items()}
        scale = f"{role}, {connection.vendor}"
        results.append(
            Result(
                f"API /api/v1/{name}/ page {deep} by cursor, median of {DEEP_ROUNDS} "
                f"[{queries['cursor 200']} queries; page 1: {queries['cursor 1']}] ({scale})",
                median["cursor 200"],
                "ms",
                target="< 50 ms",
                baseline_name="page 1 by cursor",
                baseline=median["cursor 1"],
                passed=median["cursor 200"] < 50 and queries["cursor 200"] == queries["cursor 1"],
            )
        )
        if by_number:
            results.append(
                Result(
                    f"API /api/v1/{name}/ page {DEEP_PAGE} by page number (?page=), median of {DEEP_ROUNDS} "
                    f"[{queries[f'number {DEEP_PAGE}']} queries] ({scale})",
                    median[f"number {DEEP_PAGE}"],
                    "ms",
                    baseline_name="page 1 by page number",
                    baseline=median["number 1"],
                )
            )
            results.append(
                Result(
                    f"API /api/v1/{name}/ page {DEEP_PAGE}: by page number vs by cursor ({scale})",
                    median[f"number {DEEP_PAGE}"],
                    "ms",
                    baseline_name=f"page {DEEP_PAGE} by cursor",
                    baseline=median["cursor 200"],
                )
            )
    return results


def run() -> list[Result]:
    from carenet.accounts.models import User

    load_directory(CITY)
    load_people(
        CITY, deliveries=int(os.environ["BENCH_SCALE_DELIVERIES"]) if os.environ.get("BENCH_SCALE_DELIVERIES") else None
    )
    municipality = tenant(CITY)
    coordinator = User.objects.get(username=f"{CITY.slug}.coordinator")
    pages: list[Result] = []
    if "pages" in PARTS:
        for role, user in _list_users(municipality, coordinator).items():
            pages += deep_pages(municipality, user, role)
    if "load" not in PARTS:
        return pages
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
    return results + pages

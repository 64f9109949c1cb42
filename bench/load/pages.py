"""One request of each staff page of the load mix, in-process: time, SQL and profile (issue 23).

    DATABASE_URL=sqlite:///var/bench-pages.sqlite3 DJANGO_SETTINGS_MODULE=config.settings.bench \\
        python -m bench.load.pages time [ROUNDS]     # median ms of each page over ROUNDS requests (default 15)
    ... python -m bench.load.pages sql PAGE          # the page's SQL with each statement's time
    ... python -m bench.load.pages profile PAGE      # cProfile of one request (cumulative, top 40)
    ... python -m bench.load.pages html DIR          # each page's HTML (CSRF tokens blanked) into DIR

Pages: my_cases, case, person, all_cases, plans — the caseworker and coordinator pages of bench/load/locustfile.py,
for the same users (the city preset's first caseworker with cases, its coordinator); api_persons, api_cases,
api_deliveries — the coordinator's staff API lists — and ping, their framework floor (bench/api_throughput.py). Every request writes the
page's audit events, as under load.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import django

CSRF = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|csrf-token" content=")[^"]+')
# Users whose pages the html mode writes: the demo's caseworkers, managers and coordinators (cases with plans,
# inquiries, assessments, duties and tasks) beside the city preset's.
API_LISTS = ("persons", "cases", "deliveries")
HTML_PAGES = ("my_cases", "case", "person", "all_cases", "plans")
HTML_USERS = ("balti.caseworker", "baiamare.caseworker", "balti.manager", "baiamare.manager2", "balti.coordinator")


def _setup() -> dict[str, tuple[Any, str]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    django.setup()
    from django.test import Client

    from bench.scale import CITY, tenant
    from carenet.accounts.models import User
    from carenet.cases.models import Case

    municipality = tenant(CITY)
    pages: dict[str, tuple[Any, str]] = {}
    for user in User.objects.filter(username__startswith=f"{CITY.slug}.cw.").order_by("username")[:30]:
        cases = list(Case.objects.for_tenant(municipality).filter(caseworker=user).values_list("id", "person_id")[:50])
        if cases:
            cw = Client()
            cw.force_login(user)
            case_id, person_id = cases[len(cases) // 2]
            pages["my_cases"] = (cw, "/cases/")
            pages["case"] = (cw, f"/cases/{case_id}/")
            pages["person"] = (cw, f"/people/{person_id}/?purpose=cover")
            break
    co = Client()
    co.force_login(User.objects.get(username=f"{CITY.slug}.coordinator"))
    pages["all_cases"] = (co, "/cases/all/")
    pages["plans"] = (co, "/plans/")
    # The staff API lists of bench/api_throughput.py against its framework floor (an anonymous DRF endpoint).
    pages["ping"] = (Client(), "/bench/ping")
    for name in API_LISTS:
        pages[f"api_{name}"] = (co, f"/api/v1/{name}/")
    return pages


def _get(client: Any, url: str) -> Any:
    response = client.get(url, HTTP_HOST="127.0.0.1")
    if response.status_code != 200:
        raise SystemExit(f"{url}: {response.status_code}")
    return response


def _write(path: Path, response: Any, url: str = "") -> None:
    html = response.content.decode()
    path.write_text(f"<!-- {url} {response.status_code} -->\n" + CSRF.sub(r"\1-", html), encoding="utf-8")


def main(argv: list[str]) -> int:
    mode = argv[0] if argv else "time"
    pages = _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if mode == "time":
        rounds = int(argv[1]) if len(argv) > 1 else 15
        for client, url in pages.values():
            _get(client, url)  # warm: templates, caches, connections
        times: dict[str, list[float]] = {name: [] for name in pages}
        cpu: dict[str, list[float]] = {name: [] for name in pages}
        for _ in range(rounds):
            for name, (client, url) in pages.items():
                t, c = time.perf_counter(), time.thread_time()
                _get(client, url)
                times[name].append((time.perf_counter() - t) * 1000)
                cpu[name].append((time.thread_time() - c) * 1000)
        load = os.getloadavg()
        for name, values in times.items():
            with CaptureQueriesContext(connection) as q:
                _get(*pages[name])
            print(
                f"{name:<10} median {statistics.median(values):7.1f} ms  min {min(values):7.1f}  "
                f"CPU median {statistics.median(cpu[name]):6.1f} ms  queries {len(q)}"
            )
        print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    elif mode == "split":
        # Where a request's time goes: the template's rendering (context processors included), the view
        # without it, and the rest (middleware, session, user, response), median ms of ROUNDS requests.
        from django.template.backends.django import Template

        rounds = int(argv[1]) if len(argv) > 1 else 15
        spent = {"render": 0.0}  # CPU time of this thread (the machine is shared: wall time is mostly waiting)
        original = Template.render

        def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
            t = time.thread_time()
            try:
                return original(self, *args, **kwargs)
            finally:
                spent["render"] += time.thread_time() - t

        Template.render = timed  # type: ignore[method-assign]
        for name, (client, url) in pages.items():
            _get(client, url)
            total, render = [], []
            for _ in range(rounds):
                spent["render"] = 0.0
                t = time.thread_time()
                _get(client, url)
                total.append((time.thread_time() - t) * 1000)
                render.append(spent["render"] * 1000)
            print(
                f"{name:<10} CPU total {statistics.median(total):6.1f} ms  render {statistics.median(render):6.1f} ms"
            )
        print(f"load average {os.getloadavg()[0]:.1f}")
    elif mode == "sql":
        client, url = pages[argv[1]]
        _get(client, url)
        timings: list[tuple[float, str]] = []

        def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append(((time.perf_counter() - t) * 1000, sql))

        with connection.execute_wrapper(timer):
            _get(client, url)
        for ms, sql in timings:
            print(f"{ms:7.2f} ms  {sql[: int(os.environ.get('WIDTH', '300'))]}")
        print(f"{len(timings)} queries, {sum(ms for ms, _ in timings):.1f} ms")
    elif mode == "profile":
        client, url = pages[argv[1]]
        _get(client, url)
        profiler = cProfile.Profile()
        repeat = int(os.environ.get("REPEAT", "1"))
        profiler.enable()
        for _ in range(repeat):
            _get(client, url)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(argv[2]) if len(argv) > 2 else 40
        )
    elif mode == "html":
        out = Path(argv[1])
        out.mkdir(parents=True, exist_ok=True)
        for name, (client, url) in pages.items():
            if name not in HTML_PAGES:
                continue
            _write(out / f"{name}.html", _get(client, url))
        from django.test import Client

        from carenet.accounts.models import User
        from carenet.cases.permissions import cases_visible_to

        for username in HTML_USERS:
            user = User.objects.get(username=username)
            client = Client()
            client.force_login(user)
            urls = ["/cases/", "/cases/all/", "/cases/all/?status=all", "/plans/"]
            for case_id, person_id in cases_visible_to(user).order_by("reference").values_list("id", "person_id")[:8]:
                urls += [f"/cases/{case_id}/", f"/people/{person_id}/?purpose=cover"]
            for i, url in enumerate(urls):
                response = client.get(url, HTTP_HOST="127.0.0.1")
                _write(out / f"{username}-{i:02d}.html", response, url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

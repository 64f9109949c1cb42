"""Directory at national scale: search latency and HSDS API throughput.

Builds (once, reused afterwards) a synthetic tenant ``bench-directory`` with
``BENCH_DIRECTORY_SERVICES`` services (default 10,000) and twice as many locations, whose names
and descriptions are recombined from the real Baia Mare service texts, tagged with real taxonomy
terms. Then measures:

* search p95, server time: ``filter_services`` (the selector behind the finder and the API),
  evaluated for one page of results plus the total count, over varied queries;
* ``GET /api/hsds/bench-directory/services?search=…`` p95 through the whole Django stack
  (in-process client, so no network time);
* requests/s of the same URL under ``BENCH_DIRECTORY_CLIENTS`` (default 32) concurrent clients,
  against a gunicorn server started for the run (2 workers × 16 threads; throttling off);
* the public finder page ``/bench-directory/services/?q=…`` p95 through the whole Django stack (in-process
  client), every page computed (the finder's page cache off: ``CARENET_HSDS_CACHE_SECONDS=0``).
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection, transaction

from bench.results import Result
from carenet.core.models import Municipality, Organisation, OrganisationKind
from carenet.core.seeds import load_seed
from carenet.directory.models import (
    Location,
    SearchToken,
    Service,
    ServiceAtLocation,
    ServiceAttribute,
    TaxonomyTerm,
)
from carenet.directory.selectors import filter_services, public_services, ranked_page

SLUG = "bench-directory"
N_SERVICES = int(os.environ.get("BENCH_DIRECTORY_SERVICES", "10000"))
CLIENTS = int(os.environ.get("BENCH_DIRECTORY_CLIENTS", "32"))
DURATION = float(os.environ.get("BENCH_DIRECTORY_SECONDS", "10"))
QUERIES = [
    "batrani",
    "îngrijire la domiciliu",
    "centru de zi copii",
    "cantina",
    "violenta domestica",
    "otthoni gondozás",
    "dizabilitati recuperare",
    "consiliere psihologica",
    "adapost noapte",
    "tineri",
    "autism",
    "masa calda",
]


def _vocabulary() -> tuple[list[str], list[str]]:
    data = load_seed("baia_mare_services")
    names = [u["denumire"] for u in data["structuri_DAS"]]
    names += [s.strip() for ngo in data["furnizori_ONG"] for s in ngo["servicii"].split(",")]
    lines = [s["text"] for u in data["structuri_DAS"] for g in u["grupuri_servicii"] for s in g["servicii"]]
    return names, lines


def ensure_dataset() -> Municipality:
    municipality, _ = Municipality.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": "Bench: national directory",
            "country": "RO",
            "official_languages": ["ro", "hu"],
            "currency": "RON",
            "time_zone": "Europe/Bucharest",
            "statistical_code": "0",
        },
    )
    existing = Service.objects.for_tenant(municipality).count()
    if existing >= N_SERVICES:
        return municipality
    rng = random.Random(42)
    names, lines = _vocabulary()
    terms = list(TaxonomyTerm.objects.filter(taxonomy__code__in=["carenet-needs", "carenet-target-groups"]))
    term_names = {t.pk: t.all_names() for t in terms}
    with transaction.atomic():
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(
                    municipality=municipality,
                    code=f"bench-{i}-{uuid.uuid4().hex[:6]}",
                    name=f"Furnizor {i}",
                    kind=OrganisationKind.NGO if i % 3 else OrganisationKind.PUBLIC,
                    source_note="synthetic (bench)",
                )
                for i in range(max(1, (N_SERVICES - existing) // 20))
            ]
        )
        services, locations, sals, attributes = [], [], [], []
        for i in range(existing, N_SERVICES):
            org = orgs[i % len(orgs)]
            chosen = rng.sample(terms, 3)
            service = Service(
                id=uuid.uuid4(),
                municipality=municipality,
                organisation=org,
                name=f"{rng.choice(names)} {i}",
                description="\n".join(rng.sample(lines, 4)),
                source_note="synthetic (bench)",
                minimum_age=rng.choice([None, None, 18, 60]),
            )
            service.build_search_fields([n for t in chosen for n in term_names[t.pk]], org.name)
            services.append(service)
            attributes += [
                ServiceAttribute(municipality=municipality, service=service, taxonomy_term=t) for t in chosen
            ]
            for j in range(2):
                location = Location(
                    id=uuid.uuid4(),
                    municipality=municipality,
                    organisation=org,
                    name=f"Sediu {i}.{j}",
                    latitude=44 + rng.random() * 4,
                    longitude=21 + rng.random() * 8,
                    coordinates_approximate=True,
                )
                locations.append(location)
                sals.append(ServiceAtLocation(municipality=municipality, service=service, location=location))
        Service.objects.bulk_create(services, batch_size=1000)
        Location.objects.bulk_create(locations, batch_size=1000)
        ServiceAtLocation.objects.bulk_create(sals, batch_size=1000)
        ServiceAttribute.objects.bulk_create(attributes, batch_size=1000)
        SearchToken.objects.bulk_create(
            (SearchToken(municipality=municipality, service=s, token=t) for s in services for t in s.search_tokens()),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        # planner statistics and (PostgreSQL) the visibility map, as a production database has them
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return municipality


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def _cpu_clock() -> Any:
    """CPU seconds of this process plus, on a local PostgreSQL, of our database backend
    (/proc/<pid>/stat; 10 ms ticks): the search's own work, whatever else competes for the cores."""
    if connection.vendor != "postgresql":
        return time.process_time
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    if not stat.exists():
        return time.process_time
    tick = os.sysconf("SC_CLK_TCK")

    def clock() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return time.process_time() + (int(fields[11]) + int(fields[12])) / tick

    return clock


def _selector_times(municipality: Municipality) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU time (ms) per search; see _cpu_clock."""
    wall, cpu = [], []
    cpu_clock = _cpu_clock()
    for query in QUERIES:  # warm-up (caches), not measured
        list(
            filter_services(
                services=public_services(municipality=municipality), municipality=municipality, search=query
            )
        )
    for _round in range(10):
        for query in QUERIES:
            started, started_cpu = time.perf_counter(), cpu_clock()
            qs = filter_services(
                services=public_services(municipality=municipality), municipality=municipality, search=query
            )
            _total, ids = ranked_page(services=qs, offset=0, limit=50)
            list(Service.objects.for_tenant(municipality).filter(pk__in=ids).values_list("name", flat=True))
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((cpu_clock() - started_cpu) * 1000)
    return wall, cpu


def _api_times(municipality: Municipality) -> list[float]:
    from django.test import Client

    client = Client()
    times = []
    for _ in range(4):
        for query in QUERIES:
            started = time.perf_counter()
            response = client.get(f"/api/hsds/{municipality.slug}/services", {"search": query}, HTTP_HOST="127.0.0.1")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    return times


def _finder_times(municipality: Municipality) -> list[float]:
    """The finder's HTML page (first page of 20 results), each computed: no page cache."""
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    times = []
    with override_settings(CARENET_HSDS_CACHE_SECONDS=0):
        for query in QUERIES:  # warm-up (templates, translations), not measured
            client.get(f"/{municipality.slug}/services/", {"q": query}, HTTP_HOST="127.0.0.1")
        for _ in range(4):
            for query in QUERIES:
                started = time.perf_counter()
                response = client.get(f"/{municipality.slug}/services/", {"q": query}, HTTP_HOST="127.0.0.1")
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
    return times


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _throughput(municipality: Municipality) -> tuple[float, int, int]:
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    root = Path(__file__).resolve().parent.parent
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "16",
            "--log-level",
            "warning",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        done = [0]
        failed = [0]
        lock = threading.Lock()

        stop = 0.0

        def client(seed: int) -> None:
            rng = random.Random(seed)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ok = bad = 0
            while time.perf_counter() < stop:
                query = quote(rng.choice(QUERIES))
                try:
                    conn.request("GET", f"/api/hsds/{municipality.slug}/services?search={query}")
                    response = conn.getresponse()
                    response.read()
                    if response.status == 200:
                        ok += 1
                    else:
                        bad += 1
                except (OSError, http.client.HTTPException):
                    bad += 1
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                done[0] += ok
                failed[0] += bad

        # warm-up: one request per worker process
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(4):
            warm.request("GET", f"/api/hsds/{municipality.slug}/services?search=tineri")
            warm.getresponse().read()
        started = time.perf_counter()
        stop = started + DURATION
        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        return done[0] / elapsed, done[0], failed[0]
    finally:
        server.terminate()
        server.wait(timeout=10)


def run() -> list[Result]:
    municipality = ensure_dataset()
    vendor = connection.vendor
    n = Service.objects.for_tenant(municipality).count()
    locations = Location.objects.for_tenant(municipality).count()
    label = f"{n:,} services / {locations:,} locations, {vendor}"
    selector, selector_cpu = _selector_times(municipality)
    load = os.getloadavg()[0]
    api = _api_times(municipality)
    finder = _finder_times(municipality)
    rps, ok, failed = _throughput(municipality)
    results = [
        Result(
            f"directory search p95, selector, wall ({label}; load avg {load:.1f} on {os.cpu_count()} cores)",
            _p95(selector),
            "ms",
            target="< 50 ms",
            baseline_name="median",
            baseline=statistics.median(selector),
            passed=_p95(selector) < 50,
        ),
        Result(
            f"GET /api/hsds/…/services?search= p95, in-process ({label})",
            _p95(api),
            "ms",
            baseline_name="median",
            baseline=statistics.median(api),
        ),
        Result(
            f"public finder page /<slug>/services/?q= p95, in-process, uncached ({label})",
            _p95(finder),
            "ms",
            target="< 50 ms",
            baseline_name="median",
            baseline=statistics.median(finder),
            passed=_p95(finder) < 50,
        ),
        Result(
            f"GET /api/hsds/…/services?search= under {CLIENTS} clients ({vendor}, {ok} ok, {failed} failed)",
            rps,
            "req/s",
            passed=failed == 0 and ok > 0,
        ),
    ]
    results.insert(
        1,
        Result(
            f"directory search p95, selector, CPU time incl. database ({label})",
            _p95(selector_cpu),
            "ms",
            target="< 50 ms",
            baseline_name="median",
            baseline=statistics.median(selector_cpu),
            passed=_p95(selector_cpu) < 50,
        ),
    )
    return results

"""Shared by the HTTP benchmarks: start gunicorn on loopback, and a closed-loop load generator.

``hammer(base, paths, clients=32, seconds=10)`` runs ``clients`` threads, each sending the next
request as soon as the previous answer is read (HTTP/1.1, a new connection per request: gunicorn's
workers close it), for a bounded time, against 127.0.0.1 only. Returns requests/s, p50/p95 in ms
and the count of errors (any status other than 200).
"""

from __future__ import annotations

import http.client
import itertools
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))


@dataclass
class Load:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def database_url() -> str:
    return (
        os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    )


@contextmanager
def gunicorn(app: str, port: int, env: dict[str, str]) -> Iterator[str]:
    """A gunicorn (``WORKERS`` processes × ``THREADS`` threads) on 127.0.0.1:port, stopped on exit."""
    bin_dir = Path(sys.executable).parent
    command = [
        str(bin_dir / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--keep-alive",
        "30",
        "--backlog",
        "256",
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT),
    ]
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/")
                conn.getresponse().read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app} did not start on port {port}") from None
                time.sleep(0.3)
        yield f"127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def hammer(
    host: str, paths: list[str], *, clients: int = 32, seconds: float = 10.0, headers: dict[str, str] | None = None
) -> Load:
    hostname, port = host.split(":")
    stop = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    cycle = itertools.cycle(paths)
    lock = threading.Lock()

    def client(i: int) -> None:
        while time.monotonic() < stop:
            with lock:
                path = next(cycle)
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(hostname, int(port), timeout=30)
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status == 200
            except OSError:
                ok = False
            latencies[i].append((time.perf_counter() - started) * 1000)
            if not ok:
                errors[i] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x for xs in latencies for x in xs)
    if not flat:
        return Load(0, 0, elapsed, 0.0, 0.0)
    p95 = flat[min(len(flat) - 1, int(len(flat) * 0.95))]
    return Load(len(flat), sum(errors), elapsed, statistics.median(flat), p95)


def session_cookie(user: Any) -> str:
    """A logged-in session of ``user`` in the benchmark database (the servers share it)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"

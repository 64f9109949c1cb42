"""The read replica's router (carenet/core/db_router.py, issue 23).

On any database the alias ``replica`` is a test mirror of ``default`` (a second connection to the same test
database) and the tests watch which connection each query runs on: a write never on the replica, a request
after a POST and an atomic block on the primary, other reads on the replica. With a real streaming replica
(scripts/replica_check.sh sets DATABASE_URL and DATABASE_REPLICA_URL) the last tests read back from it what
the primary wrote, see a write there refused, and run a page that writes through the router. The tests run
outside the test-case transaction (``transaction=True``): inside it every read is on the primary (rule a).
"""

from __future__ import annotations

import os
import runpy
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from carenet.core import db_router
from carenet.core.db_router import COOKIE, PRIMARY, REPLICA, PrimaryReplicaRouter
from carenet.core.models import Municipality
from carenet.people.models import Person
from carenet.testing.factories import MunicipalityFactory

# Outside the test-case transaction, every alias allowed (the mirror's or the real replica's).
on_both = pytest.mark.django_db(transaction=True, databases="__all__")

ROUTER = "carenet.core.db_router.PrimaryReplicaRouter"
MIDDLEWARE = "carenet.core.db_router.ReadYourWritesMiddleware"
BASE_SETTINGS = Path(django_settings.BASE_DIR) / "config" / "settings" / "base.py"
WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "TRUNCATE")
REAL = bool(os.environ.get("DATABASE_REPLICA_URL"))
REQUIRED = os.environ.get("CARENET_REQUIRE_REPLICA", "") not in ("", "0")  # scripts/replica_check.sh
NO_REPLICA = "no DATABASE_REPLICA_URL: no streaming replica to read from (scripts/replica_check.sh runs these)"
needs_replica = pytest.mark.skipif(not REAL and not REQUIRED, reason=NO_REPLICA)


def _writes(queries: list[dict[str, Any]]) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def _forget(connection: BaseDatabaseWrapper) -> None:
    """Close for real (Django keeps an in-memory SQLite connection open on close(): it would lose the data)."""
    if connection.connection is not None:
        connection.connection.close()
        connection.connection = None


@pytest.fixture
def router(settings: Any) -> Iterator[PrimaryReplicaRouter]:
    """The router and its middleware installed; a new request's state."""
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = [MIDDLEWARE, *(m for m in settings.MIDDLEWARE if m != MIDDLEWARE)]
    db_router.pin_primary(False)
    yield PrimaryReplicaRouter()
    db_router.pin_primary(False)


@pytest.fixture
def replica(transactional_db: Any, router: Any) -> Iterator[BaseDatabaseWrapper]:
    """The alias ``replica``: a mirror of ``default``, or the real replica's alias (still mirroring)."""
    added = REPLICA not in connections.settings
    if added:  # without DATABASE_REPLICA_URL: a second connection to the test database, made here
        primary = connections[PRIMARY]
        connections[REPLICA] = load_backend(primary.settings_dict["ENGINE"]).DatabaseWrapper(
            {**primary.settings_dict}, REPLICA
        )
    db_router.pin_primary(False)
    yield connections[REPLICA]
    db_router.pin_primary(False)
    _forget(connections[REPLICA])
    if added:
        del connections[REPLICA]


@pytest.fixture
def watch(replica: BaseDatabaseWrapper) -> Iterator[tuple[CaptureQueriesContext, CaptureQueriesContext]]:
    """(primary, replica): the queries each connection runs in the test."""
    with CaptureQueriesContext(connections[PRIMARY]) as primary, CaptureQueriesContext(replica) as on_replica:
        yield primary, on_replica


# --- Settings: nothing without DATABASE_REPLICA_URL -----------------------------------------------------------


def _base_settings(monkeypatch: pytest.MonkeyPatch, **environ: str) -> dict[str, Any]:
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


def test_without_a_replica_url_the_settings_install_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    base = _base_settings(monkeypatch)
    assert set(base["DATABASES"]) == {"default"}
    assert "DATABASE_ROUTERS" not in base and MIDDLEWARE not in base["MIDDLEWARE"]


def test_a_replica_url_adds_the_alias_the_router_and_the_middleware(monkeypatch: pytest.MonkeyPatch) -> None:
    base = _base_settings(
        monkeypatch,
        DATABASE_URL="postgres://postgres@127.0.0.1:5461/carenet",
        DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5462/carenet",
    )
    assert base["DATABASES"]["replica"]["PORT"] == 5462
    assert base["DATABASES"]["replica"]["ENGINE"] == base["DATABASES"]["default"]["ENGINE"]
    assert base["DATABASE_ROUTERS"] == [ROUTER] and base["MIDDLEWARE"][0] == MIDDLEWARE
    with pytest.raises(ImproperlyConfigured):  # a replica of SQLite does not exist
        _base_settings(monkeypatch, DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:5462/carenet")


# --- The routing rules, on a test mirror ------------------------------------------------------------------------


def test_a_write_is_never_routed_to_the_replica(router: PrimaryReplicaRouter) -> None:
    for model in (Person, Municipality, Session):
        db_router.pin_primary(False)
        assert router.db_for_write(model) == PRIMARY
    assert router.allow_migrate(REPLICA, "people") is False and router.allow_migrate(PRIMARY, "people") is None


def test_reads_go_to_the_replica_until_the_request_writes(router: PrimaryReplicaRouter) -> None:
    assert router.db_for_read(Person) == REPLICA
    assert router.db_for_read(Session) == PRIMARY  # sessions, cache, lockouts: primary only
    router.db_for_write(Session)
    assert router.db_for_read(Person) == REPLICA  # writing them pins nothing
    router.db_for_write(Person)
    assert router.db_for_read(Person) == PRIMARY  # rule (b)


@on_both
def test_an_atomic_block_reads_theprimary(watch: Any, baia_mare: Municipality) -> None:
    primary, on_replica = watch
    db_router.pin_primary(False)  # the fixtures wrote: a new "request"
    with transaction.atomic():
        assert Municipality.objects.filter(pk=baia_mare.pk).exists()
    assert on_replica.captured_queries == [] and len(primary.captured_queries) >= 1
    assert Municipality.objects.filter(pk=baia_mare.pk).exists()  # outside it: the replica
    assert len(on_replica.captured_queries) == 1


@on_both
def test_a_page_that_writes_sends_no_write_to_the_replica(watch: Any, api: Any, caseworker_a: Any) -> None:
    primary, on_replica = watch
    api.force_authenticate(caseworker_a)
    r = api.post("/api/v1/persons/", {"first_name": "Ana", "last_name": "Rusu", "birth_date": "1990-05-01"})
    assert r.status_code == 201, r.content
    assert _writes(on_replica.captured_queries) == []
    assert on_replica.captured_queries, "the POST's reads before its write (duplicates) are on the replica"
    assert any("INSERT" in q["sql"] and "people_person" in q["sql"] for q in primary.captured_queries)
    assert COOKIE in r.cookies and r.cookies[COOKIE]["max-age"] == django_settings.CARENET_READ_YOUR_WRITES_SECONDS


@on_both
def test_a_get_after_a_post_reads_the_primary(watch: Any, api: Any, caseworker_a: Any, settings: Any) -> None:
    _primary, on_replica = watch
    api.force_authenticate(caseworker_a)
    assert api.post("/api/v1/persons/", {"first_name": "Ana", "last_name": "Rusu"}).status_code == 201
    seen = len(on_replica.captured_queries)
    r = api.get("/api/v1/persons/")  # within CARENET_READ_YOUR_WRITES_SECONDS, with the cookie
    assert [p["last_name"] for p in r.json()["results"]] == ["Rusu"]
    assert len(on_replica.captured_queries) == seen, "read-your-writes: the list is read on the primary"

    # The same GET after the window: the replica again (its list, then the audit event on the primary).
    later = time.time() + settings.CARENET_READ_YOUR_WRITES_SECONDS + 1
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("django.core.signing.time.time", lambda: later)
        api.get("/api/v1/persons/")
    assert len(on_replica.captured_queries) > seen and _writes(on_replica.captured_queries) == []

    # A forged cookie pins nothing.
    api.cookies[COOKIE] = "1:forged"
    seen = len(on_replica.captured_queries)
    api.get("/api/v1/persons/")
    assert len(on_replica.captured_queries) > seen


@on_both
def test_the_next_request_without_the_cookie_starts_on_the_replica(watch: Any, api: Any, caseworker_a: Any) -> None:
    _primary, on_replica = watch
    api.force_authenticate(caseworker_a)
    api.post("/api/v1/persons/", {"first_name": "Ana", "last_name": "Rusu"})
    del api.cookies[COOKIE]  # another browser of the same user
    seen = len(on_replica.captured_queries)
    assert api.get("/api/v1/persons/").status_code == 200
    assert len(on_replica.captured_queries) > seen and _writes(on_replica.captured_queries) == []


# --- A real streaming replica (scripts/replica_check.sh) -----------------------------------------------------


@pytest.fixture
def real_replica(replica: BaseDatabaseWrapper) -> Iterator[BaseDatabaseWrapper]:
    """The alias pointed at the real replica's copy of the test database (streamed from the primary)."""
    if not REAL:
        pytest.fail(NO_REPLICA)  # CARENET_REQUIRE_REPLICA without one
    real = django_settings.DATABASES[REPLICA]
    mirror = replica.settings_dict
    _forget(replica)
    replica.settings_dict = {
        **mirror,
        "HOST": real["HOST"],
        "PORT": real["PORT"],
        "USER": real["USER"],
        "PASSWORD": real["PASSWORD"],
    }
    _wait_for_replay(replica)
    yield replica
    _forget(replica)
    replica.settings_dict = mirror


def _wait_for_replay(replica: BaseDatabaseWrapper, seconds: float = 10.0) -> float:
    """Seconds until the replica has replayed everything the primary has written so far."""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        lsn = cursor.fetchone()[0]
    started = time.monotonic()
    while True:
        try:
            with replica.cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cursor.fetchone()[0]:
                    return time.monotonic() - started
        except DatabaseError:  # the test database itself not replayed yet
            _forget(replica)
        if time.monotonic() - started > seconds:
            raise AssertionError(f"the replica has not replayed {lsn} in {seconds} s")
        time.sleep(0.05)


@needs_replica
@on_both
def test_a_row_written_on_the_primary_is_read_from_the_replica(real_replica: BaseDatabaseWrapper) -> None:
    with real_replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True, "DATABASE_REPLICA_URL is not a standby"
    municipality = MunicipalityFactory.create(slug="replica-check")
    lag = _wait_for_replay(real_replica)
    db_router.pin_primary(False)  # a new request
    with CaptureQueriesContext(real_replica) as on_replica:
        assert Municipality.objects.get(slug="replica-check").pk == municipality.pk
    assert len(on_replica.captured_queries) == 1 and lag < 5


@needs_replica
@on_both
def test_the_replica_refuses_a_write_and_the_router_never_sends_one(
    real_replica: BaseDatabaseWrapper, api: Any, caseworker_a: Any
) -> None:
    _wait_for_replay(real_replica)
    with pytest.raises(DatabaseError, match="read-only"):
        Municipality.objects.using(REPLICA).filter(pk=caseworker_a.municipality_id).update(name="x")
    _forget(real_replica)
    api.force_authenticate(caseworker_a)
    r = api.post("/api/v1/persons/", {"first_name": "Ana", "last_name": "Rusu", "birth_date": "1990-05-01"})
    assert r.status_code == 201, r.content  # a write sent to the replica would have been a 500
    assert [p["last_name"] for p in api.get("/api/v1/persons/").json()["results"]] == ["Rusu"]  # the primary
    _wait_for_replay(real_replica)
    del api.cookies[COOKIE]
    with CaptureQueriesContext(real_replica) as on_replica:
        assert [p["last_name"] for p in api.get("/api/v1/persons/").json()["results"]] == ["Rusu"]
    assert on_replica.captured_queries and _writes(on_replica.captured_queries) == []

"""Test databases on a Citus cluster: on every node, with the extension and the nodes registered."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from django.db.backends.postgresql.creation import DatabaseCreation as PostgreSQLCreation

from carenet.core.db import citus


def _workers(coordinator: dict[str, Any]) -> list[tuple[str, int]]:
    """The worker nodes: ``CITUS_WORKERS=host:port,…``, else those registered in a database of the
    coordinator that already has them (the cluster script registers them in ``carenet``)."""
    configured = os.environ.get("CITUS_WORKERS", "").strip()
    if configured:
        return [(h, int(p)) for h, p in (item.rsplit(":", 1) for item in configured.split(","))]
    with _connect(coordinator, "postgres") as conn:
        names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate")]
    for name in names:
        try:
            with _connect(coordinator, name) as conn:
                rows = conn.execute("SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0").fetchall()
        except psycopg.Error:
            continue
        if rows:
            return [(h, int(p)) for h, p in rows]
    raise RuntimeError("Citus: no worker nodes found; set CITUS_WORKERS=host:port,host:port")


def _connect(settings: dict[str, Any], dbname: str, host: str | None = None, port: int | None = None) -> Any:
    return psycopg.connect(
        dbname=dbname,
        host=host or settings.get("HOST") or "localhost",
        port=port or settings.get("PORT") or 5432,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        autocommit=True,
    )


# Test databases of parallel runners (pytest-xdist) are set up on the cluster one at a time: adding a node
# and distributing write catalogues every database of a node shares (roles), and concurrent writers fail
# ("tuple concurrently updated").
CLUSTER_LOCK = 25_025


@contextmanager
def _cluster_lock(settings: dict[str, Any]) -> Iterator[None]:
    with _connect(settings, "postgres") as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [CLUSTER_LOCK])
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [CLUSTER_LOCK])


class DatabaseCreation(PostgreSQLCreation):
    def _is_citus(self) -> bool:
        with self._nodb_cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute("SHOW shared_preload_libraries")
            return "citus" in cursor.fetchone()[0]

    def _create_test_db(self, verbosity: int, autoclobber: bool, keepdb: bool = False) -> str:
        name = super()._create_test_db(verbosity, autoclobber, keepdb)
        if self._is_citus():
            with _cluster_lock(self.connection.settings_dict):
                self._citus_nodes(name, keepdb)
        return name

    def _citus_nodes(self, name: str, keepdb: bool) -> None:
        settings = self.connection.settings_dict
        quoted = self.connection.ops.quote_name(name)
        workers = _workers(settings)
        for host, port in workers:
            with _connect(settings, "postgres", host, port) as conn:
                exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
                if exists and not keepdb:
                    conn.execute(f"DROP DATABASE {quoted} WITH (FORCE)")
                if not exists or not keepdb:
                    conn.execute(f"CREATE DATABASE {quoted}")
            with _connect(settings, name, host, port) as conn:
                conn.execute("SET client_min_messages = warning")
                conn.execute("CREATE EXTENSION IF NOT EXISTS citus")
        with _connect(settings, name) as conn:
            conn.execute("SET client_min_messages = warning")
            conn.execute("CREATE EXTENSION IF NOT EXISTS citus")
            host = settings.get("HOST") or "localhost"
            conn.execute("SELECT citus_set_coordinator_host(%s, %s)", [host, int(settings.get("PORT") or 5432)])
            for w_host, w_port in workers:
                known = conn.execute(
                    "SELECT 1 FROM pg_dist_node WHERE nodename = %s AND nodeport = %s", [w_host, w_port]
                )
                if known.fetchone() is None:
                    conn.execute("SELECT citus_add_node(%s, %s)", [w_host, w_port])

    def create_test_db(
        self, verbosity: int = 1, autoclobber: bool = False, serialize: bool = True, keepdb: bool = False
    ) -> str:
        name = super().create_test_db(verbosity, autoclobber, serialize, keepdb)
        if citus.is_citus(self.connection):
            shard_count = int(os.environ.get("CITUS_TEST_SHARD_COUNT", "4"))
            with _cluster_lock(self.connection.settings_dict):
                statements = citus.distribute(self.connection, shard_count=shard_count)
            if verbosity >= 1 and statements:
                self.log(f"Distributed the test database on Citus ({shard_count} shards per table).")
        return name

    def _destroy_test_db(self, test_database_name: str, verbosity: int) -> None:
        citus_cluster = self._is_citus()
        super()._destroy_test_db(test_database_name, verbosity)
        if citus_cluster:
            settings = self.connection.settings_dict
            quoted = self.connection.ops.quote_name(test_database_name)
            for host, port in _workers(settings):
                with _connect(settings, "postgres", host, port) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")

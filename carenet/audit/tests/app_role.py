"""A database session as the application's role (``manage.py audit_guard``), beside the test's own.

On Citus the audit log's refusal is that role's privileges (carenet/audit/guard.py). The role and its grants
are committed from a connection of their own (a test's transaction is rolled back, and Citus refuses a
second user on placements the transaction has written); the returned connection logs in as the role. A
privilege is checked before any row is read, so the test's uncommitted rows need not be visible to it.
"""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

import psycopg
from django.db import connection

from carenet.audit.guard import append_only_statements

ROLE = "carenet_app_test"


def _connect(**extra: Any) -> Any:
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        host=settings.get("HOST") or "localhost",
        port=settings.get("PORT") or 5432,
        autocommit=True,
        **{"user": settings.get("USER") or None, **extra},
    )


@contextmanager
def as_the_application() -> Iterator[Any]:
    with _connect() as admin:
        if admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE]).fetchone() is None:
            # made at the same moment by a parallel test runner: fine
            with suppress(psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
                admin.execute(f"CREATE ROLE {ROLE} LOGIN")
        for statement in append_only_statements(ROLE):
            admin.execute(statement)
    with _connect(user=ROLE) as app:
        yield app

"""The database triggers that make the audit tables append-only (the events: migration 0002; the
checkpoints: migration 0004)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only (DELETE refused)'); END;",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"]

# Sent through the driver: keep percent signs out of this SQL (psycopg treats them as placeholders).
PG_CREATE = """
CREATE OR REPLACE FUNCTION carenet_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit_auditevent is append-only (' || TG_OP || ' refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION carenet_audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION carenet_audit_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS carenet_audit_append_only();
"""

CHECKPOINT_SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_auditcheckpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditcheckpoint is append-only (UPDATE refused)'); END;",
    "CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_auditcheckpoint "
    "BEGIN SELECT RAISE(ABORT, 'audit_auditcheckpoint is append-only (DELETE refused)'); END;",
]
CHECKPOINT_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_update;",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_delete;",
]
CHECKPOINT_PG_CREATE = """
CREATE OR REPLACE FUNCTION carenet_audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit_auditcheckpoint is append-only (' || TG_OP || ' refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION carenet_audit_checkpoint_append_only();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION carenet_audit_checkpoint_append_only();
"""
CHECKPOINT_PG_DROP = """
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint;
DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint;
DROP FUNCTION IF EXISTS carenet_audit_checkpoint_append_only();
"""
APPEND_ONLY_TABLES = ("audit_auditevent", "audit_auditcheckpoint")


def _has_triggers(connection: Any) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal LIMIT 1"
        )
        return cursor.fetchone() is not None


@contextmanager
def audit_triggers_lifted(connection: Any) -> Iterator[None]:
    """Only for the test runner's flush (see management/commands/flush.py) and tests that play the attacker. On Citus the distributed table
    has no triggers (``carenet.audit.guard``): nothing to lift."""
    if connection.vendor == "postgresql" and not _has_triggers(connection):
        yield
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in APPEND_ONLY_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        elif connection.vendor == "sqlite":
            for statement in SQLITE_DROP + CHECKPOINT_SQLITE_DROP:
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in APPEND_ONLY_TABLES:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            elif connection.vendor == "sqlite":
                for statement in SQLITE_TRIGGERS + CHECKPOINT_SQLITE_TRIGGERS:
                    cursor.execute(statement)

"""The audit log's append-only guard by privileges: what holds where a row trigger cannot (Citus).

On one node the table's triggers refuse UPDATE, DELETE and TRUNCATE for every role
(``carenet.audit.triggers``). On a Citus cluster the table is distributed and ``citus_distribute`` drops them
(decision 0011): there the database refuses an edit because the role the application connects as holds only
SELECT and INSERT on the table (and on its checkpoints) — the tables are owned by the role that runs the migrations, and a table's
owner (or a superuser) passes any privilege check. What privileges cannot stop, ``manage.py audit_verify``
detects: an edited event breaks its hash, a deleted one leaves a gap in its chain's positions.
"""

from typing import Any

AUDIT_TABLE = "audit_auditevent"
# The signed checkpoints that anchor the chains are append-only too (decision 0015).
APPEND_ONLY_TABLES = (AUDIT_TABLE, "audit_auditcheckpoint")


def append_only_statements(role: str) -> list[str]:
    """The grants of ``append_only_role``, as SQL."""
    if not role.replace("_", "").isalnum():
        raise ValueError(f"not a plain role name: {role!r}")
    quoted = f'"{role}"'
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
    ]
    for table in APPEND_ONLY_TABLES:
        statements += [
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM PUBLIC",
            f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {quoted}",
        ]
    return statements


def append_only_role(connection: Any, role: str) -> list[str]:
    """Give ``role`` what the application needs on every table of the schema, and on the audit log only
    SELECT and INSERT. Idempotent; returns the statements run. PostgreSQL (Citus propagates the grants)."""
    statements = append_only_statements(role)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements

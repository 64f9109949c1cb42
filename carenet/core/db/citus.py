"""Where every table of CareNet lives on a Citus cluster, and the script that puts it there (decision 0011).

Three placements:

* **distributed** by ``municipality_id`` (every tenant-owned model) — hash-distributed, all colocated with
  ``core_organisation``: a municipality's rows of every table sit on one shard, so a request's queries
  (which all carry the municipality) run on one worker, joins included. The audit log is distributed by
  ``chain`` (the municipality, or the platform chain), colocated too: an event is written on the shard
  of the change it records, in the same single-shard transaction.
* **reference** — the platform tables every worker joins with: municipalities, users and their groups and
  permissions, content types, the shared taxonomies, the second-factor devices (read at sign-in, written
  rarely). A copy on every node; a write goes to all of them.
* **local** to the coordinator — high-write tables never joined with tenant rows: sessions, sign-in
  attempts (axes), background task results, the admin's log, the directory's data-version counters.
  Keeping them off the workers keeps their writes single-node (a reference table's write is a
  two-phase commit to every node).

``manage.py citus_distribute`` applies the placements to a migrated coordinator (idempotent);
``manage.py citus_ddl`` prints the same script. ``carenet/core/tests/test_citus_readiness.py`` fails on
any model that has no placement or that Citus could not distribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from .constraints import TenantForeignKeyConstraint

# The table every distributed table is colocated with (and created first).
ANCHOR = "core.organisation"

REFERENCE = {
    "core.municipality": "the tenants themselves; every tenant row references one",
    "accounts.user": "staff accounts; tenant rows reference them (authors, caseworkers)",
    "accounts.user_groups": "Django's user groups",
    "accounts.user_user_permissions": "Django's user permissions",
    "auth.group": "Django's groups",
    "auth.group_permissions": "Django's group permissions",
    "auth.permission": "Django's permissions",
    "contenttypes.contenttype": "Django's content types",
    "directory.taxonomy": "national nomenclatures shared by every municipality",
    "directory.taxonomyterm": "their terms (services carry them)",
    "otp_totp.totpdevice": "second factor: read at sign-in, one row per user",
    "otp_static.staticdevice": "second factor (recovery codes)",
    "otp_static.statictoken": "second factor (recovery codes)",
}
LOCAL = {
    "sessions.session": "written on every sign-in and often after; never joined",
    "axes.accessattempt": "failed sign-ins; written under attack",
    "axes.accessfailurelog": "failed sign-ins",
    "axes.accesslog": "sign-ins",
    "axes.accessattemptexpiration": "failed sign-ins",
    "django_tasks_database.dbtaskresult": "the background queue: polled and written by the worker",
    "admin.logentry": "the platform admin's own log",
    "accounts.usersession": "signed-in browsers: written on sign-in and once a minute after; never joined",
    "accounts.apitoken": "personal API tokens: read on every token request, never joined with tenant rows",
    "directory.dataversion": "a counter per municipality bumped by every public directory write; read on every HSDS request",
    "ops.heartbeat": "the worker's and the daily checks' last run: written by the worker, read by /readyz",
    "ops.backuprecord": "the installation's backups: written by manage.py backup, read by /readyz",
}
DISTRIBUTED_BY = {
    "audit.auditevent": "chain",
    "audit.auditcheckpoint": "chain",
}  # besides every TenantOwnedModel (by municipality_id)


@dataclass(frozen=True)
class Placement:
    model: type[models.Model]
    kind: str  # "distributed" | "reference" | "local" | "unplaced"
    column: str = ""

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def _is_tenant(model: type[models.Model]) -> bool:
    from carenet.core.tenancy import TenantOwnedModel

    return issubclass(model, TenantOwnedModel)


def placement_of(model: type[models.Model]) -> Placement:
    label = model._meta.label_lower
    if _is_tenant(model):
        return Placement(model, "distributed", model._meta.get_field("municipality").column)  # type: ignore[arg-type, union-attr]
    if label in DISTRIBUTED_BY:
        return Placement(model, "distributed", model._meta.get_field(DISTRIBUTED_BY[label]).column)  # type: ignore[arg-type, union-attr]
    if label in REFERENCE:
        return Placement(model, "reference")
    if label in LOCAL:
        return Placement(model, "local")
    return Placement(model, "unplaced")


def placements() -> list[Placement]:
    """Every table of the project (auto-created many-to-many tables too), in model order."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.swapped:
            continue
        found.append(placement_of(model))
    return found


def _references(model: type[models.Model]) -> set[str]:
    return {
        f.related_model._meta.label_lower  # type: ignore[union-attr]
        for f in model._meta.local_fields
        if f.is_relation and f.related_model is not None and f.db_constraint  # type: ignore[attr-defined]
    }


def reference_order(chosen: list[Placement]) -> list[Placement]:
    """Reference tables with the tables they point at first (Citus refuses the other order)."""
    by_label = {p.label: p for p in chosen}
    ordered: list[Placement] = []
    seen: set[str] = set()

    def visit(p: Placement) -> None:
        if p.label in seen:
            return
        seen.add(p.label)
        for target in sorted(_references(p.model)):
            if target in by_label and target != p.label:
                visit(by_label[target])
        ordered.append(p)

    for p in chosen:
        visit(p)
    return ordered


def tenant_foreign_keys() -> list[tuple[type[models.Model], TenantForeignKeyConstraint]]:
    return [
        (p.model, c)
        for p in placements()
        for c in p.model._meta.constraints
        if isinstance(c, TenantForeignKeyConstraint)
    ]


class _ScriptEditor:
    """Just enough of a schema editor for the constraints' SQL (quoting), without a connection."""

    class connection:
        vendor = "postgresql"

    deferred_sql: list[str] = []

    @staticmethod
    def quote_name(name: str) -> str:
        return name if name.startswith('"') else f'"{name}"'


def _distribute_sql(p: Placement, anchor: Placement, shard_count: int | None) -> str:
    if p.label == anchor.label:
        extra = f", shard_count => {int(shard_count)}" if shard_count else ""
        return f"SELECT create_distributed_table('{p.table}', '{p.column}'{extra});"
    return f"SELECT create_distributed_table('{p.table}', '{p.column}', colocate_with => '{anchor.table}');"


def ddl_script(*, shard_count: int | None = None, only: set[str] | None = None) -> list[str]:
    """The statements that turn a migrated coordinator into a distributed one, in dependency order.

    ``only``: the tables still to place (``citus_distribute`` passes what the cluster does not have yet).
    """
    all_placements = placements()
    unplaced = [p.label for p in all_placements if p.kind == "unplaced" and p.label != "migrations.migration"]
    if unplaced:
        raise ValueError(f"tables without a Citus placement (carenet/core/db/citus.py): {', '.join(unplaced)}")
    todo = [p for p in all_placements if only is None or p.table in only]
    reference = reference_order([p for p in todo if p.kind == "reference"])
    distributed = [p for p in todo if p.kind == "distributed"]
    anchor = placement_of(apps.get_model(ANCHOR))
    distributed.sort(key=lambda p: p.label != anchor.label)
    tables = {p.table for p in distributed}
    editor = _ScriptEditor()
    fks = [(m, c) for m, c in tenant_foreign_keys() if m._meta.db_table in tables]
    # A composite key referencing a table about to be distributed also has to wait.
    fks += [
        (m, c)
        for m, c in tenant_foreign_keys()
        if m._meta.db_table not in tables and m._meta.get_field(c.field).related_model._meta.db_table in tables  # type: ignore[union-attr]
    ]
    lines: list[str] = []
    if reference:
        lines.append("-- 1. reference tables (a copy on every node), the tables they point at first")
        lines += [f"SELECT create_reference_table('{p.table}');" for p in reference]
    if distributed:
        lines.append("-- 2. composite foreign keys between tenant tables wait until both sides are distributed")
        lines += [c.remove_sql(m, editor) + ";" for m, c in fks]
        dropped = [(p.table, t) for p in distributed for t in TRIGGERS_REPLACED.get(p.table, ())]
        if dropped:
            lines.append("-- 3a. no row trigger on a distributed table: the audit log's guard becomes privileges")
            lines += [f'DROP TRIGGER IF EXISTS "{name}" ON "{table}";' for table, name in dropped]
            lines += [f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM PUBLIC;' for table in dict(dropped)]
        lines.append("-- 3. tenant tables, hash-distributed and colocated by municipality")
        lines += [_distribute_sql(p, anchor, shard_count) for p in distributed]
        lines.append("-- 4. the composite foreign keys again (colocated: checked on each worker)")
        lines += [c.create_sql(m, editor) + ";" for m, c in fks]
    return lines


# --- against a live coordinator ---------------------------------------------------------------------


def is_citus(connection: Any) -> bool:
    """Does this PostgreSQL server run Citus (the extension is preloaded)?"""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_preload_libraries")
        return "citus" in cursor.fetchone()[0]


_CITUS_SERVERS: dict[tuple[Any, ...], bool] = {}


def runs_citus(connection: Any) -> bool:
    """``is_citus``, asked once per database of a process (for code on every request)."""
    if connection.vendor != "postgresql":
        return False
    settings = connection.settings_dict
    key = (settings.get("HOST"), settings.get("PORT"), settings.get("NAME"))
    if key not in _CITUS_SERVERS:
        _CITUS_SERVERS[key] = is_citus(connection)
    return _CITUS_SERVERS[key]


def placed_tables(connection: Any) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        if cursor.fetchone() is None:
            return set()
        cursor.execute("SELECT logicalrelid::regclass::text FROM pg_dist_partition")
        return {row[0].strip('"') for row in cursor.fetchall()}


def distribute(connection: Any, *, shard_count: int | None = None) -> list[str]:
    """Place every table that is not placed yet; return the statements run (none: already done)."""
    existing = set(connection.introspection.table_names())
    wanted = {p.table for p in placements() if p.kind in ("reference", "distributed")}
    todo = (wanted & existing) - placed_tables(connection)
    if not todo:
        return []
    statements = ddl_script(shard_count=shard_count, only=todo)
    with connection.cursor() as cursor:
        for statement in statements:
            if not statement.startswith("--"):
                cursor.execute(re.sub(r"\s*--.*$", "", statement))
    return statements


def distribution_on_create(table: str, column: str, schema_editor: Any) -> list[str]:
    """A tenant table created by a migration on a coordinator that is already distributed is distributed
    at once (colocated), before anything points at it: a new app's tables need no step of their own."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or getattr(schema_editor, "collect_sql", False):
        return []
    anchor_table = apps.get_model(ANCHOR)._meta.db_table
    try:
        placed = placed_tables(connection)
    except Exception:  # no permission to read Citus's catalogue: leave it to citus_distribute
        return []
    if anchor_table not in placed or table == anchor_table:
        return []
    return [f"SELECT create_distributed_table('{table}', '{column}', colocate_with => '{anchor_table}')"]


# --- readiness: what would stop Citus from distributing a table ----------------------------------------

# Row triggers of tables that are distributed on Citus, allowed on one node only: the script drops them before
# distributing the table (Citus runs row triggers on shards only with citus.enable_unsafe_triggers, which
# CareNet leaves off). The audit log's append-only guard is then the application role's privileges (SELECT
# and INSERT only: ``manage.py audit_guard``) and the hash chain ``audit_verify`` checks (decision 0011).
TRIGGERS_REPLACED = {
    "audit_auditevent": ("audit_append_only", "audit_no_truncate"),
    "audit_auditcheckpoint": ("audit_checkpoint_append_only", "audit_checkpoint_no_truncate"),  # decision 0015
}
TRIGGERS_ALLOWED = {table: "append-only guard on one node (dropped on Citus)" for table in TRIGGERS_REPLACED}
# Triggers that exist on SQLite only, standing in for a PostgreSQL constraint Citus keeps (they never reach a
# PostgreSQL or Citus database, so they never stop a table from being distributed).
SQLITE_ONLY_TRIGGERS = {"housing_stay": "a bed's stays never overlap (PostgreSQL: an exclusion constraint)"}
_AUTO_FIELDS = ("AutoField", "BigAutoField", "SmallAutoField")


def problems_of(p: Placement, placement_by_label: dict[str, Placement] | None = None) -> list[str]:
    """Why Citus could not place this table as declared (empty: it can)."""
    from carenet.core.tenancy import TenantOneToOneField, TenantRelationMixin

    by_label = placement_by_label if placement_by_label is not None else {x.label: x for x in placements()}
    opts = p.model._meta
    found: list[str] = []
    if p.kind == "unplaced":
        return [f"{p.label}: no placement (tenant-owned model, or REFERENCE/LOCAL in carenet/core/db/citus.py)"]
    if p.kind != "distributed":
        for field in opts.local_fields:
            related = field.related_model if field.is_relation else None
            target = (
                by_label.get(related._meta.label_lower)
                if related is not None and not isinstance(related, str)
                else None
            )
            if target is not None and field.db_constraint and target.kind == "distributed":  # type: ignore[attr-defined]
                found.append(f"{p.label}.{field.name}: a {p.kind} table cannot reference a distributed one")
            if target is not None and field.db_constraint and p.kind == "reference" and target.kind == "local":  # type: ignore[attr-defined]
                found.append(f"{p.label}.{field.name}: a reference table cannot reference a coordinator-local one")
        return found
    dist = next(f for f in opts.local_fields if f.column == p.column)
    for field in opts.local_fields:
        if field.get_internal_type() in _AUTO_FIELDS:
            found.append(f"{p.label}.{field.name}: identity column (make the id a UUID: TenantOwnedModel)")
        if field.unique and not field.primary_key and not isinstance(field, TenantOneToOneField):
            found.append(f"{p.label}.{field.name}: unique without {dist.name} (a UniqueConstraint with it)")
    keys = [c for c in opts.constraints if c.__class__.__name__ == "TenantKey"]
    if not any(set(getattr(k, "fields", ())) == {opts.pk.name, dist.name} for k in keys):
        found.append(f"{p.label}: primary key without {dist.name} (TenantKey({opts.pk.name}, {dist.name}))")
    for constraint in opts.constraints:
        fields = getattr(constraint, "fields", None)
        if isinstance(constraint, models.UniqueConstraint) and fields is not None and dist.name not in fields:
            found.append(f"{p.label}: unique constraint {constraint.name} without {dist.name}")
    for together in opts.unique_together:
        if dist.name not in together:
            found.append(f"{p.label}: unique_together {together} without {dist.name}")
    tfks = {c.field for c in opts.constraints if isinstance(c, TenantForeignKeyConstraint)}
    for field in opts.local_fields:
        if not field.is_relation or field.related_model is None or isinstance(field.related_model, str):
            continue
        target = by_label.get(field.related_model._meta.label_lower)
        if target is None:
            continue
        if target.kind == "distributed":
            if not isinstance(field, TenantRelationMixin) or field.db_constraint:  # type: ignore[attr-defined]
                found.append(
                    f"{p.label}.{field.name}: reference to a tenant row without the municipality (TenantForeignKey)"
                )
            elif field.name not in tfks:
                found.append(f"{p.label}.{field.name}: no composite foreign key (TenantForeignKeyConstraint)")
            if isinstance(field, TenantOneToOneField) and not field.primary_key:
                pairs = [
                    set(getattr(c, "fields", ())) for c in opts.constraints if isinstance(c, models.UniqueConstraint)
                ]
                if {field.name, dist.name} not in pairs:
                    found.append(f"{p.label}.{field.name}: one-to-one without UNIQUE ({field.name}, {dist.name})")
        elif target.kind == "local" and field.db_constraint:  # type: ignore[attr-defined]
            found.append(
                f"{p.label}.{field.name}: a distributed table cannot reference the coordinator-local {target.table}"
            )
    for m2m in opts.local_many_to_many:
        through = m2m.remote_field.through._meta  # type: ignore[union-attr]
        if through.auto_created:
            found.append(f"{p.label}.{m2m.name}: many-to-many without a tenant-owned through model")
    return found


def problems() -> list[str]:
    """Every reason Citus could not place CareNet's tables as declared."""
    all_placements = placements()
    by_label = {p.label: p for p in all_placements}
    return [problem for p in all_placements for problem in problems_of(p, by_label)]


def row_triggers(connection: Any) -> dict[str, list[str]]:
    """Triggers on tables, by table (SQLite and PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal"
            )
        found: dict[str, list[str]] = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, []).append(name)
    return found


def misplaced(connection: Any) -> list[str]:
    """On a distributed coordinator: every table whose placement differs from the declared one (empty: none).

    A tenant-owned table not hash-distributed by ``municipality_id`` (or not colocated with the others), a
    reference table that is not one, a coordinator-local table Citus knows about. ``citus_distribute --check``
    prints this list and fails when it is not empty.
    """
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT logicalrelid::regclass::text, partmethod, repmodel, "
            "column_to_column_name(logicalrelid, partkey), colocationid FROM pg_dist_partition"
        )
        # A reference table: method n, replicated to every node ('t'); a Citus-managed local table (a
        # coordinator table with a foreign key to a reference table, converted by Citus): method n, 's'.
        actual = {row[0].strip('"'): (row[1] + row[2], row[3], row[4]) for row in cursor.fetchall()}
    anchor_table = apps.get_model(ANCHOR)._meta.db_table
    anchor_colocation = actual.get(anchor_table, (None, None, None))[2]
    found: list[str] = []
    for p in placements():
        if p.table not in existing:
            continue
        method, column, colocation = actual.get(p.table, (None, None, None))
        if p.kind == "distributed":
            if method is None or method[0] != "h" or column != p.column:
                found.append(f"{p.table}: not distributed by {p.column}")
            elif colocation != anchor_colocation:
                found.append(f"{p.table}: not colocated with {anchor_table}")
        elif p.kind == "reference" and method != "nt":
            found.append(f"{p.table}: not a reference table")
        elif p.kind == "local" and method not in (None, "ns"):
            found.append(f"{p.table}: placed on the workers, declared local to the coordinator")
    return found

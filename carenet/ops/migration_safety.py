"""Which migration operations are risky on a live database, for ``manage.py upgrade_check`` and the test that
keeps new migrations safe (``carenet/ops/tests/test_migration_safety.py``).

Risky: an operation that rewrites or locks a whole table while the site serves (a column's type changed,
an index built without CONCURRENTLY, a constraint validated over every row), one that breaks the code still
running during the upgrade (a column or table renamed or removed), or one that cannot be undone (raw SQL or
Python without its reverse). A released migration is in ``data/released_migrations.txt``; a new one with a
risky operation needs a line in ``ACCEPTED`` saying why it is safe here (a small table, a new column, …).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import migrations
from django.db.migrations.loader import MigrationLoader

RELEASED = Path(__file__).resolve().parent / "data" / "released_migrations.txt"

# (app, migration name, operation index) → why the risky operation is acceptable.
ACCEPTED: dict[tuple[str, str, int], str] = {
    ("care", "0004_visit_cover_substitute", 1): "the column is new and NULL in every row; care_visit is small",
    ("care", "0004_visit_cover_substitute", 2): "a partial unique index over a new column that is NULL in every row",
}


@dataclass(frozen=True)
class Risk:
    app: str
    migration: str
    index: int
    operation: str
    why: str

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.app, self.migration, self.index)

    def __str__(self) -> str:
        return f"{self.app}.{self.migration} #{self.index} {self.operation}: {self.why}"


def _db_shape(field: Any) -> tuple[Any, ...]:
    """What of a field the database sees (choices, labels and help texts are Python's only)."""
    from django.db import connection

    return (
        field.db_parameters(connection=connection).get("type"),
        field.null,
        field.unique,
        field.db_index,
        getattr(field, "db_default", None),
        getattr(field, "remote_field", None) and field.remote_field.model,
    )


def _changes_the_database(operation: Any, before: Any, app: str) -> bool:
    """An AlterField that changes only choices, labels or help texts emits no SQL."""
    try:
        old = before.apps.get_model(app, operation.model_name)._meta.get_field(operation.name)
        new = operation.field.clone()
        new.set_attributes_from_name(operation.name)
        new.model = old.model
    except (LookupError, FieldDoesNotExist):  # a field or model added earlier in the same migration
        return True
    try:
        return _db_shape(old) != _db_shape(new)
    except Exception:  # a field the comparison cannot read: count it as a change
        return True


def _why(operation: Any, before: Any = None, app: str = "") -> str:
    name = type(operation).__name__
    if isinstance(operation, migrations.AlterField):
        if before is not None and not _changes_the_database(operation, before, app):
            return ""
        return "may rewrite the table under an exclusive lock (a type, length or nullability change)"
    if isinstance(operation, migrations.RenameField | migrations.RenameModel):
        return "the code still running during the upgrade uses the old name"
    if isinstance(operation, migrations.RemoveField | migrations.DeleteModel):
        return "the code still running during the upgrade reads or writes it: remove it one release later"
    if isinstance(operation, migrations.AddIndex) and name == "AddIndex":
        return "builds the index under a lock that blocks writes (use AddIndexConcurrently on a large table)"
    if isinstance(operation, migrations.AddConstraint) and name == "AddConstraint":
        return "checks every row under a lock that blocks writes"
    if isinstance(operation, migrations.RunSQL) and operation.reverse_sql is None:
        return "raw SQL without its reverse: the release cannot be rolled back"
    if isinstance(operation, migrations.RunPython) and operation.reverse_code is None:
        return "Python without its reverse: the release cannot be rolled back"
    return ""


def risks_of(app: str, name: str, migration: Any, loader: Any = None) -> list[Risk]:
    """The risky operations of one migration. An operation on a table the same migration creates is safe
    (the table is empty and no running code uses it)."""
    created = {op.name.lower() for op in migration.operations if isinstance(op, migrations.CreateModel)}
    before = loader.project_state((app, name), at_end=False) if loader is not None else None
    found = []
    for index, operation in enumerate(migration.operations):
        model = (getattr(operation, "model_name", None) or getattr(operation, "name", "") or "").lower()
        if model in created and not isinstance(operation, migrations.CreateModel):
            continue
        why = _why(operation, before, app)
        if why:
            found.append(Risk(app, name, index, type(operation).__name__, why))
    return found


def released() -> set[tuple[str, str]]:
    if not RELEASED.exists():
        return set()
    pairs = set()
    for line in RELEASED.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            app, _, name = line.partition(".")
            pairs.add((app, name))
    return pairs


def project_migrations(loader: Any = None) -> dict[tuple[str, str], Any]:
    """Every migration of CareNet's own apps (not Django's or a library's)."""
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    return {
        key: migration
        for key, migration in loader.disk_migrations.items()
        if type(migration).__module__.startswith("carenet.")
    }


def unreleased_risks() -> list[Risk]:
    """Risky operations of migrations not yet released and not accepted."""
    done = released()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = []
    for (app, name), migration in sorted(project_migrations(loader).items()):
        if (app, name) in done:
            continue
        found += [r for r in risks_of(app, name, migration, loader) if r.key not in ACCEPTED]
    return found

"""The database's own refusal of a bed held by two people on one night (decision 0020).

PostgreSQL (and Citus: the constraint includes the distribution column with ``=``): an exclusion constraint
over ``daterange(check_in, check_out)`` per bed, with ``btree_gist`` for the equality parts. SQLite: two
triggers that abort an insert or update overlapping another stay of the bed. The service checks the same
rule first, under a lock of the bed, so a person sees a named field error; these are the last line.
"""

from typing import Any

PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE housing_stay ADD CONSTRAINT housing_stay_bed_no_overlap EXCLUDE USING gist "
    "(municipality_id WITH =, bed_id WITH =, daterange(check_in, check_out, '[)') WITH &&)",
]
PG_DROP = ["ALTER TABLE housing_stay DROP CONSTRAINT IF EXISTS housing_stay_bed_no_overlap"]

_OVERLAP = (
    "WHEN EXISTS (SELECT 1 FROM housing_stay s WHERE s.municipality_id = NEW.municipality_id "
    "AND s.bed_id = NEW.bed_id AND s.id != NEW.id "
    "AND s.check_in < COALESCE(NEW.check_out, '9999-12-31') "
    "AND COALESCE(s.check_out, '9999-12-31') > NEW.check_in) "
    "BEGIN SELECT RAISE(ABORT, 'housing_stay_bed_no_overlap'); END"
)
SQLITE_CREATE = [
    f"CREATE TRIGGER housing_stay_bed_no_overlap_ins BEFORE INSERT ON housing_stay {_OVERLAP}",
    f"CREATE TRIGGER housing_stay_bed_no_overlap_upd BEFORE UPDATE ON housing_stay {_OVERLAP}",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS housing_stay_bed_no_overlap_ins",
    "DROP TRIGGER IF EXISTS housing_stay_bed_no_overlap_upd",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in PG_CREATE if vendor == "postgresql" else SQLITE_CREATE if vendor == "sqlite" else []:
        schema_editor.execute(statement)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in PG_DROP if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []:
        schema_editor.execute(statement)

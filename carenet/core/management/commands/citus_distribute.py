"""Turn a migrated Citus coordinator into a distributed one (docs/decisions/0011-citus-key-shape.md).

Reference tables first (in the order of their foreign keys), then every tenant-owned table hash-distributed
by ``municipality_id`` and colocated with ``core_organisation`` (the composite foreign keys between them
dropped for the move and added back). Idempotent: tables already placed are left as they are, so it can
run after every ``migrate``. ``--check`` changes nothing: it lists every table whose placement differs
from the declared one (a tenant-owned table not distributed by municipality, …) and fails if there is one.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from carenet.core.db import citus


class Command(BaseCommand):
    help = "Distribute the tenant tables of a migrated Citus coordinator by municipality (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument("--shard-count", type=int, default=None, help="shards per table (Citus default: 32)")
        parser.add_argument(
            "--check", action="store_true", help="change nothing; list the tables not placed as declared, fail if any"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if not citus.is_citus(connection):
            raise CommandError("This database server does not run Citus (shared_preload_libraries).")
        if options["check"]:
            wrong = citus.misplaced(connection)
            for problem in wrong:
                self.stdout.write(problem)
            if wrong:
                raise CommandError(f"{len(wrong)} tables not placed as declared (carenet/core/db/citus.py)")
            counts = {kind: 0 for kind in ("distributed", "reference", "local")}
            existing = set(connection.introspection.table_names())
            for p in citus.placements():
                if p.kind in counts and p.table in existing:
                    counts[p.kind] += 1
            self.stdout.write(
                self.style.SUCCESS(
                    f"Citus: every table placed as declared — {counts['distributed']} distributed by municipality, "
                    f"{counts['reference']} reference, {counts['local']} on the coordinator; 0 left undistributed."
                )
            )
            return
        statements = citus.distribute(connection, shard_count=options["shard_count"])
        for statement in statements:
            self.stdout.write(statement)
        placed = citus.placed_tables(connection)
        missing = [
            p.table for p in citus.placements() if p.kind in ("reference", "distributed") and p.table not in placed
        ]
        if missing:
            raise CommandError(f"not placed: {', '.join(missing)}")
        done = "distributed" if statements else "already distributed"
        self.stdout.write(self.style.SUCCESS(f"Citus: {done}; {len(placed)} tables placed."))

"""Print the script that distributes CareNet on a Citus coordinator, in dependency order.

The same statements ``citus_distribute`` runs on a freshly migrated coordinator: reference tables, the
composite foreign keys dropped, the tenant tables distributed by municipality, the foreign keys again.
Tables that stay on the coordinator are listed as comments.
"""

from typing import Any

from django.core.management.base import BaseCommand

from carenet.core.db import citus


class Command(BaseCommand):
    help = "Print the create_reference_table / create_distributed_table script in dependency order."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--shard-count", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        for statement in citus.ddl_script(shard_count=options["shard_count"]):
            self.stdout.write(statement)
        local = [p for p in citus.placements() if p.kind == "local"]
        self.stdout.write("-- 5. kept on the coordinator (high-write, never joined with tenant rows):")
        for p in local:
            self.stdout.write(f"--    {p.table}: {citus.LOCAL[p.label]}")

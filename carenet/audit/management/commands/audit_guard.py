"""Grant the application's database role what it needs, the audit log append-only (``carenet.audit.guard``).

    manage.py audit_guard --role carenet_app

Run as the tables' owner after every ``migrate`` (new tables), on PostgreSQL and on a Citus coordinator;
the application then connects as ``carenet_app``. On one node the audit table's triggers refuse edits for
every role as well; on Citus this is the database's refusal (decision 0011).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from carenet.audit.guard import append_only_role


class Command(BaseCommand):
    help = "Grant the application role its privileges; on the audit log only SELECT and INSERT."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--role", required=True, help="the role the application connects as")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError("Roles and privileges are PostgreSQL's; on SQLite the audit table's triggers guard it.")
        for statement in append_only_role(connection, options["role"]):
            self.stdout.write(statement + ";")

"""Before an upgrade: what the new release's migrations will do to this database, and whether it is safe to
start (a recent backup, the audit chain verified). Exit status 1 when something must be done first."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from carenet.ops.health import check_audit, check_backup
from carenet.ops.migration_safety import risks_of


class Command(BaseCommand):
    help = "Check that the database can be upgraded: pending migrations, their risky operations, a recent backup."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-backup", action="store_true", help="do not require a backup younger than 26 hours (a test machine)"
        )

    def handle(self, *args: Any, no_backup: bool, **options: Any) -> None:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        pending = [migration for migration, backwards in plan if not backwards]
        blockers: list[str] = []
        if not pending:
            self.stdout.write("No migration to apply: the database is up to date.")
        else:
            self.stdout.write(f"{len(pending)} migration(s) to apply:")
            risky = 0
            for migration in pending:
                self.stdout.write(f"  {migration.app_label}.{migration.name}")
                for risk in risks_of(migration.app_label, migration.name, migration, executor.loader):
                    risky += 1
                    self.stdout.write(self.style.WARNING(f"    risky: #{risk.index} {risk.operation}: {risk.why}"))
            if risky:
                self.stdout.write(
                    self.style.WARNING(
                        f"{risky} risky operation(s): upgrade in a maintenance window (the site read-only or stopped)."
                    )
                )
        now = timezone.now()
        backup = check_backup(now)
        if backup.ok:
            self.stdout.write(f"Backup: the last one finished {(backup.age_seconds or 0) // 3600} hour(s) ago.")
        elif no_backup:
            self.stdout.write(self.style.WARNING("Backup: none recent (--no-backup given)."))
        else:
            blockers.append("take a backup first: manage.py backup (none finished in the last 26 hours)")
        audit = check_audit(now)
        if not audit.ok:
            self.stdout.write(
                self.style.WARNING("Audit log: not verified in the last day; run manage.py audit_verify.")
            )
        if blockers:
            raise CommandError("Not ready to upgrade: " + "; ".join(blockers))
        self.stdout.write(self.style.SUCCESS("Ready to upgrade."))

"""`manage.py import_persons FILE --user USERNAME`: the validated, whole-or-nothing CSV import of persons."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from carenet.people.importers import COLUMNS, ImportRefused, persons_import_csv


class Command(BaseCommand):
    help = (
        "Import persons from a CSV file (columns: " + ", ".join(COLUMNS) + "). Every row is validated; "
        "if any row is wrong nothing is saved and every error is listed with its row and field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV file, UTF-8, comma or semicolon separated, with a header row")
        parser.add_argument("--user", required=True, help="username of the caseworker or manager importing")
        parser.add_argument("--organisation", default="", help="code of the registering organisation")
        parser.add_argument("--purpose", default="", help="why the file is imported (kept in the audit log)")
        parser.add_argument("--synthetic", action="store_true", help="mark the persons as synthetic (demo data)")

    def handle(self, *args: Any, **options: Any) -> None:
        from carenet.accounts.models import User
        from carenet.core.models import Organisation

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        organisation = None
        if options["organisation"]:
            organisation = (
                Organisation.objects.for_tenant(user.municipality_id).filter(code=options["organisation"]).first()
            )
            if organisation is None:
                raise CommandError(f"no organisation {options['organisation']!r} in the user's municipality")
        started = time.perf_counter()
        try:
            result = persons_import_csv(
                actor=user,
                source=path.read_bytes(),
                organisation=organisation,
                file_name=path.name,
                purpose=options["purpose"],
                is_synthetic=options["synthetic"],
            )
        except PermissionDenied:
            raise CommandError(f"{user.username} may not register persons") from None
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(refused.errors)} error(s): nothing was imported") from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.created} persons imported in {elapsed:.1f} s ({result.created / max(elapsed, 1e-9):,.0f} rows/s)"
            )
        )

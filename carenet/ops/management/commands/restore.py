"""``manage.py restore``: an archive of ``manage.py backup`` into an empty database, checked against its
manifest and the audit chain (carenet/ops/backup.py)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carenet.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an encrypted archive of `manage.py backup` into an EMPTY database and MEDIA_ROOT, then check "
        "every table's rows, the personal data's checksums and the uploaded files against the archive's "
        "manifest, and verify the audit chain. Fails when anything differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the .tar.gpg file written by `manage.py backup`")
        parser.add_argument(
            "--secret-key", metavar="PATH", required=True, help="the armored OpenPGP secret key to decrypt with"
        )
        parser.add_argument(
            "--passphrase-file", metavar="PATH", help="a file holding the secret key's passphrase, if it has one"
        )
        parser.add_argument(
            "--database-url",
            metavar="URL",
            help="restore into this (empty) database instead of CareNet's configured one, "
            "e.g. postgres://user@host:5432/scratch or sqlite:////path/restored.sqlite3",
        )
        parser.add_argument(
            "--force-files",
            action="store_true",
            help="write the uploaded files into MEDIA_ROOT even when it is not empty",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def log(line: str) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(line)

        try:
            report = restore_backup(
                archive=options["archive"],
                secret_key=options["secret_key"],
                passphrase_file=options["passphrase_file"],
                database_url=options["database_url"],
                force_files=options["force_files"],
                log=log,
            )
        except BackupError as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        manifest = report.manifest
        self.stdout.write(
            f"Restored the backup {report.archive} (made {manifest['created_at']}, "
            f"backup {manifest['backup_id']}) into the {report.target}."
        )
        for line in report.lines:
            self.stdout.write(f"  {line}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"  WARNING {warning}"))
        if report.problems:
            for problem in report.problems:
                self.stderr.write(self.style.ERROR(f"  DIFFERS {problem}"))
            raise CommandError(
                f"The restore is NOT identical to the backup: {len(report.problems)} difference(s), listed above."
            )
        self.stdout.write(self.style.SUCCESS("The restore is identical to the backup."))

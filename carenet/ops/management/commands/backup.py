"""``manage.py backup``: the database and the uploaded files in one archive encrypted to the municipality's
public key (carenet/ops/backup.py)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carenet.ops.backup import BackupError, default_output_dir, make_backup


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files (MEDIA_ROOT) into one archive encrypted with GnuPG to "
        "the municipality's public key, with a manifest that `manage.py restore` checks the restore against. "
        "Every run is recorded (the readiness check reads the last successful one)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recipient-key",
            metavar="PATH",
            help="the municipality's armored OpenPGP public key (default: settings.CARENET_BACKUP_PUBLIC_KEY)",
        )
        parser.add_argument(
            "--output",
            metavar="DIR",
            help=f"the folder the archive is written to (default: settings.CARENET_BACKUP_DIR, {default_output_dir()})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def log(line: str) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(line)

        try:
            record = make_backup(recipient_key=options["recipient_key"], output_dir=options["output"], log=log)
        except BackupError as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {record.path} ({record.size_bytes} bytes, SHA-256 {record.sha256}), "
                f"encrypted to {record.recipient}; {record.note}."
            )
        )

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carenet.core.selectors import municipality_by_slug
from carenet.directory.datapackage import import_file


class Command(BaseCommand):
    help = "Import an HSDS 3.0 datapackage (.zip) or JSON feed (.json) into a municipality, validated whole."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="slug of the target municipality")
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = municipality_by_slug(slug=options["municipality"])
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        with path.open("rb") as package:  # read in place, within the size limit (never loaded whole)
            report = import_file(actor=None, municipality=municipality, content=package, filename=path.name)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"refused: {len(report.errors)} error(s); nothing was imported")
        for name, count in sorted(report.counts.items()):
            self.stdout.write(f"  {name}: {count}")

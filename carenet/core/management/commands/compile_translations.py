"""Compile every .po file to .mo with polib, so no GNU gettext is needed to run CareNet."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def po_files() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "carenet", *map(Path, settings.LOCALE_PATHS)]
    return sorted(
        {p for root in roots for p in root.glob("**/locale/*/LC_MESSAGES/*.po")}
        | {p for root in map(Path, settings.LOCALE_PATHS) for p in root.glob("*/LC_MESSAGES/*.po")}
    )


class Command(BaseCommand):
    help = "Compile the translations (.po → .mo) of every app."

    def handle(self, *args, **options) -> None:
        count = 0
        for po_path in po_files():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"compiled {count} translation file(s)")

"""Refresh each app's .po files (needs GNU gettext's xgettext). Each app keeps its own catalogue
under carenet/<app>/locale, so parallel work on different apps never conflicts."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

LANGUAGES = ["ro", "ru", "hu", "uk"]  # English is the source language of the code


class Command(BaseCommand):
    help = "Run makemessages inside every CareNet app for ro, ru, hu and uk."

    def add_arguments(self, parser):
        parser.add_argument("apps", nargs="*", help="only these apps (default: all)")

    def handle(self, *args, apps, **options) -> None:
        base = Path(settings.BASE_DIR) / "carenet"
        targets = [base / a for a in apps] if apps else sorted(p for p in base.iterdir() if (p / "apps.py").exists())
        cwd = os.getcwd()
        for app_dir in targets:
            if not any(app_dir.glob("**/*.py")):
                continue
            (app_dir / "locale").mkdir(exist_ok=True)
            os.chdir(app_dir)
            try:
                call_command(
                    "makemessages",
                    locale=LANGUAGES,
                    domain="django",
                    no_obsolete=True,
                    verbosity=0,
                    ignore_patterns=["tests/*", "migrations/*"],
                )
            finally:
                os.chdir(cwd)
            self.stdout.write(f"updated {app_dir.name}")

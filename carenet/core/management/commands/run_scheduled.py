"""Enqueue the periodic tasks (reminders, overdue duties, referral expiry) listed in
settings.CARENET_SCHEDULED_TASKS. Run it from cron/systemd every 15 minutes, or with --loop."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Enqueue every scheduled task once (or every N seconds with --loop N)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, loop: int, **options) -> None:
        while True:
            for dotted in settings.CARENET_SCHEDULED_TASKS:
                import_string(dotted).enqueue()
                self.stdout.write(f"enqueued {dotted}")
            if not loop:
                return
            time.sleep(loop)

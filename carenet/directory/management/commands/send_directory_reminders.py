from typing import Any

from django.core.management.base import BaseCommand

from carenet.directory.tasks import send_freshness_reminders


class Command(BaseCommand):
    help = "Queue the freshness reminders of the directory (run nightly from cron or a systemd timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_freshness_reminders.enqueue()
        self.stdout.write(f"queued: {result.id}")

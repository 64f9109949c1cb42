import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo: both municipalities, their real organisations, services and plans, demo users. Idempotent."

    def handle(self, *args, **options) -> None:
        # Demo notifications (referrals, reminders) are not real mail: keep them out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            started = time.monotonic()
            for dotted in settings.CARENET_DEMO_LOADERS:
                self.stdout.write(f"{dotted} …")
                step = time.monotonic()
                with transaction.atomic():
                    import_string(dotted)(stdout=self.stdout)
                self.stdout.write(f"  ({time.monotonic() - step:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"demo loaded in {time.monotonic() - started:.0f} s"))

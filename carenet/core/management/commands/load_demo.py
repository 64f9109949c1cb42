from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo: both municipalities, their real organisations, services and plans, demo users. Idempotent."

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        # Demo notifications (referrals, reminders) are not real mail: keep them out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for dotted in settings.CARENET_DEMO_LOADERS:
                self.stdout.write(f"{dotted} …")
                with transaction.atomic():
                    import_string(dotted)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("demo loaded"))

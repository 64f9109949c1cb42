"""`flush` that respects the append-only audit table.

Django's test runner flushes the database between transactional tests; the audit table's triggers
refuse that. This override lifts the triggers for the flush only where the settings allow it
(CARENET_ALLOW_AUDIT_PURGE, on in test settings) and refuses to flush anywhere else.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from carenet.audit.triggers import audit_triggers_lifted


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        if not getattr(settings, "CARENET_ALLOW_AUDIT_PURGE", False):
            raise CommandError("The audit log is append-only: flushing the database is refused here.")
        with audit_triggers_lifted(connections[options["database"]]):
            super().handle(**options)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "carenet.audit"
    label = "audit"
    verbose_name = _("Audit log")
    nav = [
        {
            "url": "audit:log",
            "label": _("Audit log"),
            "staff": True,
            "order": 90,
            "visible_if": "carenet.audit.permissions.can_browse_audit",
        }
    ]

    def ready(self) -> None:
        from . import permissions, signals  # noqa: F401  (register rules and auth-signal receivers)

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
        from carenet.core.exports import register_export_auditor

        from . import checks, permissions, signals  # noqa: F401  (register rules, the deploy check, auth-signal receivers)
        from .services import audit_export

        register_export_auditor(audit_export)

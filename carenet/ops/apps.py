from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running CareNet: liveness and readiness, the heartbeats of the worker and the scheduled checks, the
    record of backups, and the coordinator's "system" page (issue 24)."""

    name = "carenet.ops"
    label = "ops"
    verbose_name = _("System")
    nav = [
        {
            "url": "ops:system",
            "label": _("System"),
            "staff": True,
            "order": 95,
            "visible_if": "carenet.ops.permissions.can_see_system",
        },
    ]

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the production checks)

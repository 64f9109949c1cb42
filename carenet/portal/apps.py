from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "carenet.portal"
    label = "portal"
    verbose_name = _("Citizen portal")
    nav = [
        {
            "url": "portal_help:queue",
            "label": _("Requests for help"),
            "staff": True,
            "visible_if": "carenet.portal.permissions.is_portal_staff",
            "order": 60,
        },
        {
            "url": "portal_engage:feedback_staff",
            "label": _("Feedback"),
            "staff": True,
            "visible_if": "carenet.portal.permissions.is_portal_staff",
            "order": 61,
        },
        {
            "url": "portal_engage:staff_home",
            "label": _("Participation"),
            "staff": True,
            "visible_if": "carenet.portal.permissions.is_coordinator",
            "order": 62,
        },
    ]

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules in the policy)

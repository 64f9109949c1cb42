from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "carenet.campaigns"
    label = "campaigns"
    verbose_name = _("Heat waves and cold nights")
    nav = [
        {
            "url": "campaigns:home",
            "label": _("Heat and cold alerts"),
            "staff": True,
            "order": 38,
            "visible_if": "carenet.campaigns.permissions.can_open_campaigns",
        },
    ]

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers rules in the policy)

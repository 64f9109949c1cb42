from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "carenet.activities"
    label = "activities"
    verbose_name = _("Activities and events")
    nav = [
        {
            "url": "activities:list",
            "label": _("Activities and events"),
            "staff": True,
            "order": 35,
            "visible_if": "carenet.activities.permissions.can_list_activities",
        },
    ]

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers rules in the policy)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "carenet.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering and rewards")
    nav = [
        {
            "url": "volunteering:staff_home",
            "label": _("Volunteering"),
            "staff": True,
            "order": 38,
            "visible_if": "carenet.volunteering.permissions.can_use_volunteering",
        },
    ]

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers rules in the policy)

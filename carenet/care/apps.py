from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "carenet.care"
    label = "care"
    verbose_name = _("Care matching")
    nav = [
        {
            "url": "care:staff_home",
            "label": _("Care matching"),
            "staff": True,
            "order": 39,
            "visible_if": "carenet.care.permissions.can_coordinate_care",
        },
    ]

    def ready(self) -> None:
        from carenet.people.hooks import PERSON_PANELS, register_merge_handler

        from . import permissions  # noqa: F401  (registers rules in the policy)
        from .panels import person_care_panel
        from .services import person_merge_move

        # A merge moves the duplicate's care requests to the kept record; the person page shows them.
        register_merge_handler(person_merge_move)
        if person_care_panel not in PERSON_PANELS:
            PERSON_PANELS.append(person_care_panel)

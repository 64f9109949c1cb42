from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "carenet.housing"
    label = "housing"
    verbose_name = _("Social housing and residential places")
    nav = [
        {
            "url": "housing:home",
            "label": _("Housing and places"),
            "staff": True,
            "order": 45,
            "visible_if": "carenet.housing.permissions.can_open_housing",
        },
    ]

    def ready(self) -> None:
        from carenet.core.capacity import register_live_places

        from . import permissions  # noqa: F401  (registers rules in the policy)
        from .selectors import live_places_by_service

        register_live_places(live_places_by_service)  # the directory, referral form and finder show beds live

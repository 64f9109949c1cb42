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
        from . import permissions  # noqa: F401  (registers rules in the policy)

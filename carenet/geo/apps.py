from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "carenet.geo"
    label = "geo"
    verbose_name = _("Areas and maps")
    nav = [
        {"url": "geo:areas", "label": _("Areas"), "staff": True, "order": 70},
    ]

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers rules in the policy)

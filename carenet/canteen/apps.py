from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanteenConfig(AppConfig):
    name = "carenet.canteen"
    label = "canteen"
    verbose_name = _("Social canteen and aid in kind")
    nav = [
        {
            "url": "canteen:home",
            "label": _("Social canteen"),
            "staff": True,
            "order": 37,
            "visible_if": "carenet.canteen.permissions.can_open_canteen",
        },
    ]

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers rules in the policy)

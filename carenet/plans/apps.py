from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "carenet.plans"
    label = "plans"
    verbose_name = _("Action plans")
    nav = [{"url": "plans:list", "label": _("Action plans"), "staff": True, "order": 40}]

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers rules in the policy)

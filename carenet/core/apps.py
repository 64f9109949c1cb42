from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "carenet.core"
    label = "core"
    verbose_name = _("Core")
    nav = [{"url": "core:dashboard", "label": _("My work"), "staff": True, "order": 0}]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "carenet.directory"
    label = "directory"
    verbose_name = _("Service directory")
    nav = [
        {"url": "directory:services", "label": _("Service directory"), "staff": True, "order": 20},
    ]

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers rules in the policy)

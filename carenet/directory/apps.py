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
        from . import permissions, signals  # noqa: F401  (permissions: registers rules in the policy)

        signals.connect()  # data versions of the HSDS response cache

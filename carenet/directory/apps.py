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
        from . import permissions, signals

        signals.connect()  # data versions of the HSDS response cache

        from carenet.core.jobs import register_job_kind

        from .tasks import import_hsds_package

        register_job_kind(
            permissions.IMPORT_JOB_KIND, enqueue=import_hsds_package.enqueue, can_retry=permissions.can_retry_import
        )

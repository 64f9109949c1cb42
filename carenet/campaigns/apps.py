from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "carenet.campaigns"
    label = "campaigns"
    verbose_name = _("Heat waves and cold nights")
    nav = [
        {
            "url": "campaigns:home",
            "label": _("Heat and cold alerts"),
            "staff": True,
            "order": 38,
            "visible_if": "carenet.campaigns.permissions.can_open_campaigns",
        },
    ]

    def ready(self) -> None:
        from carenet.core.jobs import register_job_kind

        from . import permissions
        from .services import MESSAGES_JOB_KIND
        from .tasks import send_campaign_messages

        register_job_kind(
            MESSAGES_JOB_KIND, enqueue=send_campaign_messages.enqueue, can_retry=permissions.can_retry_messages_job
        )

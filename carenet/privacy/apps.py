from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "carenet.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
    nav = [
        {
            "url": "privacy:home",
            "label": _("Privacy"),
            "staff": True,
            "order": 85,
            "visible_if": "carenet.privacy.permissions.can_manage_privacy",
        }
    ]

    def ready(self) -> None:
        from carenet.core.subject_data import autodiscover
        from carenet.people.hooks import PERSON_PANELS

        from . import permissions
        from .panels import person_privacy_panel

        autodiscover()
        permissions.make_archived_records_read_only()
        if person_privacy_panel not in PERSON_PANELS:
            PERSON_PANELS.append(person_privacy_panel)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "carenet.referrals"
    label = "referrals"
    verbose_name = _("Referrals")
    nav = [
        {
            "url": "referrals:list",
            "label": _("Referrals"),
            "staff": True,
            "order": 22,
            "visible_if": "carenet.referrals.permissions.can_see_referral_lists",
        },
        {
            "url": "referrals:notifications",
            "label": _("Notifications"),
            "staff": True,
            "order": 90,
            "count": "carenet.referrals.selectors.unread_notifications_count",
            "count_label": _("unread"),
        },
    ]

    def ready(self) -> None:
        from carenet.accounts.backends import register_user_annotation
        from carenet.people.views import PERSON_PANELS

        from . import permissions  # noqa: F401  (registers rules and the person-visibility extension)
        from .panels import person_referrals_panel
        from .selectors import UNREAD_ATTRIBUTE, unread_notifications_subquery

        # The navigation badge comes with the signed-in user's row (no query of its own on every staff page).
        register_user_annotation(UNREAD_ATTRIBUTE, unread_notifications_subquery)

        if person_referrals_panel not in PERSON_PANELS:
            PERSON_PANELS.append(person_referrals_panel)

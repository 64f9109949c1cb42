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
            # A platform administrator outside any municipality has none (the page answers 404).
            "visible_if": "carenet.core.access.in_municipality",
            "order": 90,
            "count": "carenet.referrals.selectors.unread_notifications_count",
            "count_label": _("unread"),
        },
    ]

    def ready(self) -> None:
        from carenet.accounts.backends import register_user_annotation
        from carenet.cases.panels import register_case_panel
        from carenet.people.hooks import (
            PERSON_PANELS,
            register_consent_use,
            register_consent_withdrawal_handler,
            register_merge_handler,
        )

        from . import documents, permissions  # noqa: F401  (registers rules and the person-visibility extension)
        from .panels import case_referrals_panel, person_referrals_panel
        from .selectors import UNREAD_ATTRIBUTE, unread_notifications_subquery
        from .services import describe_consent_use, person_merge_move, stop_sharing_on_consent_withdrawal

        # The navigation badge comes with the signed-in user's row (no query of its own on every staff page).
        register_user_annotation(UNREAD_ATTRIBUTE, unread_notifications_subquery)

        # People's writes that concern referrals (people cannot import them): a withdrawn consent stops the
        # sharing that relied on it (the withdrawal form says so first); a merge moves the duplicate's
        # referrals to the kept record.
        register_consent_withdrawal_handler(stop_sharing_on_consent_withdrawal)
        register_consent_use(describe_consent_use)
        register_merge_handler(person_merge_move)

        documents.register()  # the referral letter (core.documents)
        register_case_panel(case_referrals_panel)
        # The case timeline shows the referral steps and transfers in the reader's language (cases.models).
        from carenet.cases.models import register_event_labels

        from .services.timeline import EVENT_LABELS as REFERRAL_EVENT_LABELS

        register_event_labels(REFERRAL_EVENT_LABELS, prefix="referral_")
        register_event_labels(
            {"transfer": _("Case transferred to another provider")}
        )  # the case page's referrals and its "Refer" button
        if person_referrals_panel not in PERSON_PANELS:
            PERSON_PANELS.append(person_referrals_panel)

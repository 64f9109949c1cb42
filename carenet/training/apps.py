from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "carenet.training"
    label = "training"
    verbose_name = _("Training and employment")
    nav = [
        {
            "url": "training:courses",
            "label": _("Training and jobs"),
            "staff": True,
            "order": 37,
            "visible_if": "carenet.training.permissions.can_use_training",
        },
    ]

    def ready(self) -> None:
        from carenet.core.credentials import register_credential_check
        from carenet.people.hooks import (
            PERSON_PANELS,
            register_consent_use,
            register_consent_withdrawal_handler,
            register_merge_handler,
        )

        from . import permissions  # noqa: F401  (registers rules in the policy)
        from .hooks import (
            describe_consent_use,
            person_merge_move,
            person_training_panel,
            withdraw_on_consent_withdrawal,
        )
        from .selectors import certificate_credential

        register_credential_check(certificate_credential)
        register_merge_handler(person_merge_move)
        register_consent_withdrawal_handler(withdraw_on_consent_withdrawal)
        register_consent_use(describe_consent_use)
        if person_training_panel not in PERSON_PANELS:
            PERSON_PANELS.append(person_training_panel)

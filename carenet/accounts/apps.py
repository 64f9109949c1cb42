from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "carenet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    nav = [
        {"url": "accounts:organisations", "label": _("Organisations"), "staff": True, "order": 80},
        {
            "url": "accounts:users",
            "label": _("Users and roles"),
            "staff": True,
            "visible_if": "carenet.accounts.permissions.can_manage_users",
            "order": 81,
        },
    ]

    def ready(self) -> None:
        from . import (
            permissions,  # noqa: F401  (registers rules in the policy)
            sessions,  # noqa: F401  (records sign-ins and sign-outs)
        )

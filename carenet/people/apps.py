from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "carenet.people"
    label = "people"
    verbose_name = _("Persons")
    nav = [
        {"url": "people:list", "label": _("Persons"), "staff": True, "order": 20},
        {
            "url": "people:access_report",
            "label": _("Openings outside a caseload"),
            "staff": True,
            "order": 91,
            "visible_if": "carenet.audit.permissions.can_browse_audit",
        },
        {
            "url": "people:duplicates",
            "label": _("Duplicates"),
            "staff": True,
            "order": 21,
            "visible_if": "carenet.people.permissions.can_deduplicate",
        },
    ]

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers rules in the policy)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "carenet.people"
    label = "people"
    verbose_name = _("Persons")
    nav = [{"url": "people:list", "label": _("Persons"), "staff": True, "order": 20}]

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers rules in the policy)

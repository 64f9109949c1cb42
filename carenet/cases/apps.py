from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "carenet.cases"
    label = "cases"
    verbose_name = _("Cases")
    nav = [
        {"url": "cases:workspace", "label": _("My cases and duties"), "staff": True, "order": 11},
        {"url": "cases:list", "label": _("Cases"), "staff": True, "order": 21},
    ]

    def ready(self) -> None:
        from carenet.people.hooks import register_merge_handler
        from carenet.people.views import PERSON_PANELS

        from . import permissions  # noqa: F401  (registers rules in the policy)
        from .panels import person_cases_panel
        from .services import person_merge_move

        # Merging two records of a person moves the duplicate's cases and deliveries (people cannot import cases).
        register_merge_handler(person_merge_move)

        if person_cases_panel not in PERSON_PANELS:
            PERSON_PANELS.append(person_cases_panel)

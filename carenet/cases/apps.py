from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "carenet.cases"
    label = "cases"
    verbose_name = _("Cases")
    nav = [
        {"url": "cases:workspace", "label": _("My cases and duties"), "staff": True, "order": 11},
        {"url": "cases:list", "label": _("Cases"), "staff": True, "order": 21},
        # Coordinators only (the view's @requires decides; core.context_processors hides it from others).
        {"url": "cases:document_templates", "label": _("Printed documents"), "staff": True, "order": 88},
    ]

    def ready(self) -> None:
        from carenet.people.hooks import PERSON_PANELS, register_caseload, register_merge_handler

        from . import documents, permissions  # noqa: F401  (registers rules in the policy)
        from .panels import person_cases_panel
        from .selectors import caseload_person_ids
        from .services import person_merge_move

        documents.register()  # the printable documents (core.documents)
        # Merging two records of a person moves the duplicate's cases and deliveries (people cannot import cases).
        register_merge_handler(person_merge_move)
        # A user's caseload (read-volume alerts, the purpose of access): the persons of their open cases.
        register_caseload(caseload_person_ids)

        if person_cases_panel not in PERSON_PANELS:
            PERSON_PANELS.append(person_cases_panel)

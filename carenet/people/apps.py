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
        from carenet.audit.actions import register_purposes
        from carenet.core.jobs import register_job_kind

        from . import permissions  # noqa: F401  (registers rules in the policy)
        from .models import AccessPurpose

        # The audit's purpose column names these codes (``other: …`` is rendered by the audit app).
        register_purposes({p.value: p.label for p in AccessPurpose if p != AccessPurpose.OTHER})

        from .permissions import can_deduplicate
        from .services import DEDUPLICATE_JOB_KIND
        from .tasks import deduplicate_registry

        register_job_kind(
            DEDUPLICATE_JOB_KIND,
            enqueue=deduplicate_registry.enqueue,
            can_retry=lambda user, job: user.municipality_id == job.municipality_id and can_deduplicate(user),
        )

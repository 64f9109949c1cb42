"""The tables of ``volunteering`` that hold a person's data (the subject-access registry, decision 0014).

A volunteer signs up with their own account, not as a registry person: their rows are found for a registry
person by the same names and date of birth.
"""

from __future__ import annotations

from typing import Any

from carenet.core.subject_data import SubjectTable, register


def _volunteers(person: Any) -> Any:
    from .models import Volunteer

    if person.birth_date is None:
        return Volunteer.objects.for_tenant(person.municipality_id).none()
    return Volunteer.objects.for_tenant(person.municipality_id).filter(
        first_name__iexact=person.first_name, last_name__iexact=person.last_name, birth_date=person.birth_date
    )


def _via_volunteer(model_label: str, path: str) -> Any:
    def rows(person: Any) -> Any:
        from django.apps import apps

        model = apps.get_model(model_label)
        return model.objects.for_tenant(person.municipality_id).filter(
            **{f"{path}__in": _volunteers(person).values("pk")}
        )

    return rows


register(
    SubjectTable("volunteering.volunteer", rows=_volunteers),
    SubjectTable("volunteering.application", rows=_via_volunteer("volunteering.application", "volunteer")),
    SubjectTable("volunteering.attendance", rows=_via_volunteer("volunteering.attendance", "application__volunteer")),
    SubjectTable("volunteering.pointsentry", rows=_via_volunteer("volunteering.pointsentry", "volunteer")),
    SubjectTable("volunteering.redemption", rows=_via_volunteer("volunteering.redemption", "volunteer")),
    SubjectTable("volunteering.certificate", rows=_via_volunteer("volunteering.certificate", "volunteer")),
)

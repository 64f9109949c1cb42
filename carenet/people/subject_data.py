"""The tables of ``people`` that hold a person's data (the subject-access registry, carenet.core.subject_data)."""

from typing import Any

from carenet.core.subject_data import SubjectTable, register


def _self(person: Any) -> list[Any]:
    return [person]


def _not_same_person(person: Any) -> Any:
    """The coordinator's decisions that this record and another are two persons (either side of the pair)."""
    from django.db.models import Q

    from .models import NotSamePerson

    return (
        NotSamePerson.objects.for_tenant(person.municipality_id)
        .filter(Q(person=person) | Q(other=person))
        .order_by("pk")
    )


def _households(person: Any) -> Any:
    from .models import Household

    return Household.objects.for_tenant(person.municipality_id).filter(members__person=person).order_by("pk")


register(
    SubjectTable("people.person", rows=_self, order=0),
    SubjectTable("people.identitydocument"),
    SubjectTable("people.sensitiveprofile"),
    SubjectTable("people.household", rows=_households),
    SubjectTable("people.householdmember"),
    SubjectTable("people.consent"),
    SubjectTable("people.consentscope", via="consent__person"),
    SubjectTable("people.notsameperson", rows=_not_same_person),
)

"""The portal's share of a subject-access export: requests for help sent with the person's phone or e-mail.

Requests for help carry no link to the registry of persons (the public sends them); they are matched by
the contact details the person gave.
"""

from typing import Any

from django.db.models import Q

from carenet.core.subject_data import SubjectTable, register


def _help_requests(person: Any) -> Any:
    from .models import HelpRequest

    match = Q(pk__in=[])
    if person.email:
        match |= Q(contact_email__iexact=person.email)
    if person.phone:
        match |= Q(contact_phone=person.phone)
    return HelpRequest.objects.for_tenant(person.municipality_id).filter(match).order_by("created_at")


register(SubjectTable("portal.helprequest", rows=_help_requests))

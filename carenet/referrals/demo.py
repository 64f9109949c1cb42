"""Demo referrals (synthetic persons): one loop closed, one waiting for an answer, one overdue, per municipality.

Idempotent: does nothing if the municipality already has demo referrals.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.test.utils import override_settings
from django.utils import timezone

from carenet.accounts.models import Membership
from carenet.cases import services as case_services
from carenet.core.models import Municipality
from carenet.core.roles import Role
from carenet.directory.models import Service, ServiceStatus
from carenet.people import services as people_services
from carenet.people.models import Person

from . import services
from .models import Referral

# (municipality, sending organisation, receiving organisation, persons: (first, last, born, sex))
DEMO = [
    (
        "baia-mare",
        "serviciul-copil-familie",
        "ong-fundatia-tu-si-cu-mine",
        [
            ("Vasile", "Demo-Rus", "1951-04-12", "M"),
            ("Ildikó", "Demo-Kiss", "1988-09-30", "F"),
            ("Mihai", "Demo-Pop", "2010-02-17", "M"),
        ],
    ),
    (
        "balti",
        "cnpac",
        "ccsm",
        [
            ("Галина", "Demo-Бондарь", "1979-06-03", "F"),
            ("Ion", "Demo-Rotaru", "1965-11-21", "M"),
            ("Olga", "Demo-Cazac", "1993-01-08", "F"),
        ],
    ),
]


def _user(municipality: Municipality, org_code: str) -> Any:
    membership = (
        Membership.objects.for_tenant(municipality)
        .filter(organisation__code=org_code, role__in=(Role.CASEWORKER, Role.PROVIDER_MANAGER), is_active=True)
        .select_related("user", "organisation")
        .order_by("role")
        .first()
    )
    return membership


def _load_municipality(
    municipality: Municipality, from_code: str, to_code: str, persons: list[tuple[str, str, str, str]]
) -> int:
    if Referral.objects.for_tenant(municipality).filter(person__is_synthetic=True).exists():
        return 0
    sender_m, receiver_m = _user(municipality, from_code), _user(municipality, to_code)
    service = (
        Service.objects.for_tenant(municipality)
        .filter(organisation__code=to_code)
        .exclude(status__in=(ServiceStatus.DEFUNCT, ServiceStatus.INACTIVE))
        .order_by("name")
        .first()
    )
    if sender_m is None or receiver_m is None or service is None:
        return 0
    sender, receiver = sender_m.user, receiver_m.user
    created = 0
    for i, (first, last, born, sex) in enumerate(persons):
        person = Person(
            municipality=municipality,
            first_name=first,
            last_name=last,
            birth_date=datetime.date.fromisoformat(born),
            sex=sex,
            phone=f"0700 000 0{i}{i}",
            address="Adresă demo",
            registered_by_organisation=sender_m.organisation,
            is_synthetic=True,
        )
        person.save()
        case = case_services.case_open(
            user=sender,
            person=person,
            organisation=sender_m.organisation,
            channel="in_person",
            opened_on=timezone.localdate() - datetime.timedelta(days=20 + i),
            request_summary="Demo",
            is_synthetic=True,
        )
        people_services.consent_record(
            user=sender,
            person=person,
            purpose="referral",
            given_on=timezone.localdate() - datetime.timedelta(days=15),
            scope=[receiver_m.organisation],
            organisation=sender_m.organisation,
        )
        referral = services.referral_create(
            user=sender,
            case=case,
            service=service,
            reason="Demo: sprijin zilnic / daily support.",
            share_contact=True,
            send=True,
        )
        if i == 0:  # the whole loop
            services.referral_accept(user=receiver, referral=referral)
            services.referral_start(user=receiver, referral=referral)
            services.referral_complete(
                user=receiver,
                referral=referral,
                outcome="goals_met",
                feedback="Demo: a participat 3 luni; obiective atinse.",
            )
        elif i == 2:  # overdue: its deadline has passed
            Referral.objects.for_tenant(municipality).filter(pk=referral.pk).update(
                respond_by=timezone.now() - datetime.timedelta(days=1)
            )
        created += 1
    return created


def load(*, stdout: Any = None) -> None:
    total = 0
    # Demo notifications are not e-mailed.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for slug, from_code, to_code, persons in DEMO:
            municipality = Municipality.objects.filter(slug=slug).first()
            if municipality is not None:
                total += _load_municipality(municipality, from_code, to_code, persons)
    if stdout:
        stdout.write(f"  demo referrals: {total}")

"""Demo referrals (synthetic persons): one in every state a referral can be in, per municipality.

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

# (municipality, sending organisation, receiving organisation, persons: (first, last, born, sex, street)).
# Synthetic persons, one per state a referral can be in (``_STATES``), living in the right city.
DEMO = [
    (
        "baia-mare",
        "serviciul-copil-familie",
        "ong-fundatia-tu-si-cu-mine",
        [
            ("Vasile", "Rus", "1951-04-12", "M", "Str. Victoriei 14"),
            ("Ildikó", "Kiss", "1988-09-30", "F", "Bd. București 31"),
            ("Mihai", "Pop", "2010-02-17", "M", "Str. Progresului 8"),
            ("Florica", "Lăcătuș", "1976-05-02", "F", "Str. Horea 60"),
            ("Zoltán", "Balogh", "1969-12-11", "M", "Bd. Republicii 5"),
            ("Anca", "Rostaș", "2012-07-23", "F", "Str. Gării 12"),
            ("Ivan", "Petrovai", "1958-03-09", "M", "Str. Vasile Lucaciu 20"),
            ("Rodica", "Cânța", "1983-10-14", "F", "Str. Mihai Viteazu 3"),
            ("Gheorghe", "Căldăraru", "2008-01-30", "M", "Str. Transilvaniei 41"),
            ("Erika", "Szabó", "1947-08-18", "F", "Str. Gheorghe Șincai 9"),
        ],
    ),
    (
        "balti",
        "cnpac",
        "ccsm",
        [
            ("Галина", "Бондарь", "1979-06-03", "F", "str. Ștefan cel Mare 48"),
            ("Ion", "Rotaru", "1965-11-21", "M", "str. Independenței 17"),
            ("Olga", "Cazac", "1993-01-08", "F", "str. Pușkin 12"),
            ("Сергей", "Ковальчук", "1958-09-15", "M", "str. Decebal 101"),
            ("Natalia", "Ceban", "2011-04-04", "F", "str. Mihai Eminescu 7"),
            ("Виктор", "Мельник", "1949-02-27", "M", "str. Ștefan cel Mare 130"),
            ("Tatiana", "Guțu", "1987-12-01", "F", "str. Independenței 5"),
            ("Андрей", "Морозов", "2009-06-19", "M", "str. Pușkin 44"),
            ("Maria", "Lungu", "1952-10-10", "F", "str. Decebal 9"),
            ("Oleg", "Sârbu", "1975-03-03", "M", "str. Mihai Eminescu 22"),
        ],
    ),
]

# The state each demo referral is left in, in the order of the persons above.
_STATES = [
    "completed",
    "in_progress",
    "accepted",
    "received",
    "sent",
    "overdue",
    "expired",
    "declined",
    "cancelled",
    "draft",
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
    municipality: Municipality, from_code: str, to_code: str, persons: list[tuple[str, str, str, str, str]]
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
    for i, (first, last, born, sex, street) in enumerate(persons):
        state = _STATES[i % len(_STATES)]
        person = Person(
            municipality=municipality,
            first_name=first,
            last_name=last,
            birth_date=datetime.date.fromisoformat(born),
            sex=sex,
            address=f"{street}, {municipality.name.replace('Municipiul ', '')}",
            registered_by_organisation=sender_m.organisation,
            is_synthetic=True,
        )
        person.refresh_name_keys()
        person.save()
        case = case_services.case_open(
            actor=sender,
            person=person,
            organisation=sender_m.organisation,
            channel="in_person",
            opened_on=timezone.localdate() - datetime.timedelta(days=40 + 3 * i),
            request_summary="Sprijin zilnic și consiliere (date sintetice).",
            is_synthetic=True,
        )
        people_services.consent_record(
            actor=sender,
            person=person,
            purpose="referral",
            given_on=timezone.localdate() - datetime.timedelta(days=35),
            scope=[receiver_m.organisation],
            organisation=sender_m.organisation,
        )
        referral = services.referral_create(
            actor=sender,
            case=case,
            service=service,
            reason="Sprijin zilnic și consiliere psihologică (date sintetice).",
            share_contact=True,
            send=state != "draft",
        )
        if state in ("completed", "in_progress", "accepted", "received"):
            services.referral_mark_received(actor=receiver, referral=referral)
        if state in ("completed", "in_progress", "accepted"):
            services.referral_accept(actor=receiver, referral=referral)
        if state in ("completed", "in_progress"):
            services.referral_start(actor=receiver, referral=referral)
        if state == "completed":
            services.referral_complete(
                actor=receiver,
                referral=referral,
                outcome="goals_met",
                feedback="A participat trei luni la ședințe; obiectivele au fost atinse.",
            )
        elif state == "declined":
            services.referral_decline(
                actor=receiver, referral=referral, reason="Nu mai sunt locuri libere luna aceasta."
            )
        elif state == "cancelled":
            services.referral_cancel(actor=sender, referral=referral, reason="Familia s-a mutat din municipiu.")
        elif state == "overdue":  # its deadline has passed, not yet expired by the scheduled task
            Referral.objects.for_tenant(municipality).filter(pk=referral.pk).update(
                respond_by=timezone.now() - datetime.timedelta(days=1)
            )
        elif state == "expired":  # long past its deadline: the scheduled task expired it
            Referral.objects.for_tenant(municipality).filter(pk=referral.pk).update(
                respond_by=timezone.now() - datetime.timedelta(days=10)
            )
            services.referrals_expire_overdue(now=timezone.now() - datetime.timedelta(days=9))
        created += 1
    return created


# Demo values of the response deadline per urgency (each municipality sets its own on the coordinator's page).
DEMO_RESPONSE_DAYS = {"routine": 5, "urgent": 2, "emergency": 1}
DEMO_RESPONSE_FROM = datetime.date(2025, 1, 1)


def _load_response_times(municipality: Any) -> None:
    from .models import ResponseTime

    rows = ResponseTime.objects.for_tenant(municipality)
    for urgency, days in DEMO_RESPONSE_DAYS.items():
        if not rows.filter(urgency=urgency).exists():
            rows.create(municipality=municipality, urgency=urgency, days=days, valid_from=DEMO_RESPONSE_FROM)


def load(*, stdout: Any = None) -> None:
    total = 0
    # Demo notifications are not e-mailed.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for slug, from_code, to_code, persons in DEMO:
            municipality = Municipality.objects.filter(slug=slug).first()
            if municipality is not None:
                _load_response_times(municipality)
                total += _load_municipality(municipality, from_code, to_code, persons)
    if stdout:
        stdout.write(f"  demo referrals: {total}")

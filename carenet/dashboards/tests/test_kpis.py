"""One test per KPI definition, on the hand-made network of conftest.py; expected numbers worked out by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carenet.audit.models import AuditEvent
from carenet.dashboards.kpis import Source, all_kpis, evaluate, get_kpi
from carenet.dashboards.kpis.registry import BAIA_MARE_STRATEGY
from carenet.dashboards.services import outside_value_set
from carenet.portal.models import ConsultationSession, HelpRequest, ServiceFeedback


def value(code, f):
    return evaluate(get_kpi(code), f).value


def test_all_twenty_baia_mare_kpis_are_defined_with_a_description():
    numbers = {k.number for k in all_kpis() if k.plan == BAIA_MARE_STRATEGY}
    assert numbers == set(range(1, 21))
    assert all(str(k.description) for k in all_kpis())


def test_bm01_beneficiaries_are_distinct_persons_with_a_delivery_in_the_period(filters, org_a):
    assert value("bm01", filters()) == 4
    assert value("bm01", filters(organisation_ids=frozenset({org_a.pk}))) == 2
    assert value("bm01", filters(sex="F")) == 2
    assert value("bm01", filters(age_band="64+")) == 2
    assert value("bm01", filters(disability="yes")) == 2
    assert value("bm01", filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))) == 1


def test_bm01_by_area(filters, network):
    assert value("bm01", filters(area_id=network["areas"]["craica"].pk)) == 2


def test_bm04_share_of_active_services_reachable_online(filters):
    # S2 has an online location, S3 a web page to apply, S1 neither; the defunct service is not counted.
    assert value("bm04", filters()) == Decimal("66.67")


@pytest.fixture
def registers(baia_mare, org_a, org_b, caseworker_a, manager_a):
    """The activities registers of 2025: an agreement, an active-ageing club with 3 women and 2 men of 65+
    and 4 adults, a vocational course, a community event, a volunteering initiative, and an event of 2024."""
    import uuid

    from carenet.activities import services as registers
    from carenet.activities.services import ActivityInput

    kinds = {
        code: registers.activity_kind_save(municipality=baia_mare, code=code, name=code, category=code)
        for code in ("active_ageing", "vocational", "event", "volunteering")
    }
    for code, low, high in (("0-17", 0, 17), ("18-64", 18, 64), ("65+", 65, None)):
        registers.age_band_save(municipality=baia_mare, code=code, low=low, high=high)

    def held(kind, day):
        return registers.activity_create(
            actor=caseworker_a,
            municipality=baia_mare,
            data=ActivityInput(kind=kinds[kind], title=kind, starts_on=day, organiser=org_a),
        )

    club = held("active_ageing", dt.date(2025, 3, 4))
    for sex, band, n in (("F", "65+", 3), ("M", "65+", 2), ("F", "18-64", 4)):
        registers.participants_record(
            actor=caseworker_a, activity=club, key=uuid.uuid4(), sex=sex, age_band=band, number=n
        )
    for kind in ("vocational", "event", "volunteering"):
        held(kind, dt.date(2025, 6, 1))
    held("event", dt.date(2024, 6, 1))
    registers.agreement_create(
        actor=manager_a,
        organisation=org_a,
        title="Protocol",
        kind="cooperation",
        signed_on=dt.date(2025, 2, 1),
        parties=(org_b,),
    )


def test_bm05_new_partnerships_are_agreements_signed_in_the_period(filters, registers):
    assert value("bm05", filters()) == 1
    assert value("bm05", filters(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))) == 0


def test_bm06_active_ageing_participations_per_1000_elderly_residents(filters, registers):
    assert value("bm06", filters()) == Decimal("5.00")  # 5 participations of 65+ per 1,000 residents 64+
    assert value("bm06", filters(sex="F")) == Decimal("5.00")  # 3 of 600 women


@pytest.mark.parametrize(("code", "expected"), [("bm07", 1), ("bm11", 1), ("bm12", 1)])
def test_activity_kpis_count_the_register(filters, registers, org_b, code, expected):
    assert get_kpi(code).source == Source.COMPUTED
    assert value(code, filters()) == expected
    assert value(code, filters(organisation_ids=frozenset({org_b.pk}))) == 0


def test_bm06_without_population_is_missing_not_zero(balti):
    from carenet.dashboards.kpis import KpiFilters

    result = evaluate(
        get_kpi("bm06"), KpiFilters(municipality=balti, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    )
    assert result.value is None and result.note


@pytest.mark.parametrize("code", ["bm09", "bm15", "bm19"])
def test_outside_kpis_read_the_entered_value_of_the_year(code, filters, baia_mare, coordinator):
    assert get_kpi(code).source == Source.OUTSIDE
    assert value(code, filters()) is None
    outside_value_set(
        municipality=baia_mare,
        key=code,
        year=2025,
        value=Decimal("12"),
        source="DAS report",
        source_date=dt.date(2026, 1, 15),
        actor=coordinator,
    )
    result = evaluate(get_kpi(code), filters())
    assert result.value == Decimal("12") and result.source == "DAS report"


def test_entering_an_outside_value_is_audited_and_replaces_the_year(baia_mare, coordinator, network):
    for v in ("12", "14"):
        outside_value_set(
            municipality=baia_mare,
            key="bm09",
            year=2025,
            value=Decimal(v),
            source="Calendar",
            source_date=dt.date(2026, 1, 15),
            actor=coordinator,
        )
    events = AuditEvent.objects.filter(action="outside_value.set").order_by("id")
    assert [e.changes["previous"] for e in events] == [None, "12.00"]


def test_an_outside_value_needs_a_source_and_a_past_date(baia_mare, coordinator, network):
    with pytest.raises(ValidationError):
        outside_value_set(
            municipality=baia_mare,
            key="bm09",
            year=2025,
            value=Decimal(1),
            source=" ",
            source_date=dt.date(2025, 1, 1),
            actor=coordinator,
        )
    with pytest.raises(ValidationError):
        outside_value_set(
            municipality=baia_mare,
            key="bm09",
            year=2025,
            value=Decimal(1),
            source="x",
            source_date=dt.date.today() + dt.timedelta(days=3),
            actor=coordinator,
        )


def test_a_caseworker_or_another_tenant_cannot_enter_outside_values(baia_mare, caseworker_a, other_tenant_user):
    for user in (caseworker_a, other_tenant_user):
        with pytest.raises(PermissionDenied):
            outside_value_set(
                municipality=baia_mare,
                key="bm09",
                year=2025,
                value=Decimal(1),
                source="x",
                source_date=dt.date(2025, 1, 1),
                actor=user,
            )


def test_bm13_people_with_disabilities_reached(filters):
    assert value("bm13", filters()) == Decimal("66.67")  # P1, P3 served of P1, P3, P5


def test_bm14_homeless_persons_served(filters):
    assert value("bm14", filters()) == 1  # P3


def test_bm18_median_days_from_decision_to_first_service(filters):
    assert value("bm18", filters()) == Decimal("7.00")  # 10 and 4 days


def test_bm20_coverage_of_disadvantaged_zones(filters):
    assert value("bm20", filters()) == Decimal("66.67")  # P1, P2 in covered Craica; P3 in Ferneziu


def test_bm20_without_outlines_is_missing(balti):
    from carenet.dashboards.kpis import KpiFilters

    assert (
        evaluate(
            get_kpi("bm20"), KpiFilters(municipality=balti, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
        ).value
        is None
    )


def _at(day, hour=10):
    return timezone.make_aware(dt.datetime(2025, 3, day, hour))


def test_bm02_satisfaction_is_the_share_of_ratings_4_and_5(filters, baia_mare, network, org_a):
    s1 = network["services"][0]
    for rating in (5, 4, 2, 5):
        fb = ServiceFeedback.objects.create(municipality=baia_mare, service=s1, organisation=org_a, rating=rating)
        ServiceFeedback.objects.for_tenant(baia_mare).filter(pk=fb.pk).update(created_at=_at(3))
    assert value("bm02", filters()) == Decimal("75.00")


def test_bm03_median_hours_to_first_contact(filters, baia_mare, network):
    for i, hours in enumerate((2, 10, 30)):
        hr = HelpRequest.objects.create(
            municipality=baia_mare,
            tracking_code=f"T{i}",
            help_for="self",
            need="food",
            contact_name="X",
            contact_method="phone",
            consent_at=_at(1),
        )
        HelpRequest.objects.for_tenant(baia_mare).filter(pk=hr.pk).update(
            created_at=_at(1 + i), first_contact_at=_at(1 + i) + dt.timedelta(hours=hours)
        )
    assert value("bm03", filters()) == Decimal("10.00")


def test_bm03r_referral_response_time_is_the_median_hours_to_the_first_answer(
    filters, network, baia_mare, org_a, org_b
):
    from carenet.cases.models import Case
    from carenet.referrals.models import Referral

    case = Case.objects.for_tenant(baia_mare).get(reference="BM-1")
    s2 = network["services"][1]  # a service of org_b
    assert evaluate(get_kpi("bm03r"), filters()).value is None  # nothing answered yet
    for i, hours in enumerate([2, 10, 30]):
        sent = timezone.make_aware(dt.datetime(2025, 3, 1 + i, 9))
        Referral.objects.create(
            municipality=baia_mare,
            reference=f"R-{i}",
            case=case,
            person=case.person,
            from_organisation=org_a,
            to_service=s2,
            to_organisation=org_b,
            reason="test",
            status="accepted",
            sent_at=sent,
            responded_at=sent + dt.timedelta(hours=hours),
        )
    assert value("bm03r", filters()) == Decimal("10.00")
    assert value("bm03r", filters(organisation_ids=frozenset({org_a.pk}))) is None  # none received by A


def test_bm16_and_bm17_consultation_sessions_and_involvement(filters, baia_mare):
    ConsultationSession.objects.create(
        municipality=baia_mare,
        held_on=dt.date(2025, 5, 5),
        topics="Buget",
        participants={"female": {"18-34": 3}, "male": {"35-64": 2}},
    )
    ConsultationSession.objects.create(
        municipality=baia_mare, held_on=dt.date(2024, 5, 5), topics="Vechi", participants={}
    )
    assert value("bm17", filters()) == 1
    assert value("bm16", filters()) == Decimal("0.05")  # 5 participants per 108,759 residents × 1,000


def test_a_filter_a_kpi_does_not_honour_is_refused_not_ignored(filters):
    result = evaluate(get_kpi("bm02"), filters(sex="F"))
    assert result.value is None and result.note

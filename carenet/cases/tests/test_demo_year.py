"""The demo is a municipality's year of work (issue 16): inquiries, assessments, plans, visits, referrals,
2025 indicator values approved, zones drawn (flagged approximate), synthetic people in the right city."""

from django.core.management import call_command

from carenet.cases.models import (
    Assessment,
    Case,
    DutyKind,
    InterventionPlan,
    MonitoringDuty,
    MonitoringVisit,
    SocialInquiry,
)
from carenet.core.models import Municipality
from carenet.geo.models import Area, PopulationBand
from carenet.people.models import Person
from carenet.plans.models import IndicatorValue, SubmissionStatus


def test_the_demo_is_a_believable_year_of_work(db):
    call_command("load_demo")
    call_command("load_demo")  # idempotent
    for slug, city in (("baia-mare", "Baia Mare"), ("balti", "Bălți")):
        m = Municipality.objects.get(slug=slug)
        cases = Case.objects.for_tenant(m).filter(is_synthetic=True)
        assert SocialInquiry.objects.for_tenant(m).count() >= cases.exclude(status="intake").count() * 0.8
        assert InterventionPlan.objects.for_tenant(m).filter(status="approved").exists()
        assert set(Assessment.objects.for_tenant(m).values_list("kind", flat=True)) == {
            "initial",
            "intermediate",
            "final",
        }
        assert MonitoringVisit.objects.for_tenant(m).exists()
        persons = Person.objects.for_tenant(m)
        assert persons.exists() and not persons.filter(is_synthetic=False).exists()
        assert not persons.filter(last_name__startswith="Demo").exists()
        assert persons.filter(address__endswith=city).count() >= persons.count() * 0.9
        assert persons.filter(area__isnull=False).count() >= persons.count() / 2
        areas = Area.objects.for_tenant(m)
        assert areas.exists() and not areas.filter(geometry__isnull=True).exists()
        assert all("aproximativ" in a.source_note for a in areas)
        values = IndicatorValue.objects.for_tenant(m).filter(period__code="2025", is_computed=False)
        assert values.filter(submission__status=SubmissionStatus.APPROVED).exists()
        assert all(v.comment == "Valoare sintetică (demo)." for v in values)
        # The register of children whose parents work abroad holds children only.
        for duty in (
            MonitoringDuty.objects.for_tenant(m).filter(kind=DutyKind.PARENTS_ABROAD).select_related("case__person")
        ):
            born = duty.case.person.birth_date
            assert born is not None and (duty.starts_on - born).days < 18 * 366
    census = PopulationBand.objects.for_tenant(Municipality.objects.get(slug="baia-mare")).get(year=2021)
    assert (census.total, census.women, census.men) == (108759, 57533, 51226)

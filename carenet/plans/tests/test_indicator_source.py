"""The coordinator says where an indicator's values come from: entered, or computed (optionally counting
only some directory services). Nobody else may change it; bad input is refused naming the field."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carenet.audit.models import AuditEvent
from carenet.cases.models import ServiceDelivery
from carenet.directory.models import Service
from carenet.people.models import Person
from carenet.plans import services
from carenet.plans.computations import compute_all
from carenet.plans.models import IndicatorSource, ReportingPeriod
from conftest import org

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_centre_and_canteen(balti):
    """Two services of one provider; Ana goes to both in 2025, Ion only to the canteen."""
    o = org(balti, "ccsm")
    day_centre = Service.objects.create(municipality=balti, organisation=o, name="Centrul de zi")
    canteen = Service.objects.create(municipality=balti, organisation=o, name="Cantina socială")
    for first, sex, places in (("Ana", "F", [day_centre, canteen, canteen]), ("Ion", "M", [canteen])):
        person = Person.objects.create(
            municipality=balti, first_name=first, last_name="Test", sex=sex, registered_by_organisation=o
        )
        for service in places:
            ServiceDelivery.objects.create(
                municipality=balti,
                person=person,
                service=service,
                organisation=o,
                delivered_on=datetime.date(2025, 5, 5),
            )
    return day_centre, canteen


def _count(balti_plan):
    return balti_plan.indicators.select_related("disaggregation").get(code="1.1.2.3")


def test_a_count_limited_to_the_day_centre_counts_only_its_beneficiaries(
    balti_plan, balti, balti_coordinator, day_centre_and_canteen
):
    day_centre, canteen = day_centre_and_canteen
    served, acts = _count(balti_plan), balti_plan.indicators.select_related("disaggregation").get(code="5.1.1.1")
    services.indicator_source_set(
        actor=balti_coordinator,
        indicator=served,
        source=IndicatorSource.COMPUTED,
        computation="cases.persons_served",
        services=[day_centre],
    )
    services.indicator_source_set(
        actor=balti_coordinator, indicator=acts, source=IndicatorSource.COMPUTED, computation="cases.service_acts"
    )
    period = ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code="2025")
    values = compute_all([served, acts], period)
    assert values[served.pk][""] == D(1)  # Ana only
    assert values[acts.pk][""] == D(4)  # every service: 3 for Ana, 1 for Ion
    services.indicator_source_set(
        actor=balti_coordinator,
        indicator=served,
        source=IndicatorSource.COMPUTED,
        computation="cases.persons_served",
        services=[canteen],
    )
    assert compute_all([served], period)[served.pk][""] == D(2)


def test_changing_the_source_is_audited_and_entered_forgets_the_definition(
    balti_plan, balti_coordinator, day_centre_and_canteen
):
    indicator = _count(balti_plan)
    services.indicator_source_set(
        actor=balti_coordinator,
        indicator=indicator,
        source=IndicatorSource.COMPUTED,
        computation="cases.persons_served",
        services=[day_centre_and_canteen[0]],
    )
    services.indicator_source_set(actor=balti_coordinator, indicator=indicator, source=IndicatorSource.ENTERED)
    indicator.refresh_from_db()
    assert (indicator.source, indicator.computation, indicator.services.count()) == ("entered", "", 0)
    assert AuditEvent.objects.filter(action="plan.indicator.source").count() == 2


def test_a_data_officer_and_the_other_municipalitys_coordinator_cannot_change_the_source(
    balti_plan, cultura_officer, bm_coordinator
):
    for actor in (cultura_officer, bm_coordinator):
        with pytest.raises(PermissionDenied):
            services.indicator_source_set(
                actor=actor,
                indicator=_count(balti_plan),
                source=IndicatorSource.COMPUTED,
                computation="cases.persons_served",
            )


def test_only_a_count_can_be_computed_and_only_by_a_known_definition(balti_plan, balti_coordinator):
    with pytest.raises(ValidationError) as unknown:
        services.indicator_source_set(
            actor=balti_coordinator, indicator=_count(balti_plan), source="computed", computation="nonsense"
        )
    assert "computation" in unknown.value.message_dict
    percent = balti_plan.indicators.get(code="1.1.1.2")
    with pytest.raises(ValidationError) as not_a_count:
        services.indicator_source_set(
            actor=balti_coordinator, indicator=percent, source="computed", computation="cases.persons_served"
        )
    assert "computation" in not_a_count.value.message_dict


def test_a_definition_that_cannot_be_limited_refuses_services_and_foreign_services_are_refused(
    balti_plan, balti_coordinator, baia_mare, org_a, day_centre_and_canteen
):
    with pytest.raises(ValidationError) as not_scoped:
        services.indicator_source_set(
            actor=balti_coordinator,
            indicator=_count(balti_plan),
            source="computed",
            computation="cases.persons_active_case",
            services=[day_centre_and_canteen[0]],
        )
    assert "services" in not_scoped.value.message_dict
    foreign = Service.objects.create(municipality=baia_mare, organisation=org_a, name="Cantina")
    with pytest.raises(ValidationError) as other_tenant:
        services.indicator_source_set(
            actor=balti_coordinator,
            indicator=_count(balti_plan),
            source="computed",
            computation="cases.persons_served",
            services=[foreign],
        )
    assert "services" in other_tenant.value.message_dict
    assert _count(balti_plan).source == "entered"  # nothing half-saved


def test_the_source_page_saves_and_names_the_missing_field(
    client, balti_plan, balti_coordinator, day_centre_and_canteen
):
    client.force_login(balti_coordinator)
    indicator = _count(balti_plan)
    url = reverse("plans:indicator_source", args=[balti_plan.pk, indicator.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"source": "computed", "computation": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert 'href="#id_computation"' in bad.content.decode()
    assert "Choose what CareNet counts" in bad.content.decode()
    ok = client.post(
        url,
        {"source": "computed", "computation": "cases.persons_served", "services": [day_centre_and_canteen[0].pk]},
    )
    assert ok.status_code == 302
    listing = client.get(reverse("plans:indicators", args=[balti_plan.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Centrul de zi" in listing.content.decode() and "Change the source" in listing.content.decode()


def test_the_source_page_is_refused_to_a_data_officer_and_to_the_other_municipality(
    client, balti_plan, cultura_officer, bm_coordinator
):
    url = reverse("plans:indicator_source", args=[balti_plan.pk, _count(balti_plan).pk])
    client.force_login(cultura_officer)
    assert client.get(url).status_code == 403
    listing = client.get(reverse("plans:indicators", args=[balti_plan.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert listing.status_code == 200 and "Change the source" not in listing.content.decode()
    client.force_login(bm_coordinator)
    assert client.get(url).status_code == 404
    assert client.get(reverse("plans:indicators", args=[balti_plan.pk])).status_code == 404


def test_the_coordinator_edits_the_filters_of_a_share_on_the_page(client, balti_plan, balti_coordinator):
    """A share is computed by a definition that declares it; the filters are checked by name and value, a bad
    one is refused naming the field and nothing is saved."""
    share = balti_plan.indicators.get(code="1.1.1.2")  # % of the sub-plans' indicators achieved
    url = reverse("plans:indicator_source", args=[balti_plan.pk, share.pk])
    client.force_login(balti_coordinator)
    bad = client.post(url, {"source": "computed", "computation": "subplans.achievement", "filters": '{"colour": 1}'})
    assert bad.status_code == 400 and "filters" in bad.context["form"].errors
    not_json = client.post(url, {"source": "computed", "computation": "subplans.achievement", "filters": "{action"})
    assert not_json.status_code == 400
    share.refresh_from_db()
    assert share.source == IndicatorSource.ENTERED
    ok = client.post(
        url,
        {
            "source": "computed",
            "computation": "subplans.achievement",
            "filters": '{"action": "own", "subplan_kinds": ["library"]}',
        },
    )
    assert ok.status_code == 302
    share.refresh_from_db()
    assert (share.computation, share.computation_filters) == (
        "subplans.achievement",
        {"action": "own", "subplan_kinds": ["library"]},
    )
    assert (
        AuditEvent.objects.filter(action="plan.indicator.source").last().changes["filters"] == share.computation_filters
    )
    with pytest.raises(ValidationError) as wrong_kind:  # a count definition cannot compute a share
        services.indicator_source_set(
            actor=balti_coordinator, indicator=share, source="computed", computation="activities.count"
        )
    assert "computation" in wrong_kind.value.message_dict

"""Registers and their legal references follow the tenant's country (issue 16): no Romanian HG 691/2015 in
Bălți, and the register of children whose parents work abroad holds children only."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from carenet.cases import services
from carenet.cases.legal import legal_reference
from carenet.cases.models import DutyKind, MonitoringDuty
from carenet.cases.selectors import parents_abroad_register

TODAY = datetime.date.today()


def test_the_reference_is_the_law_of_the_tenants_country(baia_mare, balti):
    assert legal_reference(municipality=baia_mare, key="parents_abroad_register") == "HG 691/2015"
    assert legal_reference(municipality=balti, key="parents_abroad_register") == "Legea nr. 140/2013"
    assert legal_reference(municipality=balti, key="no_such_register") == ""


def test_an_adult_is_refused_as_a_child_with_parents_abroad(caseworker_a, case_a):
    with pytest.raises(ValidationError) as exc:
        services.duty_add(
            actor=caseworker_a,
            case=case_a,
            kind=DutyKind.PARENTS_ABROAD,
            starts_on=TODAY,
            interval_weeks=8,
            carer_name="Maria Pop",
        )
    message = exc.value.message_dict["kind"][0]
    assert (
        case_a.person.full_name in message
        and str(TODAY.year - 1957 - (TODAY.replace(month=3, day=2) > TODAY)) in message
    )
    assert not MonitoringDuty.objects.for_tenant(case_a.municipality_id).exists()


def test_the_register_never_lists_an_adult_stored_before_the_rule(client, caseworker_a, case_a):
    MonitoringDuty.objects.create(  # as the earlier demo stored it: a person born in 1957
        municipality_id=case_a.municipality_id,
        case=case_a,
        kind=DutyKind.PARENTS_ABROAD,
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=200),
        interval_weeks=8,
        next_due_on=TODAY,
        carer_name="Maria Pop",
    )
    assert list(parents_abroad_register(user=caseworker_a)) == []


def test_the_register_page_names_the_law_of_its_country(client, caseworker_a, other_tenant_user):
    client.force_login(caseworker_a)
    assert "HG 691/2015" in client.get("/cases/registers/parents-abroad/").content.decode()
    client.force_login(other_tenant_user)  # a Bălți user
    html = client.get("/cases/registers/parents-abroad/").content.decode()
    assert "HG 691/2015" not in html and "140/2013" in html

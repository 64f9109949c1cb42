"""A structured assessment rates the person's situation domain by domain (issue 16), with a child protection
variant, and the heat and the cold among the domains (issue 20)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from carenet.cases import services
from carenet.cases.models import Assessment, DomainRating

TODAY = datetime.date.today()


def _post(client, case, step="assessment", **extra):
    data = {"kind": "initial", "assessed_on": TODAY.isoformat(), "summary": "Seen at home"}
    data.update(extra)
    return client.post(f"/cases/{case.pk}/step/{step}/", data)


def test_a_needs_assessment_keeps_a_risk_level_and_a_note_per_domain(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    r = _post(
        client,
        case_a,
        level_housing="3",
        note_housing="Eviction notice",
        level_thermal="2",
        level_income="0",
    )
    assert r.status_code == 302, r.content.decode()[-1500:]
    assessment = Assessment.objects.for_tenant(case_a.municipality_id).get(case=case_a)
    assert assessment.variant == "general"
    assert {(r.domain, r.level, r.note) for r in assessment.ratings.all()} == {
        ("housing", 3, "Eviction notice"),
        ("thermal", 2, ""),
        ("income", 0, ""),
    }
    page = client.get(f"/cases/{case_a.pk}/").content.decode()
    assert "High risk" in page and "Eviction notice" in page and "Exposure to heat and cold" in page


def test_a_domain_left_empty_was_not_assessed(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    assert _post(client, case_a).status_code == 302
    assert not DomainRating.objects.for_tenant(case_a.municipality_id).exists()


def test_a_finding_without_a_risk_level_is_refused_naming_the_domain(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    r = _post(client, case_a, note_health="Diabetes")
    assert r.status_code == 200
    assert r.context["form"].errors["level_health"] == ["Choose a risk level for what was found."]
    assert not Assessment.objects.for_tenant(case_a.municipality_id).exists()


def test_an_unknown_risk_level_is_refused(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    r = _post(client, case_a, level_health="9")
    assert r.status_code == 200 and "level_health" in r.context["form"].errors
    assert not Assessment.objects.for_tenant(case_a.municipality_id).exists()


def test_the_child_protection_form_rates_the_childs_domains(client, caseworker_a, case_a):
    client.force_login(caseworker_a)
    form = client.get(f"/cases/{case_a.pk}/step/assessment_child/").context["form"]
    assert "level_child_safety" in form.fields and "level_parenting" in form.fields
    assert "level_autonomy" not in form.fields
    assert _post(client, case_a, step="assessment_child", level_child_safety="3").status_code == 302
    assessment = Assessment.objects.for_tenant(case_a.municipality_id).get(case=case_a)
    assert assessment.variant == "child"
    assert list(assessment.ratings.values_list("domain", "level")) == [("child_safety", 3)]


def test_a_domain_of_the_other_form_is_refused_and_nothing_is_saved(caseworker_a, case_a):
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(
            actor=caseworker_a,
            case=case_a,
            kind="initial",
            assessed_on=TODAY,
            summary="x",
            variant="general",
            ratings={"housing": (1, ""), "parenting": (3, "")},
        )
    assert "level_parenting" in exc.value.message_dict
    assert not Assessment.objects.for_tenant(case_a.municipality_id).exists()


def test_a_caseworker_of_another_provider_cannot_open_the_assessment_form(client, caseworker_b, case_a):
    client.force_login(caseworker_b)
    assert client.get(f"/cases/{case_a.pk}/step/assessment/").status_code == 404
    assert _post(client, case_a, level_housing="3").status_code == 404


def test_a_user_of_the_other_municipality_cannot_open_the_assessment_form(client, other_tenant_user, case_a):
    client.force_login(other_tenant_user)
    assert client.get(f"/cases/{case_a.pk}/step/assessment_child/").status_code == 404


def test_an_auditor_may_not_record_an_assessment(client, auditor, case_a):
    client.force_login(auditor)
    assert _post(client, case_a, level_housing="3").status_code == 404  # not their organisation's case
    assert not Assessment.objects.for_tenant(case_a.municipality_id).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, case_a):
    r = client.get(f"/cases/{case_a.pk}/step/assessment/")
    assert r.status_code == 302 and "/login" in r["Location"]


def test_a_data_officer_of_the_provider_may_not_record_an_assessment(client, org_a, baia_mare, case_a):
    from conftest import make_user

    officer = make_user("do_a", baia_mare, org_a, role="data_officer")
    client.force_login(officer)
    # A data officer reports figures; case files are not theirs to see, so the case does not exist for them.
    assert _post(client, case_a, level_housing="3").status_code == 404
    assert not Assessment.objects.for_tenant(case_a.municipality_id).exists()

"""The register's rules, hand-made entries, campaigns and their lists, check-ins (idempotent), the escalation
ladder through the services, the heat layer import, centres and the KPIs."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carenet.campaigns import selectors, services
from carenet.campaigns.models import CheckIn, Contact, ContactStatus, EntrySource, LegalGround, RegisterEntry
from carenet.cases.models import SocialInquiry
from carenet.testing.factories import CaseFactory, make_person

from .conftest import TODAY, alone, rule, with_disability

pytestmark = pytest.mark.django_db


def entries(municipality):
    return {e.person_id: e for e in selectors.register_in_force(municipality=municipality)}


# --- register rules --------------------------------------------------------------------------------------


def test_age_75_living_alone_needs_both(baia_mare, org_a, ladder):
    old_alone = make_person(baia_mare, org_a, first="A", born=datetime.date(1950, 1, 1))
    alone(old_alone)
    old_with_family = make_person(baia_mare, org_a, first="B", born=datetime.date(1950, 1, 1))
    young_alone = make_person(baia_mare, org_a, first="C", born=datetime.date(1990, 1, 1))
    alone(young_alone)
    rule(baia_mare, "age75-alone", min_age=75, living_alone=True)
    services.register_rebuild(actor=None, municipality=baia_mare, on=TODAY, check_actor=False)
    found = entries(baia_mare)
    assert set(found) == {old_alone.pk}
    assert found[old_alone.pk].reasons == ["age75-alone"]
    assert found[old_alone.pk].legal_ground == LegalGround.PUBLIC_TASK
    assert found[old_alone.pk].legal_basis == "Legea 292/2011"
    assert old_with_family.pk not in found


def test_age_is_counted_on_the_day_of_the_rebuild(baia_mare, org_a, ladder):
    p = make_person(baia_mare, org_a, born=datetime.date(1951, 7, 2))
    alone(p)
    rule(baia_mare, "age75-alone", min_age=75, living_alone=True)
    services.register_rebuild(actor=None, municipality=baia_mare, on=TODAY, check_actor=False)
    assert p.pk not in entries(baia_mare)  # 74 on 1 July 2026
    services.register_rebuild(
        actor=None, municipality=baia_mare, on=TODAY + datetime.timedelta(days=1), check_actor=False
    )
    assert p.pk in entries(baia_mare)


def test_disability_chronic_illness_no_phone_rules(baia_mare, org_a, ladder):
    disabled = make_person(baia_mare, org_a, first="D", phone="0700")
    with_disability(disabled)
    ill = make_person(baia_mare, org_a, first="I", phone="0701")
    from carenet.people.models import SensitiveProfile

    SensitiveProfile.objects.create(municipality=baia_mare, person=ill, health_notes="diabet")
    no_phone = make_person(baia_mare, org_a, first="N", phone="")
    nobody = make_person(baia_mare, org_a, first="X", phone="0702")
    rule(baia_mare, "disability", disability=True)
    rule(baia_mare, "chronic", chronic_illness=True)
    rule(baia_mare, "no-phone", no_phone=True)
    services.register_rebuild(actor=None, municipality=baia_mare, on=TODAY, check_actor=False)
    found = entries(baia_mare)
    assert found[disabled.pk].reasons == ["disability"]
    assert found[ill.pk].reasons == ["chronic"]
    assert found[no_phone.pk].reasons == ["no-phone"]
    assert nobody.pk not in found


def test_low_income_reads_the_latest_social_inquiry(baia_mare, org_a, caseworker_a, ladder):
    poor = make_person(baia_mare, org_a, first="P")
    richer_now = make_person(baia_mare, org_a, first="R")
    for person, incomes in ((poor, [900]), (richer_now, [800, 4000])):
        case = CaseFactory(municipality=baia_mare, organisation=org_a, person=person, caseworker=caseworker_a)
        for i, income in enumerate(incomes):
            SocialInquiry.objects.create(
                municipality=baia_mare,
                case=case,
                visited_on=datetime.date(2026, 1, 1 + i),
                monthly_income=income,
                housing="own",
                conclusions="-",
            )
    rule(baia_mare, "low-income", income_below=Decimal("1500"))
    services.register_rebuild(actor=None, municipality=baia_mare, on=TODAY, check_actor=False)
    assert set(entries(baia_mare)) == {poor.pk}


def test_thermal_risk_reads_the_latest_assessment_of_any_case(baia_mare, org_a, org_b, caseworker_a, ladder):
    """A person is on the register while their latest assessment finds the heat and the cold a high risk; a
    later assessment that finds it low takes them off; a low-rated person never comes on."""
    from carenet.cases.models import Assessment, DomainRating

    exposed = make_person(baia_mare, org_a, first="E")
    relieved = make_person(baia_mare, org_a, first="R")
    low = make_person(baia_mare, org_a, first="L")
    for person, levels in ((exposed, [1, 3]), (relieved, [3, 1]), (low, [1])):
        for i, level in enumerate(levels):
            # two cases at two providers: the latest assessment counts, whoever made it
            org = org_a if i == 0 else org_b
            case = CaseFactory(municipality=baia_mare, organisation=org, person=person, caseworker=caseworker_a)
            assessment = Assessment.objects.create(
                municipality=baia_mare,
                case=case,
                kind="initial",
                assessed_on=datetime.date(2026, 2, 1 + i),
                summary="-",
            )
            DomainRating.objects.create(municipality=baia_mare, assessment=assessment, domain="thermal", level=level)
    rule(baia_mare, "thermal-high", thermal_risk_from=3)
    services.register_rebuild(actor=None, municipality=baia_mare, on=TODAY, check_actor=False)
    assert set(entries(baia_mare)) == {exposed.pk}
    assert entries(baia_mare)[exposed.pk].reasons == ["thermal-high"]


def test_a_thermal_risk_rule_takes_a_level_of_risk(baia_mare):
    with pytest.raises(ValidationError) as exc:
        rule(baia_mare, "thermal-none", thermal_risk_from=0)
    assert "thermal_risk_from" in exc.value.message_dict


def test_hotspot_rule_uses_the_heat_layer(baia_mare, org_a, areas, heat_layer, ladder):
    hot = make_person(baia_mare, org_a, first="H", area=areas["vest"])
    cool = make_person(baia_mare, org_a, first="C", area=areas["est"])
    rule(baia_mare, "hotspot", hotspot=True)
    services.register_rebuild(actor=None, municipality=baia_mare, on=TODAY, check_actor=False)
    assert set(entries(baia_mare)) == {hot.pk}
    assert cool.pk not in entries(baia_mare)


def test_a_rule_out_of_force_includes_nobody_and_the_entry_is_closed(baia_mare, org_a, ladder):
    p = make_person(baia_mare, org_a)
    with_disability(p)
    r = rule(baia_mare, "disability", disability=True)
    services.register_rebuild(actor=None, municipality=baia_mare, on=TODAY, check_actor=False)
    assert p.pk in entries(baia_mare)
    r.valid_to = datetime.date(2026, 3, 1)
    r.save()
    result = services.register_rebuild(actor=None, municipality=baia_mare, on=TODAY, check_actor=False)
    assert result.removed == 1
    assert p.pk not in entries(baia_mare)
    assert RegisterEntry.objects.for_tenant(baia_mare).get(person=p).removed_on == TODAY


def test_rules_of_the_other_municipality_do_not_apply(baia_mare, balti, org_a, balti_org, ladder):
    p = make_person(balti, balti_org)
    with_disability(p)
    rule(baia_mare, "disability", disability=True)
    services.register_rebuild(actor=None, municipality=balti, on=TODAY, check_actor=False)
    assert not entries(balti)


def test_a_rule_refuses_consent_as_its_ground_and_needs_a_condition(baia_mare, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.risk_rule_save(
            actor=coordinator,
            municipality=baia_mare,
            code="x",
            name="x",
            legal_ground=LegalGround.CONSENT,
            valid_from=TODAY,
        )
    assert set(exc.value.message_dict) == {"legal_ground", "min_age"}
    with pytest.raises(ValidationError) as exc:
        services.risk_rule_save(
            actor=coordinator,
            municipality=baia_mare,
            code="x",
            name="x",
            legal_ground=LegalGround.PUBLIC_TASK,
            valid_from=TODAY,
            disability=True,
        )
    assert set(exc.value.message_dict) == {"legal_basis"}


def test_only_the_coordinator_sets_rules(baia_mare, caseworker_a, other_tenant_user):
    for user in (caseworker_a, other_tenant_user):
        with pytest.raises(PermissionDenied):
            services.risk_rule_save(
                actor=user,
                municipality=baia_mare,
                code="x",
                name="x",
                legal_ground="public_task",
                legal_basis="L",
                valid_from=TODAY,
                disability=True,
            )


def test_a_neighbours_call_adds_a_person_by_hand_with_consent(baia_mare, org_a, coordinator, ladder):
    p = make_person(baia_mare, org_a)
    with pytest.raises(ValidationError) as exc:
        services.register_add(actor=coordinator, municipality=baia_mare, person_id=p.pk, legal_ground="consent")
    assert "consent_on" in exc.value.message_dict
    entry = services.register_add(
        actor=coordinator,
        municipality=baia_mare,
        person_id=p.pk,
        legal_ground="consent",
        consent_on=datetime.date(2026, 6, 1),
        note="A neighbour called",
    )
    assert entry.source == EntrySource.MANUAL
    with pytest.raises(ValidationError):
        services.register_add(actor=coordinator, municipality=baia_mare, person_id=p.pk, legal_ground="vital_interest")
    # a rebuild keeps a hand-made entry even when no rule finds the person
    services.register_rebuild(actor=coordinator, municipality=baia_mare, on=TODAY)
    assert p.pk in entries(baia_mare)


def test_a_person_of_the_other_municipality_cannot_be_added(baia_mare, balti_person, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.register_add(
            actor=coordinator, municipality=baia_mare, person_id=balti_person.pk, legal_ground="vital_interest"
        )
    assert "person" in exc.value.message_dict


# --- campaigns and lists ---------------------------------------------------------------------------------


def test_declaring_a_campaign_puts_every_register_person_on_exactly_one_list(baia_mare, campaign, register_of_six):
    contacts = Contact.objects.for_tenant(baia_mare).filter(campaign=campaign)
    assert sorted(c.person_id for c in contacts) == sorted(p.pk for p in register_of_six)
    lists = {c.call_list_id for c in contacts}
    zones = {(c.call_list.zone, c.person.area.name) for c in contacts.select_related("call_list", "person__area")}
    assert all(z == a for z, a in zones)  # a list holds one zone
    assert len(lists) == 3  # list size 3: Vest 4 → 3 + 1, Est 2
    assert campaign.max_tries == 3 and campaign.within_hours == 4  # the ladder in force is kept


def test_a_campaign_needs_workers_of_its_own_municipality(baia_mare, register_of_six, coordinator, other_tenant_user):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        services.campaign_declare(
            actor=coordinator,
            municipality=baia_mare,
            kind="heat",
            alert_code="red",
            title="T",
            starts_at=now,
            ends_at=now - datetime.timedelta(hours=1),
            worker_ids=[other_tenant_user.pk],
        )
    assert {"ends_at", "workers"} <= set(exc.value.message_dict)


def _contact_of(campaign, user):
    return (
        Contact.objects.for_tenant(campaign.municipality_id)
        .filter(campaign=campaign, call_list__assignee=user)
        .select_related("call_list")
        .first()
    )


def test_a_check_in_is_recorded_once_per_key(campaign, caseworker_a):
    contact = _contact_of(campaign, caseworker_a)
    key = uuid.uuid4()
    first = services.checkin_record(
        actor=caseworker_a, call_list=contact.call_list, key=key, contact_id=contact.pk, mode="phone", outcome="fine"
    )
    again = services.checkin_record(
        actor=caseworker_a, call_list=contact.call_list, key=key, contact_id=contact.pk, mode="phone", outcome="fine"
    )
    assert first.created and not again.created
    assert CheckIn.objects.for_tenant(campaign.municipality_id).filter(client_key=key).count() == 1
    contact.refresh_from_db()
    assert (contact.status, contact.tries, contact.last_outcome) == (ContactStatus.REACHED, 1, "fine")


def test_a_check_in_refuses_bad_input_naming_the_field(campaign, caseworker_a):
    contact = _contact_of(campaign, caseworker_a)
    cases = [
        ({"key": "nope", "mode": "phone", "outcome": "fine"}, "key"),
        ({"key": uuid.uuid4(), "mode": "shout", "outcome": "fine"}, "mode"),
        ({"key": uuid.uuid4(), "mode": "phone", "outcome": ""}, "outcome"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.checkin_record(actor=caseworker_a, call_list=contact.call_list, contact_id=contact.pk, **kwargs)
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.checkin_record(
            actor=caseworker_a,
            call_list=contact.call_list,
            key=uuid.uuid4(),
            contact_id=uuid.uuid4(),
            mode="not_reached",
        )
    assert "contact" in exc.value.message_dict
    assert not CheckIn.objects.for_tenant(campaign.municipality_id).exists()


def test_another_workers_list_is_refused(campaign, caseworker_a, volunteer, auditor):
    contact = _contact_of(campaign, volunteer)
    for user in (caseworker_a, auditor):
        with pytest.raises(PermissionDenied):
            services.checkin_record(
                actor=user, call_list=contact.call_list, key=uuid.uuid4(), contact_id=contact.pk, mode="not_reached"
            )


def test_not_reached_three_times_within_four_hours_escalates_to_a_home_visit(campaign, caseworker_a):
    contact = _contact_of(campaign, caseworker_a)
    start = campaign.starts_at
    for hours in (0, 1):
        at = start + datetime.timedelta(hours=hours)
        services.checkin_record(
            actor=caseworker_a,
            call_list=contact.call_list,
            key=uuid.uuid4(),
            contact_id=contact.pk,
            mode="not_reached",
            at=at.isoformat(),
            now=at,
        )
        contact.refresh_from_db()
        assert contact.status == ContactStatus.PENDING
    at = start + datetime.timedelta(hours=2)
    services.checkin_record(
        actor=caseworker_a,
        call_list=contact.call_list,
        key=uuid.uuid4(),
        contact_id=contact.pk,
        mode="not_reached",
        at=at.isoformat(),
        now=at,
    )
    contact.refresh_from_db()
    assert contact.status == ContactStatus.ESCALATED
    assert contact.escalated_at == at


def test_the_clock_escalates_who_was_tried_once_and_never_reached(campaign, caseworker_a):
    contact = _contact_of(campaign, caseworker_a)
    at = campaign.starts_at
    services.checkin_record(
        actor=caseworker_a,
        call_list=contact.call_list,
        key=uuid.uuid4(),
        contact_id=contact.pk,
        mode="not_reached",
        at=at.isoformat(),
        now=at,
    )
    assert services.contacts_escalate_overdue(campaign=campaign, now=at + datetime.timedelta(hours=3, minutes=59)) == 0
    assert services.contacts_escalate_overdue(campaign=campaign, now=at + datetime.timedelta(hours=4)) == 1
    contact.refresh_from_db()
    assert contact.status == ContactStatus.ESCALATED


def test_a_person_reached_is_never_escalated(campaign, caseworker_a):
    contact = _contact_of(campaign, caseworker_a)
    at = campaign.starts_at
    services.checkin_record(
        actor=caseworker_a,
        call_list=contact.call_list,
        key=uuid.uuid4(),
        contact_id=contact.pk,
        mode="not_reached",
        at=at.isoformat(),
        now=at,
    )
    services.checkin_record(
        actor=caseworker_a,
        call_list=contact.call_list,
        key=uuid.uuid4(),
        contact_id=contact.pk,
        mode="visit",
        outcome="water",
        now=at,
    )
    assert services.contacts_escalate_overdue(campaign=campaign, now=at + datetime.timedelta(hours=10)) == 0
    contact.refresh_from_db()
    assert contact.status == ContactStatus.REACHED


def test_a_closed_campaign_takes_no_check_in(campaign, coordinator, caseworker_a):
    services.campaign_close(actor=coordinator, campaign=campaign)
    contact = _contact_of(campaign, caseworker_a)
    contact.call_list.campaign.refresh_from_db()
    with pytest.raises(ValidationError):
        services.checkin_record(
            actor=caseworker_a, call_list=contact.call_list, key=uuid.uuid4(), contact_id=contact.pk, mode="not_reached"
        )


# --- KPIs ------------------------------------------------------------------------------------------------


def test_coverage_needing_help_and_centre_use(campaign, caseworker_a, volunteer, coordinator):
    mine = list(
        Contact.objects.for_tenant(campaign.municipality_id)
        .filter(campaign=campaign, call_list__assignee=caseworker_a)
        .select_related("call_list")
    )
    early = campaign.starts_at + datetime.timedelta(hours=2)
    late = campaign.starts_at + datetime.timedelta(hours=30)
    services.checkin_record(
        actor=caseworker_a,
        call_list=mine[0].call_list,
        key=uuid.uuid4(),
        contact_id=mine[0].pk,
        mode="phone",
        outcome="fine",
        at=early.isoformat(),
        now=early,
    )
    services.checkin_record(
        actor=caseworker_a,
        call_list=mine[1].call_list,
        key=uuid.uuid4(),
        contact_id=mine[1].pk,
        mode="visit",
        outcome="medicine",
        now=late,
    )
    coverage = selectors.coverage_within_target(campaign=campaign)
    assert (coverage.numerator, coverage.denominator) == (1, 6)
    help_ = selectors.share_needing_help(campaign=campaign)
    assert (help_.numerator, help_.denominator) == (1, 2)
    centre = services.centre_save(actor=coordinator, municipality=campaign.municipality_id, kind="cooling", name="C")
    assert centre.facts_missing
    services.centre_visits_record(
        actor=coordinator, centre=centre, day=TODAY, visitors=10, beneficiaries=3, campaign=campaign
    )
    with pytest.raises(ValidationError):
        services.centre_visits_record(actor=coordinator, centre=centre, day=TODAY, visitors=2, beneficiaries=3)
    services.kit_give(actor=coordinator, campaign=campaign, person_id=mine[0].person_id, kind="cooling", quantity=2)
    use = selectors.centre_use(campaign=campaign)
    assert (use.visits, use.register_visits, use.register_size, use.kits, use.persons_with_kit) == (10, 3, 6, 2, 1)


# --- heat ------------------------------------------------------------------------------------------------


def test_a_bad_heat_layer_is_refused_whole_naming_the_feature(baia_mare, coordinator):
    bad = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "A", "intensity": 0.5},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[23.5, 47.6], [23.6, 47.6], [23.6, 47.7], [23.5, 47.6]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"name": "B", "intensity": 7},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[23.5, 47.6], [23.6, 47.6], [23.6, 47.7], [23.5, 47.6]]],
                },
            },
        ],
    }
    with pytest.raises(ValidationError) as exc:
        services.heat_layer_import(actor=coordinator, municipality=baia_mare, name="L", content=bad)
    assert "Feature 2, intensity" in str(exc.value.message_dict["file"])
    with pytest.raises(ValidationError) as exc:
        services.heat_layer_import(actor=coordinator, municipality=baia_mare, name="L", content=b"{not json")
    assert "file" in exc.value.message_dict
    assert not selectors.heat_layer_list(municipality=baia_mare).exists()


def test_the_vulnerability_cells_of_the_register_and_the_layer(baia_mare, register_of_six, heat_layer):
    cells = selectors.vulnerability_cells(municipality=baia_mare, on=TODAY)
    hot = [c for c in cells if c.thermal > 0 and c.at_risk]
    assert len(hot) == 1 and hot[0].at_risk == 4 and hot[0].public_at_risk is None  # 4 < 5: suppressed
    assert hot[0].critical
    assert sum(c.at_risk for c in cells) == 6


def test_the_scheduled_clock_escalates_across_active_campaigns(campaign, caseworker_a):
    contact = _contact_of(campaign, caseworker_a)
    at = campaign.starts_at
    services.checkin_record(
        actor=caseworker_a,
        call_list=contact.call_list,
        key=uuid.uuid4(),
        contact_id=contact.pk,
        mode="not_reached",
        at=at.isoformat(),
        now=at,
    )
    assert services.campaigns_escalate_overdue(now=at + datetime.timedelta(hours=5)) == 1

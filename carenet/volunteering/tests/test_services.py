"""The rules of volunteering: hours count only when the organiser confirms them; points follow the
municipality's rules and caps; a redeemed code works once; the background-check gate; minors' consent."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carenet.activities.models import Activity
from carenet.testing.factories import UserFactory
from carenet.volunteering import selectors, services
from carenet.volunteering.models import CheckStatus, PointsEntry, VolunteerStatus

pytestmark = pytest.mark.django_db


def _turn(application, caseworker_a, hours: float = 2, day: datetime.datetime | None = None):
    start = day or timezone.now() - datetime.timedelta(hours=hours + 1)
    attendance = services.attendance_check_in(actor=application.volunteer.user, application=application, at=start)
    return services.attendance_check_out(
        actor=application.volunteer.user, attendance=attendance, at=start + datetime.timedelta(hours=hours)
    )


def test_hours_count_only_once_the_organiser_confirms_them(application, caseworker_a):
    attendance = _turn(application, caseworker_a, hours=3)
    assert attendance.hours == Decimal("3.00")
    assert selectors.confirmed_hours(volunteer=application.volunteer) == 0
    assert selectors.points_balance(volunteer=application.volunteer) == 0
    services.attendance_confirm(actor=caseworker_a, attendance=attendance)
    assert selectors.confirmed_hours(volunteer=application.volunteer) == Decimal("3.00")


def test_rejected_hours_never_count_nor_earn_points(application, caseworker_a):
    attendance = _turn(application, caseworker_a, hours=2)
    services.attendance_confirm(actor=caseworker_a, attendance=attendance, confirm=False)
    assert selectors.confirmed_hours(volunteer=application.volunteer) == 0
    assert not PointsEntry.objects.for_tenant(application.municipality_id).exists()


def test_points_follow_the_rule_per_hour_and_the_daily_cap(application, caseworker_a):
    # 10 points an hour, at most 50 a day: 3 h → 30; 4 h more the same day → 20 (the cap), not 40.
    first = _turn(
        application, caseworker_a, hours=3, day=timezone.now().replace(hour=8, minute=0) - datetime.timedelta(days=1)
    )
    services.attendance_confirm(actor=caseworker_a, attendance=first)
    assert selectors.points_balance(volunteer=application.volunteer) == 30
    second = _turn(
        application, caseworker_a, hours=4, day=timezone.now().replace(hour=13, minute=0) - datetime.timedelta(days=1)
    )
    services.attendance_confirm(actor=caseworker_a, attendance=second)
    assert selectors.points_balance(volunteer=application.volunteer) == 50


def test_points_follow_the_rule_in_force_on_the_day(application, caseworker_a, baia_mare):
    from carenet.volunteering.models import PointsRule

    start = timezone.now() - datetime.timedelta(hours=3)
    day = timezone.localtime(start).date()  # the turn's local day (just after midnight it is yesterday)
    PointsRule.objects.for_tenant(baia_mare).filter(reason="hours").update(valid_to=day - datetime.timedelta(days=1))
    PointsRule.objects.for_tenant(baia_mare).create(
        municipality=baia_mare, reason="hours", points=5, daily_cap=100, valid_from=day
    )
    attendance = _turn(application, caseworker_a, hours=2, day=start)
    services.attendance_confirm(actor=caseworker_a, attendance=attendance)
    assert selectors.points_balance(volunteer=application.volunteer) == 10


def test_no_points_without_a_confirmation(application):
    attendance = _turn(application, None, hours=2)
    with pytest.raises(ValidationError):
        services.points_award(attendance=attendance, actor=None)
    assert selectors.points_balance(volunteer=application.volunteer) == 0


def test_hours_are_confirmed_once(application, caseworker_a):
    attendance = _turn(application, caseworker_a, hours=2)
    services.attendance_confirm(actor=caseworker_a, attendance=attendance)
    with pytest.raises(ValidationError) as exc:
        services.attendance_confirm(actor=caseworker_a, attendance=attendance)
    assert "status" in exc.value.message_dict
    assert selectors.points_balance(volunteer=application.volunteer) == 20


def test_a_resent_check_in_is_not_counted_twice(application):
    import uuid

    key = uuid.uuid4()
    first = services.attendance_check_in(actor=None, application=application, client_key=key)
    again = services.attendance_check_in(actor=None, application=application, client_key=key)
    assert first.pk == again.pk


def test_a_redeemed_code_works_once_and_the_partner_sees_no_volunteer(
    application, caseworker_a, reward, partner_user, baia_mare
):
    services.attendance_confirm(actor=caseworker_a, attendance=_turn(application, caseworker_a, hours=3))
    redemption = services.reward_redeem(volunteer=application.volunteer, reward=reward)
    assert selectors.points_balance(volunteer=application.volunteer) == 10
    reward.refresh_from_db()
    assert reward.stock == 2
    used = services.redemption_use(actor=partner_user, municipality=baia_mare, code=redemption.code.lower())
    assert used.used_at is not None
    with pytest.raises(ValidationError) as exc:
        services.redemption_use(actor=partner_user, municipality=baia_mare, code=redemption.code)
    assert exc.value.message_dict["code"] == ["This code was already used."]
    rows = selectors.partner_redemptions(partner_ids=frozenset({reward.partner_id}), municipality=baia_mare)
    assert set(rows[0]) == {"code", "reward__title", "created_at", "used_at"}


def test_a_partner_cannot_use_another_partners_code(application, caseworker_a, reward, manager_a, baia_mare):
    services.attendance_confirm(actor=caseworker_a, attendance=_turn(application, caseworker_a, hours=3))
    redemption = services.reward_redeem(volunteer=application.volunteer, reward=reward)
    with pytest.raises(ValidationError):
        services.redemption_use(actor=manager_a, municipality=baia_mare, code=redemption.code)


def test_redeeming_needs_enough_points_and_stock(volunteer, reward):
    with pytest.raises(ValidationError) as exc:
        services.reward_redeem(volunteer=volunteer, reward=reward)
    assert exc.value.message_dict["reward"] == ["You do not have enough points for this reward."]


def test_work_with_vulnerable_people_needs_a_valid_background_check(volunteer, opportunity, coordinator, caseworker_a):
    opportunity.with_vulnerable = True
    opportunity.save()
    with pytest.raises(ValidationError):
        services.application_submit(volunteer=volunteer, opportunity=opportunity)
    services.volunteer_record_check(actor=coordinator, volunteer=volunteer, status=CheckStatus.CLEARED)
    application = services.application_submit(volunteer=volunteer, opportunity=opportunity)
    assert services.application_decide(actor=caseworker_a, application=application, confirm=True).status == "confirmed"


def test_a_minor_needs_a_guardian_and_consent(baia_mare, bm_rules):
    user = UserFactory(username="teen")
    born = timezone.localdate().replace(year=timezone.localdate().year - 16) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.volunteer_sign_up(
            municipality=baia_mare, user=user, data=services.SignUp(first_name="Ion", last_name="Rus", birth_date=born)
        )
    assert set(exc.value.message_dict) == {"guardian_name", "guardian_consent"}
    v = services.volunteer_sign_up(
        municipality=baia_mare,
        user=user,
        data=services.SignUp(
            first_name="Ion", last_name="Rus", birth_date=born, guardian_name="Maria Rus", guardian_consent=True
        ),
    )
    assert v.guardian_consent_on == timezone.localdate() and v.status == VolunteerStatus.PENDING


def test_too_young_is_refused(baia_mare, bm_rules):
    born = timezone.localdate().replace(year=timezone.localdate().year - 12)
    with pytest.raises(ValidationError) as exc:
        services.volunteer_sign_up(
            municipality=baia_mare,
            user=UserFactory(username="kid"),
            data=services.SignUp(
                first_name="A", last_name="B", birth_date=born, guardian_name="C", guardian_consent=True
            ),
        )
    assert "birth_date" in exc.value.message_dict


def test_places_are_limited(opportunity, volunteer, caseworker_a, baia_mare, bm_rules):
    opportunity.spots = 1
    opportunity.save()
    services.application_decide(
        actor=caseworker_a,
        application=services.application_submit(volunteer=volunteer, opportunity=opportunity),
        confirm=True,
    )
    other = services.volunteer_sign_up(
        municipality=baia_mare,
        user=UserFactory(username="other.vol"),
        data=services.SignUp(first_name="B", last_name="C", birth_date=datetime.date(1980, 1, 1)),
    )
    other.status = VolunteerStatus.ACTIVE
    other.save()
    second = services.application_submit(volunteer=other, opportunity=opportunity)
    with pytest.raises(ValidationError):
        services.application_decide(actor=caseworker_a, application=second, confirm=True)


def test_kpi_12_counts_the_initiative_once_hours_are_confirmed(application, caseworker_a, baia_mare):
    today = timezone.localdate()
    year = (today.replace(month=1, day=1), today.replace(month=12, day=31))
    assert selectors.supported_initiatives(municipality=baia_mare, date_from=year[0], date_to=year[1]) == 0
    services.attendance_confirm(actor=caseworker_a, attendance=_turn(application, caseworker_a, hours=1))
    assert Activity.objects.for_tenant(baia_mare).get(pk=application.opportunity.activity_id).status == "held"
    assert selectors.supported_initiatives(municipality=baia_mare, date_from=year[0], date_to=year[1]) == 1


def test_levels_and_badges_follow_the_thresholds(application, caseworker_a):
    services.attendance_confirm(actor=caseworker_a, attendance=_turn(application, caseworker_a, hours=2))
    standing = selectors.volunteer_standing(volunteer=application.volunteer)
    assert standing.level.code == "bronze" and standing.next_level.code == "silver"
    assert [b.code for b in standing.badges] == ["first-hours"]


def test_a_certificate_counts_confirmed_hours_and_is_verifiable(application, caseworker_a, coordinator, baia_mare):
    services.attendance_confirm(actor=caseworker_a, attendance=_turn(application, caseworker_a, hours=2))
    _turn(application, caseworker_a, hours=1)  # not confirmed: not on the certificate
    today = timezone.localdate()
    certificate = services.certificate_issue(
        actor=coordinator,
        volunteer=application.volunteer,
        period_from=today.replace(day=1) - datetime.timedelta(days=40),
        period_to=today,
    )
    assert certificate.hours == Decimal("2.00")
    assert selectors.certificate_by_code(municipality=baia_mare, code=certificate.code.lower()) == certificate

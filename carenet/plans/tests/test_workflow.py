"""Submit → review (approve / send back) → lock; reopening is audited; reminders; isolation."""

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from carenet.audit.models import AuditEvent
from carenet.plans import selectors, services
from carenet.plans.models import IndicatorValue, PeriodStatus, ReportingPeriod, Submission, SubmissionStatus
from carenet.plans.services import ValueInput
from conftest import org

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(balti_plan, balti):
    return ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code="2025")


def test_each_body_gets_a_form_of_exactly_its_actions_and_indicators(cultura_form, balti_plan, balti):
    actions = set(
        selectors.actions_of_body(plan=balti_plan, organisation=org(balti, "dir-cultura")).values_list(
            "code", flat=True
        )
    )
    assert {"1.1.2", "1.1.3"} <= actions
    assert "1.1.1" not in actions
    indicators = selectors.indicators_of_body(plan=balti_plan, organisation=org(balti, "dir-cultura"))
    assert all(i.action.code in actions for i in indicators)


def test_generic_bodies_get_no_form(period, balti):
    subs = services.submissions_open(period=period)
    assert not any(s.organisation.is_generic for s in subs)


def _library_values(balti_plan):
    ind = balti_plan.indicators.get(code="1.1.2.1")  # count, no breakdown
    return ind, [ValueInput(ind.pk, value=D(3))]


def test_full_flow_submit_approve_lock(cultura_form, cultura_officer, balti_coordinator, balti_plan, period):
    ind, values = _library_values(balti_plan)
    services.submission_save(actor=cultura_officer, submission=cultura_form, values=values)
    services.submission_submit(actor=cultura_officer, submission=cultura_form)
    with pytest.raises(ValidationError):  # a submitted form is frozen for its body
        services.submission_save(actor=cultura_officer, submission=cultura_form, values=values)
    services.submission_return(actor=balti_coordinator, submission=cultura_form, comment="Lipsește defalcarea.")
    assert cultura_form.status == SubmissionStatus.RETURNED
    services.submission_save(actor=cultura_officer, submission=cultura_form, values=[ValueInput(ind.pk, value=D(4))])
    services.submission_submit(actor=cultura_officer, submission=cultura_form)
    services.submission_approve(actor=balti_coordinator, submission=cultura_form)
    for other in (
        Submission.objects.for_tenant(period.municipality_id).filter(period=period).exclude(pk=cultura_form.pk)
    ):
        other.status = SubmissionStatus.APPROVED
        other.save()
    services.period_lock(actor=balti_coordinator, period=period)
    period.refresh_from_db()
    assert period.status == PeriodStatus.LOCKED
    value = IndicatorValue.objects.for_tenant(period.municipality_id).get(indicator=ind, period=period, combo="")
    assert value.value == 4 and value.body_code == "dir-cultura"


def test_a_locked_period_cannot_be_changed_until_reopened_and_reopening_is_audited(
    cultura_form, cultura_officer, balti_coordinator, balti_plan, period
):
    Submission.objects.for_tenant(period.municipality_id).filter(period=period).update(status=SubmissionStatus.APPROVED)
    services.period_lock(actor=balti_coordinator, period=period)
    cultura_form.refresh_from_db()
    _ind, values = _library_values(balti_plan)
    with pytest.raises(ValidationError):
        services.submission_save(actor=cultura_officer, submission=cultura_form, values=values)
    with pytest.raises(ValidationError):
        services.period_reopen(actor=balti_coordinator, period=period, reason=" ")
    services.period_reopen(actor=balti_coordinator, period=period, reason="Corectarea datelor DIR cultură")
    event = AuditEvent.objects.filter(action="plan.period.reopen").get()
    assert event.actor == balti_coordinator and "Corectarea" in event.purpose
    cultura_form.refresh_from_db()
    services.submission_return(actor=balti_coordinator, submission=cultura_form, comment="Corectați")
    services.submission_save(actor=cultura_officer, submission=cultura_form, values=values)


def test_lock_is_refused_while_forms_are_not_approved(cultura_form, balti_coordinator, period):
    with pytest.raises(ValidationError):
        services.period_lock(actor=balti_coordinator, period=period)


def test_only_the_coordinator_reviews_and_locks(cultura_form, cultura_officer, period):
    services.submission_submit(actor=cultura_officer, submission=cultura_form)
    with pytest.raises(PermissionDenied):
        services.submission_approve(actor=cultura_officer, submission=cultura_form)
    with pytest.raises(PermissionDenied):
        services.period_lock(actor=cultura_officer, period=period)


def test_a_data_officer_cannot_submit_another_bodys_form(period, sanatate_officer, cultura_form):
    with pytest.raises(PermissionDenied):
        services.submission_submit(actor=sanatate_officer, submission=cultura_form)


def test_sending_back_needs_a_comment(cultura_form, cultura_officer, balti_coordinator):
    services.submission_submit(actor=cultura_officer, submission=cultura_form)
    with pytest.raises(ValidationError):
        services.submission_return(actor=balti_coordinator, submission=cultura_form, comment="")


def test_bad_values_refuse_the_whole_form_and_save_nothing(cultura_form, cultura_officer, balti_plan):
    good = balti_plan.indicators.get(code="1.1.2.1")
    library = balti_plan.indicators.get(code="1.1.2.3")  # sex × age × disability
    values = [
        ValueInput(good.pk, value=D(3)),
        ValueInput(library.pk, value=D(10), cells={"sex=f|age=0-6|disability=no": D(4)}),
    ]
    with pytest.raises(ValidationError) as exc:
        services.submission_save(actor=cultura_officer, submission=cultura_form, values=values)
    assert "1.1.2.3" in str(exc.value)
    assert not IndicatorValue.objects.for_tenant(cultura_form.municipality_id).exists()


def test_a_jump_against_the_previous_period_is_returned_as_a_warning(cultura_form, cultura_officer, balti_plan, balti):
    ind = balti_plan.indicators.get(code="1.1.2.1")
    prev = ReportingPeriod.objects.create(
        municipality=balti,
        plan=balti_plan,
        code="2024",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
        deadline=datetime.date(2025, 2, 15),
    )
    IndicatorValue.objects.create(municipality=balti, indicator=ind, period=prev, body_code="dir-cultura", value=D(10))
    warnings = services.submission_save(
        actor=cultura_officer, submission=cultura_form, values=[ValueInput(ind.pk, value=D(90))]
    )
    assert [w[1].rule for w in warnings] == ["jump"]


def test_reminder_mails_bodies_with_unsubmitted_forms_before_the_deadline(
    period, cultura_officer, balti, django_capture_on_commit_callbacks
):
    from carenet.plans.tasks import send_period_reminders

    with django_capture_on_commit_callbacks(execute=True):
        send_period_reminders.call(today="2026-02-05")
    period.refresh_from_db()
    assert period.reminder_sent_at is not None
    assert any(cultura_officer.email in m.to for m in mail.outbox)
    mail.outbox.clear()
    send_period_reminders.call(today="2026-02-06")  # once only
    assert not mail.outbox


# --- pages -----------------------------------------------------------------------------------------


def test_a_balti_user_gets_404_on_baia_mare_plan_objects(client, balti_coordinator, bm_plan, baia_mare):
    client.force_login(balti_coordinator)
    assert client.get(reverse("plans:detail", args=[bm_plan.pk])).status_code == 404
    bm_period = ReportingPeriod.objects.for_tenant(baia_mare).get(plan=bm_plan, code="2025")
    assert client.get(reverse("plans:period", args=[bm_plan.pk, "2025"])).status_code == 404
    services.submissions_open(period=bm_period)
    bm_form = Submission.objects.for_tenant(baia_mare).filter(period=bm_period).first()
    assert client.get(reverse("plans:form", args=[bm_form.pk])).status_code == 404
    assert client.post(reverse("plans:form_submit", args=[bm_form.pk])).status_code == 404


def test_a_data_officer_cannot_open_or_submit_another_bodys_form_404(client, sanatate_officer, cultura_form):
    # Another body's form is a record they may not see: its existence is not confirmed (docs/architecture.md §3).
    client.force_login(sanatate_officer)
    assert client.get(reverse("plans:form", args=[cultura_form.pk])).status_code == 404
    assert client.post(reverse("plans:form", args=[cultura_form.pk]), {}).status_code == 404
    assert client.post(reverse("plans:form_submit", args=[cultura_form.pk])).status_code == 404
    assert client.post(reverse("plans:form_review", args=[cultura_form.pk]), {"decision": "approve"}).status_code == 404


def test_the_body_fills_in_and_submits_its_form_through_the_page(client, cultura_officer, cultura_form, balti_plan):
    client.force_login(cultura_officer)
    page = client.get(reverse("plans:form", args=[cultura_form.pk]))
    assert page.status_code == 200
    ind = balti_plan.indicators.get(code="1.1.2.1")
    resp = client.post(reverse("plans:form", args=[cultura_form.pk]), {f"v-{ind.pk}": "7"})
    assert resp.status_code == 302
    bad = client.post(reverse("plans:form", args=[cultura_form.pk]), {f"v-{ind.pk}": "șapte"})
    assert bad.status_code == 400 and "1.1.2.1" in bad.content.decode()
    assert 'value="șapte"' in bad.content.decode()  # what was typed is shown again, with the error
    client.post(reverse("plans:form_submit", args=[cultura_form.pk]))
    cultura_form.refresh_from_db()
    assert cultura_form.status == SubmissionStatus.SUBMITTED


def test_coordinator_reviews_through_the_page(client, cultura_officer, balti_coordinator, cultura_form):
    services.submission_submit(actor=cultura_officer, submission=cultura_form)
    client.force_login(balti_coordinator)
    client.post(reverse("plans:form_review", args=[cultura_form.pk]), {"decision": "return", "comment": "De completat"})
    cultura_form.refresh_from_db()
    assert cultura_form.status == SubmissionStatus.RETURNED


def test_plan_pages_render_with_a_bounded_number_of_queries(
    client, balti_coordinator, balti_plan, django_assert_max_num_queries
):
    client.force_login(balti_coordinator)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("plans:detail", args=[balti_plan.pk])).status_code == 200
    with django_assert_max_num_queries(12):  # the plans and the user's reporting forms: one query each (issue 23)
        assert client.get(reverse("plans:list")).status_code == 200
    assert client.get(reverse("plans:period", args=[balti_plan.pk, "2025"])).status_code == 200


def test_expected_indicators_in_bulk_match_each_bodys_form(period, balti_plan, balti):
    expected = selectors.expected_indicators_by_body(plan=balti_plan)
    for body in selectors.reporting_bodies(plan=balti_plan):
        one_by_one = set(selectors.indicators_of_body(plan=balti_plan, organisation=body).values_list("pk", flat=True))
        assert expected.get(body.pk, set()) == one_by_one, body.code
    assert len(expected[org(balti, "primaria").pk]) == 160


def test_period_page_counts_queries_whatever_the_number_of_bodies(
    client, balti_coordinator, balti_plan, period, django_assert_max_num_queries
):
    services.submissions_open(period=period)
    client.force_login(balti_coordinator)
    with django_assert_max_num_queries(21):  # + the nav's unread-notifications badge
        assert client.get(reverse("plans:period", args=[balti_plan.pk, "2025"])).status_code == 200


def test_form_page_of_the_body_reporting_everything_has_bounded_queries(
    client, balti_coordinator, balti_plan, period, balti, django_assert_max_num_queries
):
    services.submissions_open(period=period)
    form = Submission.objects.for_tenant(balti).get(period=period, organisation__code="primaria")
    client.force_login(balti_coordinator)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("plans:form", args=[form.pk]))
    assert page.status_code == 200 and page.content.decode().count('class="card indicator"') == 160


def test_coordinator_opens_the_forms_of_a_period_through_the_page(client, balti_coordinator, balti_plan, period, balti):
    Submission.objects.for_tenant(balti).filter(period=period).delete()
    client.force_login(balti_coordinator)
    client.post(reverse("plans:period_open_forms", args=[balti_plan.pk, "2025"]))
    assert Submission.objects.for_tenant(balti).filter(period=period).count() == len(
        selectors.reporting_bodies(plan=balti_plan)
    )


def test_a_data_officer_cannot_open_lock_or_reopen_periods(client, cultura_officer, balti_plan, period):
    client.force_login(cultura_officer)
    assert client.post(reverse("plans:period_open_forms", args=[balti_plan.pk, "2025"])).status_code == 403
    assert client.post(reverse("plans:period_lock", args=[balti_plan.pk, "2025"])).status_code == 403
    assert client.post(reverse("plans:period_reopen", args=[balti_plan.pk, "2025"]), {"reason": "x"}).status_code == 403


def test_lock_and_reopen_through_the_page(client, balti_coordinator, balti_plan, period, balti):
    Submission.objects.for_tenant(balti).filter(period=period).update(status=SubmissionStatus.APPROVED)
    client.force_login(balti_coordinator)
    client.post(reverse("plans:period_lock", args=[balti_plan.pk, "2025"]))
    period.refresh_from_db()
    assert period.status == PeriodStatus.LOCKED
    client.post(reverse("plans:period_reopen", args=[balti_plan.pk, "2025"]), {"reason": ""})
    period.refresh_from_db()
    assert period.status == PeriodStatus.LOCKED  # no reason, no reopening
    client.post(reverse("plans:period_reopen", args=[balti_plan.pk, "2025"]), {"reason": "Eroare de raportare"})
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN


def test_period_page_flags_values_far_from_the_previous_period(client, balti_coordinator, balti_plan, balti):
    ind = balti_plan.indicators.get(code="1.1.2.1")
    p2025, p2026 = (ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code=c) for c in ("2025", "2026"))
    IndicatorValue.objects.create(municipality=balti, indicator=ind, period=p2025, body_code="dir-cultura", value=D(10))
    IndicatorValue.objects.create(municipality=balti, indicator=ind, period=p2026, body_code="dir-cultura", value=D(95))
    client.force_login(balti_coordinator)
    page = client.get(reverse("plans:period", args=[balti_plan.pk, "2026"])).content.decode()
    assert "1.1.2.1" in page and "95" in page


def test_the_year_of_an_indicator_adds_counts_and_averages_percentages_of_approved_forms(balti_plan, balti):
    """plans.selectors.plan_indicator_year: several bodies report one indicator; only approved forms count."""
    period = ReportingPeriod.objects.for_tenant(balti).get(plan=balti_plan, code="2025")
    services.submissions_open(period=period)
    forms = list(Submission.objects.for_tenant(balti).filter(period=period).select_related("organisation")[:3])
    count = balti_plan.indicators.get(code="1.1.1.1")  # Număr de planuri elaborate
    percent = balti_plan.indicators.get(code="1.1.1.2")  # % de realizare a indicatorilor
    for form, status, n, pct in zip(
        forms,
        [SubmissionStatus.APPROVED, SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED],
        [2, 3, 50],
        [60, 80, 10],
        strict=True,
    ):
        Submission.objects.for_tenant(balti).filter(pk=form.pk).update(status=status)
        for indicator, value in ((count, n), (percent, pct)):
            IndicatorValue.objects.create(
                municipality=balti,
                indicator=indicator,
                period=period,
                body_code=form.organisation.code,
                submission=form,
                value=D(value),
            )
    rows = {r.indicator.code: r for r in selectors.plan_indicator_year(plan=balti_plan, year=2025)}
    assert rows["1.1.1.1"].value == 5 and rows["1.1.1.1"].pending == 1
    assert rows["1.1.1.2"].value == 70 and rows["1.1.1.2"].pending == 1

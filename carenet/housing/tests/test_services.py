"""The rules of the housing services: scoring by the council's grid and its tie-break, the ranked list, offers
in rank order, the consequence of a refusal, contracts and their renewal reminders."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carenet.audit.models import AuditEvent
from carenet.housing import services
from carenet.housing.models import (
    ApplicationStatus,
    ContractStatus,
    DwellingStatus,
    ListStatus,
    OfferStatus,
    RefusalConsequence,
)

from .conftest import TODAY, answers

D = datetime.timedelta


def _scored(applicant_factory: Any, officer: Any, grid: Any, *, filed_days_ago: int, **points: int) -> Any:
    application = applicant_factory(filed_on=TODAY - D(days=filed_days_ago))
    return services.application_score(actor=officer, application=application, answers=answers(grid, **points))


def test_the_score_is_the_sum_of_the_grids_points_with_its_breakdown(applicant_factory, officer, grid):
    application = _scored(applicant_factory, officer, grid, filed_days_ago=10, conditions=10, household=4, disability=5)
    assert application.score == 19
    assert application.breakdown == {"conditions": 10, "household": 4, "disability": 5}
    assert application.status == ApplicationStatus.SCORED
    assert AuditEvent.objects.filter(action="housing.application.score", object_id=str(application.pk)).count() == 1


def test_scoring_refuses_a_missing_criterion_naming_it(applicant_factory, officer, grid):
    application = applicant_factory(filed_on=TODAY)
    partial = answers(grid, conditions=10, household=4)
    with pytest.raises(ValidationError) as exc:
        services.application_score(actor=officer, application=application, answers=partial)
    assert "Disability in the household" in str(exc.value)
    application.refresh_from_db()
    assert application.score is None and not application.answers.exists()


def test_an_option_of_another_criterion_is_refused(applicant_factory, officer, grid):
    application = applicant_factory(filed_on=TODAY)
    mixed = answers(grid, conditions=10, household=4, disability=5)
    criterion_ids = list(mixed)
    mixed[criterion_ids[0]], mixed[criterion_ids[1]] = mixed[criterion_ids[1]], mixed[criterion_ids[0]]
    with pytest.raises(ValidationError):
        services.application_score(actor=officer, application=application, answers=mixed)


def test_the_list_ranks_by_score_and_breaks_ties_by_the_grids_rule(applicant_factory, officer, grid, coordinator):
    later = _scored(applicant_factory, officer, grid, filed_days_ago=5, conditions=5, household=4, disability=0)
    earlier = _scored(applicant_factory, officer, grid, filed_days_ago=50, conditions=5, household=4, disability=0)
    top = _scored(applicant_factory, officer, grid, filed_days_ago=1, conditions=10, household=6, disability=5)
    ranked_list = services.ranked_list_draw(actor=officer, grid=grid)
    order = list(ranked_list.entries.order_by("rank").values_list("file_number", flat=True))
    assert order == [top.file_number, earlier.file_number, later.file_number]  # same 9 points: the earlier file


def test_a_larger_household_first_when_the_grid_says_so(applicant_factory, officer, grid):
    grid.tie_break = "larger_household"
    grid.save()
    small = applicant_factory(filed_on=TODAY - D(days=40), size=2)
    large = applicant_factory(filed_on=TODAY - D(days=1), size=5)
    for a in (small, large):
        services.application_score(
            actor=officer, application=a, answers=answers(grid, conditions=5, household=4, disability=0)
        )
    ranked_list = services.ranked_list_draw(actor=officer, grid=grid)
    assert [e.file_number for e in ranked_list.entries.order_by("rank")] == [large.file_number, small.file_number]
    assert ranked_list.entries.get(rank=1).tie_break_value == "5"


def test_only_the_coordinator_approves_the_list_and_it_is_audited(applicant_factory, officer, grid, coordinator):
    _scored(applicant_factory, officer, grid, filed_days_ago=3, conditions=10, household=2, disability=0)
    ranked_list = services.ranked_list_draw(actor=officer, grid=grid)
    with pytest.raises(PermissionDenied):
        services.ranked_list_approve(actor=officer, ranked_list=ranked_list)
    services.ranked_list_approve(actor=coordinator, ranked_list=ranked_list)
    assert ranked_list.status == ListStatus.APPROVED
    assert AuditEvent.objects.filter(action="housing.list.approve", object_id=str(ranked_list.pk)).exists()


def test_the_list_is_a_frozen_snapshot(applicant_factory, officer, grid):
    application = _scored(applicant_factory, officer, grid, filed_days_ago=3, conditions=5, household=2, disability=0)
    ranked_list = services.ranked_list_draw(actor=officer, grid=grid)
    services.application_score(
        actor=officer, application=application, answers=answers(grid, conditions=10, household=2, disability=0)
    )
    assert ranked_list.entries.get().score == 7  # the list as it stood; a new version shows the new score
    assert services.ranked_list_draw(actor=officer, grid=grid).entries.get().score == 12


@pytest.fixture
def approved(applicant_factory, officer, grid, coordinator):
    first = _scored(applicant_factory, officer, grid, filed_days_ago=30, conditions=10, household=6, disability=5)
    second_needs_3_rooms = applicant_factory(filed_on=TODAY - D(days=20), rooms=3)
    services.application_score(
        actor=officer, application=second_needs_3_rooms, answers=answers(grid, conditions=10, household=6, disability=0)
    )
    third = _scored(applicant_factory, officer, grid, filed_days_ago=10, conditions=10, household=2, disability=0)
    ranked_list = services.ranked_list_draw(actor=officer, grid=grid)
    services.ranked_list_approve(actor=coordinator, ranked_list=ranked_list)
    return first, second_needs_3_rooms, third


def test_offers_follow_the_rank_skipping_who_does_not_fit(approved, officer, dwelling):
    first, _second, third = approved
    offer = services.offer_make(actor=officer, dwelling=dwelling)
    assert offer.application == first and offer.rank == 1
    services.offer_accept(actor=officer, offer=offer)
    services.contract_sign(
        actor=officer, offer=offer, starts_on=TODAY, ends_on=TODAY + D(days=365), rent=Decimal("120")
    )
    services.contract_terminate(
        actor=officer, contract=offer.application.contracts.get(), on=TODAY, reason="tenant_left"
    )
    dwelling.refresh_from_db()
    assert dwelling.status == DwellingStatus.FREE
    # rank 2 needs three rooms; the two-room dwelling goes to rank 3
    assert services.offer_make(actor=officer, dwelling=dwelling).application == third


def test_a_refusal_moves_the_applicant_to_the_end_as_the_grid_says(approved, officer, dwelling, baia_mare):
    first, _second, third = approved
    offer = services.offer_make(actor=officer, dwelling=dwelling)
    services.offer_refuse(actor=officer, offer=offer, reason="location")
    first.refresh_from_db()
    assert offer.status == OfferStatus.REFUSED and offer.consequence == RefusalConsequence.BACK_OF_LIST
    assert first.moved_back and first.refusals == 1 and first.status == ApplicationStatus.SCORED
    dwelling.refresh_from_db()
    assert dwelling.status == DwellingStatus.FREE
    assert services.offer_make(actor=officer, dwelling=dwelling).application == third


def test_a_refusal_removes_the_applicant_when_the_grid_says_so(approved, officer, dwelling, grid):
    grid.refusal_consequence = RefusalConsequence.REMOVED
    grid.save()
    first = approved[0]
    services.offer_refuse(actor=officer, offer=services.offer_make(actor=officer, dwelling=dwelling), reason="size")
    first.refresh_from_db()
    assert first.status == ApplicationStatus.REMOVED


def test_refusals_the_grid_allows_have_no_consequence(approved, officer, dwelling, grid):
    grid.refusals_allowed = 1
    grid.save()
    first = approved[0]
    offer = services.offer_refuse(
        actor=officer, offer=services.offer_make(actor=officer, dwelling=dwelling), reason="size"
    )
    first.refresh_from_db()
    assert offer.consequence == RefusalConsequence.NONE and not first.moved_back


def test_a_refusal_needs_a_reason(approved, officer, dwelling):
    offer = services.offer_make(actor=officer, dwelling=dwelling)
    with pytest.raises(ValidationError) as exc:
        services.offer_refuse(actor=officer, offer=offer, reason="")
    assert "reason" in exc.value.message_dict


def test_no_offer_without_an_approved_list(applicant_factory, officer, grid, dwelling):
    _scored(applicant_factory, officer, grid, filed_days_ago=3, conditions=10, household=2, disability=0)
    services.ranked_list_draw(actor=officer, grid=grid)  # a draft only
    with pytest.raises(ValidationError) as exc:
        services.offer_make(actor=officer, dwelling=dwelling)
    assert "ranked_list" in exc.value.message_dict


@pytest.fixture
def contract(approved, officer, dwelling):
    offer = services.offer_make(actor=officer, dwelling=dwelling)
    services.offer_accept(actor=officer, offer=offer)
    return services.contract_sign(
        actor=officer, offer=offer, starts_on=TODAY - D(days=300), ends_on=TODAY + D(days=45), rent=Decimal("120")
    )


def test_renewal_reminders_go_once_within_the_notice_period(contract, housing_rule):
    assert services.contracts_remind_renewals(today=TODAY - D(days=30)) == 0  # 75 days before: outside 60
    assert services.contracts_remind_renewals(today=TODAY) == 1
    assert services.contracts_remind_renewals(today=TODAY) == 0  # once
    contract.refresh_from_db()
    assert contract.renewal_reminded_on == TODAY
    event = AuditEvent.objects.get(action="housing.contract.renewal_reminder")
    assert event.changes["days"] == 45


def test_renewal_makes_a_new_term_from_the_day_after(contract, officer):
    renewed = services.contract_renew(actor=officer, contract=contract, ends_on=contract.ends_on + D(days=365))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED and contract.termination_reason == "renewed"
    assert renewed.starts_on == contract.ends_on + D(days=1) and renewed.renewed_from == contract


def test_a_contract_ends_after_it_starts(approved, officer, dwelling):
    offer = services.offer_make(actor=officer, dwelling=dwelling)
    services.offer_accept(actor=officer, offer=offer)
    with pytest.raises(ValidationError) as exc:
        services.contract_sign(actor=officer, offer=offer, starts_on=TODAY, ends_on=TODAY, rent=Decimal(1))
    assert "ends_on" in exc.value.message_dict


def test_another_providers_caseworker_cannot_score(applicant_factory, caseworker_b, grid):
    application = applicant_factory(filed_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.application_score(
            actor=caseworker_b, application=application, answers=answers(grid, conditions=10, household=2, disability=0)
        )


def test_a_cold_night_must_be_below_the_tenants_temperature(coordinator, baia_mare, housing_rule):
    with pytest.raises(ValidationError) as exc:
        services.cold_night_declare(actor=coordinator, municipality=baia_mare, night=TODAY, temperature=Decimal("-2"))
    assert "temperature" in exc.value.message_dict
    assert services.cold_night_declare(
        actor=coordinator, municipality=baia_mare, night=TODAY, temperature=Decimal("-9")
    )


def test_appeals_are_decided_by_the_coordinator(approved, officer, coordinator):
    appeal = services.appeal_file(actor=officer, application=approved[2], filed_on=TODAY, grounds="Punctaj greșit")
    with pytest.raises(PermissionDenied):
        services.appeal_decide(actor=officer, appeal=appeal, outcome="upheld", decided_on=TODAY)
    services.appeal_decide(actor=coordinator, appeal=appeal, outcome="rejected", decided_on=TODAY)
    assert appeal.outcome == "rejected" and appeal.ranked_list is not None

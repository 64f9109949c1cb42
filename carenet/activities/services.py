"""Every write of the activities registers, each with its audit event in the same transaction."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from carenet.audit.services import audit_record
from carenet.core.models import Municipality, Organisation
from carenet.core.policy import actor_of, policy
from carenet.people.models import Person
from carenet.people.permissions import persons_visible_to

from .models import (
    AccessibilityEvaluation,
    AccessibilityResult,
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    AgeBand,
    Agreement,
    AgreementKind,
    AgreementParty,
    Attendance,
    DisabilityAnswer,
    EvaluationTarget,
    KindCategory,
    MediaItem,
    MediaKind,
    ParticipantCount,
    ParticipantSex,
    Profession,
    Recommendation,
    RecommendationSource,
    RecommendationStatus,
    StaffMember,
    SubPlan,
    SubPlanIndicator,
    SubPlanKind,
    TrainingRecord,
)
from .permissions import can_manage_staff_of, can_record_for_organisation, can_record_register_for
from .selectors import age_bands_in_force, kinds_in_force

# --- the tenant's lists (kinds, age bands) ----------------------------------------------------------------


@transaction.atomic
def activity_kind_save(
    *,
    municipality: Municipality | Any,
    code: str,
    name: str,
    category: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    order: int = 0,
    actor: Any = None,
) -> ActivityKind:
    """Add or rename one kind of the municipality's list (its code is its stable key)."""
    if category not in KindCategory.values:
        raise ValidationError({"category": _("Choose a category.")})
    kind, created = ActivityKind.objects.for_tenant(municipality).update_or_create(
        code=code,
        defaults={
            "municipality_id": getattr(municipality, "pk", municipality),
            "name": name,
            "category": category,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "order": order,
        },
    )
    audit_record(action="activity.kind.save", actor=actor, obj=kind, changes={"code": code, "created": created})
    return kind


@transaction.atomic
def age_band_save(
    *,
    municipality: Municipality | Any,
    code: str,
    low: int,
    high: int | None,
    order: int = 0,
    valid_from: datetime.date | None = None,
    actor: Any = None,
) -> AgeBand:
    if high is not None and high < low:
        raise ValidationError({"high": _("The band ends before it starts.")})
    band, created = AgeBand.objects.for_tenant(municipality).update_or_create(
        code=code,
        defaults={
            "municipality_id": getattr(municipality, "pk", municipality),
            "low": low,
            "high": high,
            "order": order,
            "valid_from": valid_from,
        },
    )
    audit_record(action="activity.age_band.save", actor=actor, obj=band, changes={"code": code, "created": created})
    return band


# --- activities -----------------------------------------------------------------------------------------


@dataclass
class ActivityInput:
    kind: ActivityKind
    title: str
    starts_on: datetime.date
    organiser: Organisation
    status: str = ActivityStatus.HELD
    ends_on: datetime.date | None = None
    place: str = ""
    locality: str = ""
    plan_action: Any = None
    topic: str = ""
    modules: int = 0
    trainers: str = ""
    cost: Decimal | None = None
    funding_source: str = ""
    partners: tuple[Organisation, ...] = ()
    enrolled: int | None = None  # a programme with enrolment: how many enrolled …
    completed: int | None = None  # … and how many completed it


FIELDS = (
    "kind",
    "title",
    "status",
    "starts_on",
    "ends_on",
    "place",
    "locality",
    "organiser",
    "plan_action",
    "topic",
    "modules",
    "trainers",
    "cost",
    "funding_source",
    "enrolled",
    "completed",
)


def _validate(*, actor: Any, municipality_id: Any, data: ActivityInput) -> None:
    errors: dict[str, str] = {}
    if data.organiser.municipality_id != municipality_id:
        errors["organiser"] = _("Choose an organisation of this municipality.")
    elif not can_record_for_organisation(actor, data.organiser.pk):
        errors["organiser"] = _("You record activities only for your own organisation.")
    if data.kind.municipality_id != municipality_id:
        errors["kind"] = _("Choose a kind of this municipality's list.")
    elif data.kind.pk not in {k.pk for k in kinds_in_force(municipality=municipality_id, on=data.starts_on)}:
        errors["kind"] = _("This kind is not in force on the date of the activity.")
    if data.plan_action is not None and data.plan_action.municipality_id != municipality_id:
        errors["plan_action"] = _("Choose an action of this municipality's plan.")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors["ends_on"] = _("The last day is before the first.")
    if data.cost is not None and data.cost < 0:
        errors["cost"] = _("The cost cannot be negative.")
    if not data.title.strip():
        errors["title"] = _("Give the activity a title.")
    if data.status not in ActivityStatus.values:
        errors["status"] = _("Choose a status.")
    if any(p.municipality_id != municipality_id for p in data.partners):
        errors["partners"] = _("Choose organisations of this municipality.")
    if data.completed is not None and (data.enrolled is None or data.completed > data.enrolled):
        errors["completed"] = _("More completed than enrolled.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(
    *, actor: Any, municipality: Municipality | Any, data: ActivityInput, is_synthetic: bool = False
) -> Activity:
    municipality_id = getattr(municipality, "pk", municipality)
    _validate(actor=actor, municipality_id=municipality_id, data=data)
    activity = Activity(
        municipality_id=municipality_id,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        is_synthetic=is_synthetic,
        **{f: getattr(data, f) for f in FIELDS},
    )
    activity.title = activity.title.strip()
    activity.save()
    _set_partners(activity, data.partners)
    audit_record(action="activity.create", actor=actor, obj=activity, changes={"kind": data.kind.code})
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, data: ActivityInput) -> Activity:
    if not policy.can(actor, "change", activity):
        raise PermissionDenied
    _validate(actor=actor, municipality_id=activity.municipality_id, data=data)
    changed = [f for f in FIELDS if getattr(activity, f) != getattr(data, f)]
    for f in FIELDS:
        setattr(activity, f, getattr(data, f))
    activity.save()
    _set_partners(activity, data.partners)
    audit_record(action="activity.update", actor=actor, obj=activity, changes={"fields": changed})
    return activity


def _set_partners(activity: Activity, partners: tuple[Organisation, ...]) -> None:
    ActivityPartner.objects.for_tenant(activity.municipality_id).filter(activity=activity).delete()
    ActivityPartner.objects.bulk_create(
        [
            ActivityPartner(municipality_id=activity.municipality_id, activity=activity, organisation=org)
            for org in {p.pk: p for p in partners if p.pk != activity.organiser_id}.values()
        ]
    )


# --- participants: the sign-in sheet ----------------------------------------------------------------------


@dataclass(frozen=True)
class SheetResult:
    created: bool  # False: the submission was already recorded (a resend), nothing was added
    kind: str  # "count" or "attendance"
    pk: Any


def _parse_key(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValidationError({"key": _("The submission has no valid key; reload the page.")}) from exc


def _existing(activity: Activity, key: uuid.UUID) -> SheetResult | None:
    """A submission already recorded under ``key`` (for this activity), or None; a key used for another
    activity is refused (a device never reuses one)."""
    for model, kind in ((ParticipantCount, "count"), (Attendance, "attendance")):
        row = model.objects.for_tenant(activity.municipality_id).filter(client_key=key).first()
        if row is not None:
            if row.activity_id != activity.pk:
                raise ValidationError({"key": _("This submission key belongs to another activity.")})
            return SheetResult(created=False, kind=kind, pk=row.pk)
    return None


def participants_record(
    *,
    actor: Any,
    activity: Activity,
    key: Any,
    sex: str = ParticipantSex.UNKNOWN,
    age_band: str = "",
    disability: str = DisabilityAnswer.NOT_ASKED,
    number: int = 1,
) -> SheetResult:
    """Record ``number`` anonymous participants of one cell, once per ``key`` (a resend is harmless)."""
    if not policy.can(actor, "change", activity):
        raise PermissionDenied
    client_key = _parse_key(key)
    errors: dict[str, str] = {}
    if sex not in ParticipantSex.values:
        errors["sex"] = _("Choose a sex (or “not recorded”).")
    if disability not in DisabilityAnswer.values:
        errors["disability"] = _("Choose an answer about disability.")
    bands = {b.code for b in age_bands_in_force(municipality=activity.municipality_id, on=activity.starts_on)}
    if age_band and age_band not in bands:
        errors["age_band"] = _("Choose one of the municipality's age bands.")
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 10000:
        errors["number"] = _("The number of persons is a whole number from 1 to 10,000.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            found = _existing(activity, client_key)
            if found is not None:
                return found
            row = ParticipantCount.objects.create(
                municipality_id=activity.municipality_id,
                activity=activity,
                sex=sex,
                age_band=age_band,
                disability=disability,
                number=number,
                client_key=client_key,
                created_by=actor,
            )
            audit_record(
                action="activity.participants",
                actor=actor,
                obj=activity,
                changes={"number": number, "key": str(client_key)},
            )
    except IntegrityError:
        # Two copies of one submission arrived at once: the other one won; report it as a resend.
        found = _existing(activity, client_key)
        if found is None:
            raise
        return found
    return SheetResult(created=True, kind="count", pk=row.pk)


def attendance_record(*, actor: Any, activity: Activity, key: Any, person_id: Any) -> SheetResult:
    """Record a registered person's attendance, once per ``key`` and once per person and activity.

    Only a person the user may see is named (the people app's visibility and consent rules); anyone else
    is counted anonymously instead.
    """
    if not policy.can(actor, "change", activity):
        raise PermissionDenied
    client_key = _parse_key(key)
    try:
        person = persons_visible_to(actor).get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise ValidationError({"person": _("Choose a person you may see in the registry.")}) from exc
    try:
        with transaction.atomic():
            found = _existing(activity, client_key)
            if found is not None:
                return found
            already = Attendance.objects.for_tenant(activity.municipality_id).filter(activity=activity, person=person)
            row = already.first()
            if row is not None:
                return SheetResult(created=False, kind="attendance", pk=row.pk)
            row = Attendance.objects.create(
                municipality_id=activity.municipality_id,
                activity=activity,
                person=person,
                client_key=client_key,
                created_by=actor,
            )
            audit_record(
                action="activity.attendance",
                actor=actor,
                obj=activity,
                changes={"person": str(person.pk), "key": str(client_key)},
            )
    except IntegrityError:
        found = _existing(activity, client_key)
        if found is None:
            raise
        return found
    return SheetResult(created=True, kind="attendance", pk=row.pk)


# --- staff and training -----------------------------------------------------------------------------------


@transaction.atomic
def staff_member_create(
    *,
    actor: Any,
    organisation: Organisation,
    full_name: str,
    profession: str,
    employed_from: datetime.date,
    sex: str = ParticipantSex.UNKNOWN,
    birth_year: int | None = None,
    post: str = "",
    qualification: str = "",
    employed_to: datetime.date | None = None,
    is_synthetic: bool = False,
) -> StaffMember:
    if not (can_manage_staff_of(actor, organisation.pk) and _of_actors_municipality(actor, organisation)):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not full_name.strip():
        errors["full_name"] = _("Give the name.")
    if profession not in Profession.values:
        errors["profession"] = _("Choose a profession.")
    if employed_to is not None and employed_to < employed_from:
        errors["employed_to"] = _("The employment ends before it starts.")
    if errors:
        raise ValidationError(errors)
    member = StaffMember.objects.create(
        municipality_id=organisation.municipality_id,
        organisation=organisation,
        full_name=full_name.strip(),
        sex=sex,
        birth_year=birth_year,
        profession=profession,
        post=post,
        qualification=qualification,
        employed_from=employed_from,
        employed_to=employed_to,
        is_synthetic=is_synthetic,
    )
    audit_record(action="staff.create", actor=actor, obj=member, object_label=str(member.pk))
    return member


@transaction.atomic
def staff_member_leave(*, actor: Any, member: StaffMember, employed_to: datetime.date) -> StaffMember:
    """The end of an employment (the register keeps the member: turnover is counted from it)."""
    if not policy.can(actor, "change", member):
        raise PermissionDenied
    if employed_to < member.employed_from:
        raise ValidationError({"employed_to": _("The employment ends before it starts.")})
    member.employed_to = employed_to
    member.save(update_fields=["employed_to"])
    audit_record(action="staff.leave", actor=actor, obj=member, object_label=str(member.pk))
    return member


@transaction.atomic
def training_record_add(
    *,
    actor: Any,
    member: StaffMember,
    completed_on: datetime.date,
    title: str = "",
    activity: Activity | None = None,
    hours: Decimal | None = None,
    certificate: str = "",
) -> TrainingRecord:
    if not policy.can(actor, "change", member):
        raise PermissionDenied
    if activity is not None and activity.municipality_id != member.municipality_id:
        raise ValidationError({"activity": _("Choose an activity of this municipality.")})
    title = title.strip() or (activity.title if activity is not None else "")
    if not title:
        raise ValidationError({"title": _("Name the training.")})
    record = TrainingRecord.objects.create(
        municipality_id=member.municipality_id,
        staff=member,
        activity=activity,
        title=title,
        completed_on=completed_on,
        hours=hours,
        certificate=certificate,
    )
    audit_record(action="staff.training", actor=actor, obj=member, object_label=str(member.pk))
    return record


# --- agreements -------------------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    organisation: Organisation,
    title: str,
    kind: str,
    signed_on: datetime.date,
    parties: tuple[Organisation, ...] = (),
    other_parties: str = "",
    expires_on: datetime.date | None = None,
    scope: str = "",
    plan_action: Any = None,
    is_synthetic: bool = False,
) -> Agreement:
    if not (can_manage_staff_of(actor, organisation.pk) and _of_actors_municipality(actor, organisation)):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if kind not in AgreementKind.values:
        errors["kind"] = _("Choose a kind of agreement.")
    if not title.strip():
        errors["title"] = _("Give the agreement a title.")
    if expires_on is not None and expires_on < signed_on:
        errors["expires_on"] = _("The agreement expires before it is signed.")
    if any(p.municipality_id != organisation.municipality_id for p in parties):
        errors["parties"] = _("Choose organisations of this municipality.")
    if plan_action is not None and plan_action.municipality_id != organisation.municipality_id:
        errors["plan_action"] = _("Choose an action of this municipality's plan.")
    if not parties and not other_parties.strip():
        errors["parties"] = _("Name at least one other party.")
    if errors:
        raise ValidationError(errors)
    agreement = Agreement.objects.create(
        municipality_id=organisation.municipality_id,
        organisation=organisation,
        title=title.strip(),
        kind=kind,
        signed_on=signed_on,
        expires_on=expires_on,
        other_parties=other_parties,
        scope=scope,
        plan_action=plan_action,
        is_synthetic=is_synthetic,
    )
    AgreementParty.objects.bulk_create(
        [
            AgreementParty(municipality_id=agreement.municipality_id, agreement=agreement, organisation=p)
            for p in {p.pk: p for p in parties}.values()
        ]
    )
    audit_record(action="agreement.create", actor=actor, obj=agreement, changes={"kind": kind})
    return agreement


# --- media, recommendations, accessibility evaluations, sub-plans (decision 0025) -------------------------


def _of_actors_municipality(actor: Any, organisation: Organisation) -> bool:
    """A coordinator records for the organisations of their own municipality only."""
    actor_municipality = actor_of(actor).municipality_id
    return actor_municipality is None or actor_municipality == organisation.municipality_id


def _register_checks(*, actor: Any, organisation: Organisation, plan_action: Any, errors: dict[str, str]) -> None:
    if not (can_record_register_for(actor, organisation.pk) and _of_actors_municipality(actor, organisation)):
        raise PermissionDenied
    if plan_action is not None and plan_action.municipality_id != organisation.municipality_id:
        errors["plan_action"] = _("Choose an action of this municipality's plan.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def media_item_create(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    title: str,
    published_on: datetime.date,
    outlet: str = "",
    topic: str = "",
    link: str = "",
    plan_action: Any = None,
    is_synthetic: bool = False,
) -> MediaItem:
    errors: dict[str, str] = {}
    if kind not in MediaKind.values:
        errors["kind"] = _("Choose a kind of media item.")
    if not title.strip():
        errors["title"] = _("Give the title.")
    _register_checks(actor=actor, organisation=organisation, plan_action=plan_action, errors=errors)
    item = MediaItem.objects.create(
        municipality_id=organisation.municipality_id,
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        outlet=outlet.strip(),
        published_on=published_on,
        topic=topic.strip(),
        link=link,
        plan_action=plan_action,
        is_synthetic=is_synthetic,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(action="media.create", actor=actor, obj=item, changes={"kind": kind})
    return item


@transaction.atomic
def recommendation_create(
    *,
    actor: Any,
    organisation: Organisation,
    source: str,
    text: str,
    formulated_on: datetime.date,
    activity: Activity | None = None,
    plan_action: Any = None,
    is_synthetic: bool = False,
) -> Recommendation:
    errors: dict[str, str] = {}
    if source not in RecommendationSource.values:
        errors["source"] = _("Choose where the recommendation comes from.")
    if not text.strip():
        errors["text"] = _("Write the recommendation.")
    if activity is not None and activity.municipality_id != organisation.municipality_id:
        errors["activity"] = _("Choose an activity of this municipality.")
    _register_checks(actor=actor, organisation=organisation, plan_action=plan_action, errors=errors)
    row = Recommendation.objects.create(
        municipality_id=organisation.municipality_id,
        organisation=organisation,
        source=source,
        text=text.strip(),
        formulated_on=formulated_on,
        activity=activity,
        plan_action=plan_action,
        is_synthetic=is_synthetic,
    )
    audit_record(action="recommendation.create", actor=actor, obj=row, changes={"source": source})
    return row


@transaction.atomic
def recommendation_status_set(
    *, actor: Any, recommendation: Recommendation, status: str, implemented_on: datetime.date | None = None
) -> Recommendation:
    """Follow a recommendation up: implemented (with the date), being implemented, or not accepted."""
    if not policy.can(actor, "change", recommendation):
        raise PermissionDenied
    if status not in RecommendationStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == RecommendationStatus.IMPLEMENTED:
        if implemented_on is None:
            raise ValidationError({"implemented_on": _("Give the date it was implemented.")})
        if implemented_on < recommendation.formulated_on:
            raise ValidationError({"implemented_on": _("It cannot be implemented before it was formulated.")})
    else:
        implemented_on = None
    recommendation.status, recommendation.implemented_on = status, implemented_on
    recommendation.save(update_fields=["status", "implemented_on"])
    audit_record(action="recommendation.status", actor=actor, obj=recommendation, changes={"status": status})
    return recommendation


@transaction.atomic
def accessibility_evaluation_create(
    *,
    actor: Any,
    organisation: Organisation,
    target: str,
    name: str,
    evaluated_on: datetime.date,
    result: str,
    adapted_on: datetime.date | None = None,
    notes: str = "",
    plan_action: Any = None,
    is_synthetic: bool = False,
) -> AccessibilityEvaluation:
    errors: dict[str, str] = {}
    if target not in EvaluationTarget.values:
        errors["target"] = _("Choose what was evaluated.")
    if result not in AccessibilityResult.values:
        errors["result"] = _("Choose the result.")
    if not name.strip():
        errors["name"] = _("Name what was evaluated.")
    if adapted_on is not None and adapted_on < evaluated_on:
        errors["adapted_on"] = _("It cannot be adapted before it was evaluated.")
    _register_checks(actor=actor, organisation=organisation, plan_action=plan_action, errors=errors)
    row = AccessibilityEvaluation.objects.create(
        municipality_id=organisation.municipality_id,
        organisation=organisation,
        target=target,
        name=name.strip(),
        evaluated_on=evaluated_on,
        result=result,
        adapted_on=adapted_on,
        notes=notes,
        plan_action=plan_action,
        is_synthetic=is_synthetic,
    )
    audit_record(action="accessibility.create", actor=actor, obj=row, changes={"target": target, "result": result})
    return row


@transaction.atomic
def sub_plan_create(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    title: str,
    year: int,
    approved_on: datetime.date | None = None,
    indicators: tuple[str, ...] = (),
    plan_action: Any = None,
    is_synthetic: bool = False,
) -> SubPlan:
    """An annual plan of an organisation, with its indicators (assessed later: ``sub_plan_indicator_assess``)."""
    errors: dict[str, str] = {}
    if kind not in SubPlanKind.values:
        errors["kind"] = _("Choose a kind of plan.")
    if not title.strip():
        errors["title"] = _("Give the plan a title.")
    if not 2000 <= int(year) <= 2100:
        errors["year"] = _("Give a year between 2000 and 2100.")
    _register_checks(actor=actor, organisation=organisation, plan_action=plan_action, errors=errors)
    plan = SubPlan.objects.create(
        municipality_id=organisation.municipality_id,
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        year=year,
        approved_on=approved_on,
        plan_action=plan_action,
        is_synthetic=is_synthetic,
    )
    SubPlanIndicator.objects.bulk_create(
        [
            SubPlanIndicator(municipality_id=plan.municipality_id, sub_plan=plan, text=text.strip()[:500], order=n)
            for n, text in enumerate(t for t in indicators if t.strip())
        ]
    )
    audit_record(action="subplan.create", actor=actor, obj=plan, changes={"indicators": len(indicators)})
    return plan


@transaction.atomic
def sub_plan_indicator_assess(*, actor: Any, indicator: SubPlanIndicator, achieved: bool | None) -> SubPlanIndicator:
    if not policy.can(actor, "change", indicator.sub_plan):
        raise PermissionDenied
    indicator.achieved = achieved
    indicator.save(update_fields=["achieved"])
    audit_record(action="subplan.indicator.assess", actor=actor, obj=indicator.sub_plan, changes={"achieved": achieved})
    return indicator

"""Writes of the privacy app: the schedule, legal holds, requests and their decisions, retention runs.

Every write and its audit event are one transaction. What a run or an erasure does to another app's
records is in ``anonymise.py``; what the law keeps is ``selectors.what_the_law_keeps``.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from carenet.audit.models import AuditEvent
from carenet.audit.services import audit_record
from carenet.cases.models import Case, CaseStatus, ServiceDelivery
from carenet.core.models import Municipality
from carenet.core.policy import actor_of, policy
from carenet.people import services as people_services
from carenet.people.models import Person
from carenet.portal.models import HelpRequest, HelpStatus, ServiceFeedback

from . import anonymise
from .models import (
    Action,
    AnswerDeadline,
    Disposition,
    LegalHold,
    RecordDisposal,
    RecordKind,
    RequestKind,
    RequestStatus,
    RetentionRule,
    RetentionRun,
    SubjectRequest,
)
from .selectors import (
    active_hold_person_ids,
    answer_deadline_for,
    cutoff,
    disposed_ids,
    open_case_person_ids,
    rule_for,
    what_the_law_keeps,
)

DEFAULTS_PATH = Path(__file__).resolve().parent / "data" / "retention_defaults.json"
# The fields of a person a rectification may correct (through people.services.person_update).
RECTIFIABLE_FIELDS = ("first_name", "last_name", "other_spellings", "birth_date", "address", "phone", "email")


def _today() -> datetime.date:
    return timezone.localdate()


def _require_coordinator(actor: Any, municipality_id: Any) -> None:
    a = actor_of(actor)
    if not (a.is_coordinator and a.municipality_id == municipality_id):
        raise PermissionDenied


def country_defaults(municipality: Municipality) -> dict[str, Any]:
    data = json.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))
    return data[municipality.country]


# --- The schedule ------------------------------------------------------------------------------------------


def retention_defaults_install(
    *, municipality: Municipality, actor: Any = None, valid_from: datetime.date | None = None
) -> int:
    """Give a municipality its country's default schedule (Romanian or Moldovan law) where it has none."""
    if actor is not None:
        _require_coordinator(actor, municipality.pk)
    valid_from = valid_from or datetime.date(2018, 5, 25)
    defaults = country_defaults(municipality)
    created = 0
    with transaction.atomic():
        for row in defaults["rules"]:
            if not RetentionRule.objects.for_tenant(municipality).filter(kind=row["kind"]).exists():
                RetentionRule.objects.create(municipality=municipality, valid_from=valid_from, created_by=actor, **row)
                created += 1
        if not AnswerDeadline.objects.for_tenant(municipality).exists():
            AnswerDeadline.objects.create(
                municipality=municipality, valid_from=valid_from, **defaults["answer_deadline"]
            )
            created += 1
        if created:
            audit_record(
                action="privacy.schedule_defaults",
                actor=actor,
                municipality=municipality,
                object_type="privacy.retentionrule",
                changes={"country": municipality.country, "rows": created},
            )
    return created


def _close_previous(qs: QuerySet, valid_from: datetime.date) -> None:
    if qs.filter(valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("A version already starts on this date; choose another date.")})
    if qs.filter(valid_from__gt=valid_from).exists():
        raise ValidationError({"valid_from": _("A later version exists; a new version must start after it.")})
    qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)).update(
        valid_to=valid_from - datetime.timedelta(days=1)
    )


def retention_rule_add(
    *, actor: Any, kind: str, keep_years: int, action: str, legal_ground: str, valid_from: datetime.date
) -> RetentionRule:
    """A new version of the rule for ``kind``, in force from ``valid_from``; the previous one ends the day before."""
    municipality_id = actor_of(actor).municipality_id
    _require_coordinator(actor, municipality_id)
    if kind == RecordKind.AUDIT and action != Action.ARCHIVE:
        raise ValidationError(
            {
                "action": _(
                    "The audit log is append-only and hash-chained: it can be archived, not anonymised or deleted."
                )
            }
        )
    if not legal_ground.strip():
        raise ValidationError({"legal_ground": _("Name the legal ground of the retention period.")})
    with transaction.atomic():
        _close_previous(RetentionRule.objects.for_tenant(municipality_id).filter(kind=kind), valid_from)
        rule = RetentionRule.objects.create(
            municipality_id=municipality_id,
            kind=kind,
            keep_years=keep_years,
            action=action,
            legal_ground=legal_ground.strip(),
            valid_from=valid_from,
            created_by=actor,
        )
        audit_record(
            action="privacy.rule_add",
            actor=actor,
            obj=rule,
            changes={"kind": kind, "keep_years": keep_years, "action": action, "valid_from": valid_from},
        )
    return rule


def answer_deadline_set(*, actor: Any, days: int, legal_ground: str, valid_from: datetime.date) -> AnswerDeadline:
    municipality_id = actor_of(actor).municipality_id
    _require_coordinator(actor, municipality_id)
    if not legal_ground.strip():
        raise ValidationError({"legal_ground": _("Name the legal ground of the deadline.")})
    with transaction.atomic():
        _close_previous(AnswerDeadline.objects.for_tenant(municipality_id), valid_from)
        deadline = AnswerDeadline.objects.create(
            municipality_id=municipality_id, days=days, legal_ground=legal_ground.strip(), valid_from=valid_from
        )
        audit_record(action="privacy.deadline_set", actor=actor, obj=deadline, changes={"days": days})
    return deadline


# --- Legal holds ---------------------------------------------------------------------------------------------


def legal_hold_place(*, actor: Any, person: Person, reason: str) -> LegalHold:
    policy.require(actor, "subject_access", person)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the records must be kept.")})
    with transaction.atomic():
        hold = LegalHold.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            reason=reason.strip(),
            placed_on=_today(),
            placed_by=actor,
        )
        audit_record(action="privacy.hold_place", actor=actor, obj=person, changes={"hold": hold.pk})
    return hold


def legal_hold_lift(*, actor: Any, hold: LegalHold) -> LegalHold:
    policy.require(actor, "change", hold)
    if hold.lifted_on is not None:
        raise ValidationError(_("This hold was already lifted."))
    with transaction.atomic():
        hold.lifted_on = _today()
        hold.lifted_by = actor
        hold.save(update_fields=["lifted_on", "lifted_by"])
        audit_record(action="privacy.hold_lift", actor=actor, obj=hold.person, changes={"hold": hold.pk})
    return hold


# --- Requests of persons about their data ------------------------------------------------------------------


def _due_on(person: Person, received_on: datetime.date) -> datetime.date:
    deadline = answer_deadline_for(municipality_id=person.municipality_id, on=received_on)
    if deadline is not None:
        days = deadline.days
    else:
        days = int(country_defaults(Municipality.objects.get(pk=person.municipality_id))["answer_deadline"]["days"])
    return received_on + datetime.timedelta(days=days)


def _clean_corrections(corrections: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: v for k, v in (corrections or {}).items() if v not in (None, "")}
    unknown = set(cleaned) - set(RECTIFIABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {
                "corrections": _("These fields cannot be corrected here: %(fields)s")
                % {"fields": ", ".join(sorted(unknown))}
            }
        )
    for key, value in list(cleaned.items()):
        if isinstance(value, datetime.date):
            cleaned[key] = value.isoformat()
    return cleaned


def subject_request_register(
    *,
    actor: Any,
    person: Person,
    kind: str,
    received_on: datetime.date,
    details: str = "",
    corrections: dict[str, Any] | None = None,
) -> SubjectRequest:
    policy.require(actor, "subject_access", person)
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose the kind of request.")})
    if received_on > _today():
        raise ValidationError({"received_on": _("The date a request was received cannot be in the future.")})
    cleaned = _clean_corrections(corrections or {}) if kind == RequestKind.RECTIFICATION else {}
    if kind == RequestKind.RECTIFICATION and not cleaned:
        raise ValidationError({"corrections": _("Enter at least one corrected value.")})
    with transaction.atomic():
        request = SubjectRequest.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            kind=kind,
            received_on=received_on,
            details=details.strip(),
            corrections=cleaned,
            due_on=_due_on(person, received_on),
            registered_by=actor,
        )
        audit_record(
            action="privacy.request_register",
            actor=actor,
            obj=person,
            changes={"request": request.pk, "kind": kind, "fields": sorted(cleaned)},
        )
    return request


def subject_request_decide(*, actor: Any, request: SubjectRequest, grant: bool, reason: str) -> SubjectRequest:
    """Decide a request with a reason and carry it out. An erasure of what the law keeps is refused with the
    ground (the coordinator's grant cannot override the law); a rectification goes through people's service."""
    policy.require(actor, "change", request)
    if request.status != RequestStatus.REGISTERED:
        raise ValidationError(_("This request was already decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    person = request.person
    status = RequestStatus.DONE if grant else RequestStatus.REFUSED
    grounds: list[dict[str, Any]] = []
    with transaction.atomic():
        if grant and request.kind == RequestKind.ERASURE:
            grounds = what_the_law_keeps(person=person)
            if grounds:
                status = RequestStatus.REFUSED
            else:
                _erase(person=person, request=request)
        elif grant and request.kind == RequestKind.RECTIFICATION:
            fields = dict(request.corrections)
            if fields.get("birth_date"):
                fields["birth_date"] = datetime.date.fromisoformat(fields["birth_date"])
            people_services.person_update(actor=actor, person=person, purpose="rectification", **fields)
        request.status = status
        request.decided_on = _today()
        request.decided_by = actor
        request.decision_reason = reason.strip()
        request.grounds = grounds
        request.save(update_fields=["status", "decided_on", "decided_by", "decision_reason", "grounds"])
        audit_record(
            action="privacy.request_decide",
            actor=actor,
            obj=person,
            changes={
                "request": request.pk,
                "kind": request.kind,
                "granted": grant,
                "status": status,
                "grounds": [g["code"] for g in grounds],
            },
        )
    return request


def _dispose(*, kind: str, obj: Any, disposition: str, ground: str = "", run: Any = None, request: Any = None) -> None:
    RecordDisposal.objects.create(
        municipality_id=obj.municipality_id,
        kind=kind,
        model=obj._meta.label_lower,
        object_id=obj.pk,
        disposition=disposition,
        ground=ground[:500],
        run=run,
        request=request,
    )


def _erase(*, person: Person, request: SubjectRequest) -> None:
    """Erasure granted and nothing kept by law: anonymise the person's case files, deliveries, requests for help
    (matched by contact) and identity."""
    m = person.municipality_id
    for case in Case.objects.for_tenant(m).filter(person=person).exclude(pk__in=disposed_ids(m, "cases.case")):
        anonymise.case_anonymise(case)
        _dispose(kind=RecordKind.CASE_FILE, obj=case, disposition=Disposition.ANONYMISED, request=request)
    deliveries = ServiceDelivery.objects.for_tenant(m).filter(person=person)
    for delivery in deliveries.exclude(pk__in=disposed_ids(m, "cases.servicedelivery")):
        _dispose(kind=RecordKind.DELIVERY, obj=delivery, disposition=Disposition.ANONYMISED, request=request)
    contact = Q(pk__in=[])
    if person.email:
        contact |= Q(contact_email__iexact=person.email)
    if person.phone:
        contact |= Q(contact_phone=person.phone)
    for help_request in HelpRequest.objects.for_tenant(m).filter(contact, anonymised_at__isnull=True):
        anonymise.help_request_anonymise(help_request)
    anonymise.person_anonymise(person)
    if not RecordDisposal.objects.for_tenant(m).filter(model="people.person", object_id=person.pk).exists():
        _dispose(kind="person", obj=person, disposition=Disposition.ANONYMISED, request=request)


# --- Subject access ----------------------------------------------------------------------------------------


def subject_access_export(*, actor: Any, person: Person, fmt: str, language: str) -> bytes:
    """Everything CareNet holds about the person, as a PDF (for the person) or JSON (art. 20). Audited
    before a byte leaves: who, which format, how many tables and rows."""
    from .export import subject_access_data, to_json, to_pdf

    policy.require(actor, "subject_access", person)
    data = subject_access_data(person=person, language=language)
    content = to_pdf(data, language=language) if fmt == "pdf" else to_json(data)
    audit_record(
        action="privacy.subject_access",
        actor=actor,
        obj=person,
        purpose="subject_access",
        changes={
            "format": fmt,
            "language": language,
            "tables": len(data["tables"]),
            "rows": sum(t["count"] for t in data["tables"]),
        },
    )
    return content


# --- Retention runs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindHandler:
    kind: str
    model: str
    expired: Callable[[Any, datetime.date], QuerySet]  # (municipality_id, cutoff) -> records past the period
    person_id: Callable[[Any], Any] | None  # the person a hold or an open case protects, if any
    anonymise: Callable[[Any], None]
    delete: Callable[[Any], None]


def _closed_cases(m: Any, before: datetime.date) -> QuerySet:
    return Case.objects.for_tenant(m).filter(
        Q(status=CaseStatus.CLOSED, closed_on__lt=before) | Q(status=CaseStatus.REFUSED, decided_on__lt=before)
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


HANDLERS = (
    KindHandler(
        RecordKind.CASE_FILE,
        "cases.case",
        _closed_cases,
        lambda c: c.person_id,
        anonymise.case_anonymise,
        anonymise.case_delete,
    ),
    KindHandler(
        RecordKind.DELIVERY,
        "cases.servicedelivery",
        lambda m, before: ServiceDelivery.objects.for_tenant(m).filter(delivered_on__lt=before),
        lambda d: d.person_id,
        anonymise.noop,
        lambda d: d.delete(),
    ),
    KindHandler(
        RecordKind.HELP_REQUEST,
        "portal.helprequest",
        lambda m, before: HelpRequest.objects.for_tenant(m).filter(
            status__in=[HelpStatus.CLOSED, HelpStatus.DIRECTED], status_changed_at__lt=_start_of(before)
        ),
        None,
        anonymise.help_request_anonymise,
        lambda h: h.delete(),
    ),
    KindHandler(
        RecordKind.FEEDBACK,
        "portal.servicefeedback",
        lambda m, before: ServiceFeedback.objects.for_tenant(m).filter(created_at__lt=_start_of(before)),
        None,
        anonymise.feedback_anonymise,
        lambda f: f.delete(),
    ),
)

EMPTY_LINE = {"anonymised": 0, "deleted": 0, "archived": 0, "kept_hold": 0, "kept_open": 0, "kept_linked": 0}


def retention_run(*, municipality: Any, actor: Any = None, today: datetime.date | None = None) -> RetentionRun:
    """Apply the schedule in force: what has passed its period is anonymised, deleted or archived, except
    what a legal hold or an open case of the same person protects; then the identity of persons none of whose
    records is still kept. The run's report says what was done, kind by kind."""
    municipality_id = getattr(municipality, "pk", municipality)
    if actor is not None:
        _require_coordinator(actor, municipality_id)
    today = today or _today()
    run = RetentionRun.objects.create(municipality_id=municipality_id, run_on=today, started_by=actor)
    report: dict[str, Any] = {"kinds": {}, "no_rule": [], "persons_anonymised": 0}
    held = active_hold_person_ids(municipality_id)
    open_persons = open_case_person_ids(municipality_id)
    for handler in HANDLERS:
        rule = rule_for(municipality_id=municipality_id, kind=handler.kind, on=today)
        if rule is None:
            report["no_rule"].append(handler.kind)
            continue
        line: dict[str, Any] = dict(
            EMPTY_LINE, action=rule.action, keep_years=rule.keep_years, before=cutoff(rule, today).isoformat()
        )
        candidates = handler.expired(municipality_id, cutoff(rule, today)).exclude(
            pk__in=disposed_ids(municipality_id, handler.model)
        )
        if handler.model == "portal.helprequest":
            candidates = candidates.filter(anonymised_at__isnull=True)
        for record in candidates.iterator(chunk_size=500):
            person_id = handler.person_id(record) if handler.person_id else None
            if person_id is not None and person_id in held:
                line["kept_hold"] += 1
                continue
            if person_id is not None and person_id in open_persons:
                line["kept_open"] += 1
                continue
            try:
                with transaction.atomic():
                    if rule.action == Action.ANONYMISE:
                        handler.anonymise(record)
                        _dispose(
                            kind=handler.kind,
                            obj=record,
                            disposition=Disposition.ANONYMISED,
                            ground=rule.legal_ground,
                            run=run,
                        )
                        line["anonymised"] += 1
                    elif rule.action == Action.DELETE:
                        _dispose(
                            kind=handler.kind,
                            obj=record,
                            disposition=Disposition.DELETED,
                            ground=rule.legal_ground,
                            run=run,
                        )
                        handler.delete(record)
                        line["deleted"] += 1
                    else:
                        _dispose(
                            kind=handler.kind,
                            obj=record,
                            disposition=Disposition.ARCHIVED,
                            ground=rule.legal_ground,
                            run=run,
                        )
                        line["archived"] += 1
            except ProtectedError:
                line["kept_linked"] += 1
        report["kinds"][handler.kind] = line
    report["kinds"][RecordKind.AUDIT] = _audit_line(municipality_id, today)
    if report["kinds"][RecordKind.AUDIT] is None:
        del report["kinds"][RecordKind.AUDIT]
        report["no_rule"].append(RecordKind.AUDIT)
    report["persons_anonymised"] = _anonymise_released_persons(municipality_id, held | open_persons, run)
    with transaction.atomic():
        run.report = report
        run.finished_at = timezone.now()
        run.save(update_fields=["report", "finished_at"])
        audit_record(
            action="privacy.retention_run",
            actor=actor,
            municipality=municipality_id,
            object_type="privacy.retentionrun",
            object_id=run.pk,
            changes=report,
        )
    return run


def _audit_line(municipality_id: Any, today: datetime.date) -> dict[str, Any] | None:
    """The audit log is never rewritten: events past the period are counted as archived (kept, read-only)."""
    rule = rule_for(municipality_id=municipality_id, kind=RecordKind.AUDIT, on=today)
    if rule is None:
        return None
    before = cutoff(rule, today)
    count = AuditEvent.objects.for_tenant(municipality_id).filter(created_at__lt=_start_of(before)).count()
    return dict(
        EMPTY_LINE, action=Action.ARCHIVE, keep_years=rule.keep_years, before=before.isoformat(), archived=count
    )


def _anonymise_released_persons(municipality_id: Any, protected: set[Any], run: RetentionRun) -> int:
    """Persons with at least one record disposed of, none still kept, and nothing protecting them."""
    m = municipality_id
    disposed_cases = disposed_ids(m, "cases.case")
    disposed_deliveries = disposed_ids(m, "cases.servicedelivery")
    touched = set(Case.objects.for_tenant(m).filter(pk__in=disposed_cases).values_list("person_id", flat=True)) | set(
        ServiceDelivery.objects.for_tenant(m).filter(pk__in=disposed_deliveries).values_list("person_id", flat=True)
    )
    still_kept = set(
        Case.objects.for_tenant(m)
        .filter(person_id__in=touched)
        .exclude(pk__in=disposed_cases)
        .values_list("person_id", flat=True)
    ) | set(
        ServiceDelivery.objects.for_tenant(m)
        .filter(person_id__in=touched)
        .exclude(pk__in=disposed_deliveries)
        .values_list("person_id", flat=True)
    )
    archived_persons = set(
        Case.objects.for_tenant(m)
        .filter(
            pk__in=RecordDisposal.objects.for_tenant(m)
            .filter(model="cases.case", disposition=Disposition.ARCHIVED)
            .values("object_id")
        )
        .values_list("person_id", flat=True)
    )
    already = set(disposed_ids(m, "people.person").values_list("object_id", flat=True))
    released = touched - still_kept - protected - archived_persons - already
    count = 0
    for person in Person.objects.for_tenant(m).filter(pk__in=released, merged_into__isnull=True):
        with transaction.atomic():
            anonymise.person_anonymise(person)
            _dispose(kind="person", obj=person, disposition=Disposition.ANONYMISED, run=run)
        count += 1
    return count

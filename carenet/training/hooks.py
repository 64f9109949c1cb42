"""Training's answers to people's registration points (decision 0009): a merge moves the duplicate's training
rows to the kept person; withdrawing the consent that let a trainer receive the person's name withdraws the
person from that trainer's open courses (the place goes to the next one waiting); a panel on the person page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from carenet.audit.services import audit_record

from .models import CvItem, Enrolment, EnrolmentStatus, JobFairParticipant, JobPlacement

OPEN = (EnrolmentStatus.WAITING, EnrolmentStatus.ENROLLED)


def person_merge_move(*, user: Any, survivor: Any, duplicate: Any) -> dict[str, int]:
    tenant = survivor.municipality_id
    moved: dict[str, int] = {}
    survivor_courses = set(
        Enrolment.objects.for_tenant(tenant).filter(person=survivor).values_list("course_id", flat=True)
    )
    # An enrolment in a course the survivor already follows is the same one twice: the duplicate's is withdrawn
    # from the person (kept as history under the survivor would break the one-enrolment rule).
    twice = Enrolment.objects.for_tenant(tenant).filter(person=duplicate, course_id__in=survivor_courses)
    moved["training.enrolment (duplicate course)"] = twice.count()
    twice.delete()
    for model in (Enrolment, CvItem, JobPlacement):
        moved[model._meta.label_lower] = (
            model.objects.for_tenant(tenant).filter(person=duplicate).update(person=survivor)
        )
    fairs = set(JobFairParticipant.objects.for_tenant(tenant).filter(person=survivor).values_list("fair_id", flat=True))
    JobFairParticipant.objects.for_tenant(tenant).filter(person=duplicate, fair_id__in=fairs).delete()
    moved["training.jobfairparticipant"] = (
        JobFairParticipant.objects.for_tenant(tenant).filter(person=duplicate).update(person=survivor)
    )
    audit_record(
        action="training.person_merge", actor=user, obj=survivor, changes={"moved": moved, "from": str(duplicate.pk)}
    )
    return moved


def withdraw_on_consent_withdrawal(*, user: Any, consent: Any) -> int:
    """The trainers the consent covered stop receiving the person's name: their open enrolments end."""
    from .services import waiting_list_promote

    covered = set(consent.scope.values_list("pk", flat=True))
    if not covered:
        return 0
    enrolments = list(
        Enrolment.objects.for_tenant(consent.municipality_id)
        .filter(person_id=consent.person_id, status__in=OPEN, course__organisation_id__in=covered)
        .exclude(case__organisation_id__in=covered)
        .select_related("course")
    )
    for e in enrolments:
        e.status = EnrolmentStatus.WITHDRAWN
        e.save(update_fields=["status"])
        audit_record(
            action="training.enrolment.consent_withdrawn",
            actor=user,
            obj=e,
            object_label=str(e.pk),
            changes={"consent": str(consent.pk)},
        )
        waiting_list_promote(actor=user, course=e.course)
    return len(enrolments)


def describe_consent_use(*, consent: Any) -> list[str]:
    covered = set(consent.scope.values_list("pk", flat=True))
    if not covered:
        return []
    n = (
        Enrolment.objects.for_tenant(consent.municipality_id)
        .filter(person_id=consent.person_id, status__in=OPEN, course__organisation_id__in=covered)
        .count()
    )
    if not n:
        return []
    return [_("%(n)s course enrolment(s) rely on it: withdrawing it withdraws the person from them.") % {"n": n}]


def person_training_panel(request: Any, person: Any) -> dict[str, Any] | None:
    from carenet.cases.permissions import cases_visible_to
    from carenet.core.policy import policy

    from .permissions import enrolments_visible_to

    enrolments = list(
        enrolments_visible_to(request.user)
        .filter(person=person)
        .select_related("course")
        .order_by("-requested_at")[:20]
    )
    cases = [
        c for c in cases_visible_to(request.user).filter(person=person)[:10] if policy.can(request.user, "change", c)
    ]
    if not enrolments and not cases:
        return None
    return {
        "title": _("Training and jobs"),
        "template": "training/_person_panel.html",
        "enrolments": enrolments,
        "cases": cases,
    }

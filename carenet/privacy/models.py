"""The rights the law gives people over their data: retention schedules, legal holds, requests, disposals.

* ``RetentionRule`` — how long a kind of record is kept after it ends, what happens then (anonymise,
  delete, archive) and on which legal ground; versions with validity dates, one set per municipality
  (Romanian law in Baia Mare, Moldovan law in Bălți).
* ``AnswerDeadline`` — how many days a request of a person may wait for a decision.
* ``LegalHold`` — a person whose records must be kept whatever the schedule (litigation, inquiry).
* ``SubjectRequest`` — a request for access, rectification or erasure, and its decision.
* ``RecordDisposal`` — what a retention run or an erasure did to one record (anonymised, deleted,
  archived); an archived record is kept and read-only (Legea 16/1996), which is not deletion.
* ``RetentionRun`` — one run of the schedule and its report.

See docs/decisions/0014-privacy-rights.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carenet.core.tenancy import TenantForeignKey, TenantOwnedModel


class RecordKind(models.TextChoices):
    CASE_FILE = "case_file", _("Case files")
    DELIVERY = "delivery", _("Service deliveries")
    HELP_REQUEST = "help_request", _("Requests for help")
    FEEDBACK = "feedback", _("Feedback on services")
    AUDIT = "audit", _("Audit log")


class Action(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonymise")
    DELETE = "delete", _("Delete")
    ARCHIVE = "archive", _("Archive (kept, read-only)")


class RetentionRule(TenantOwnedModel):
    kind = models.CharField(_("kind of record"), max_length=20, choices=RecordKind.choices)
    keep_years = models.PositiveSmallIntegerField(
        _("kept for (years)"), help_text=_("Counted from the end of the record: closure, delivery, answer.")
    )
    action = models.CharField(_("then"), max_length=10, choices=Action.choices)
    legal_ground = models.CharField(_("legal ground"), max_length=500)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind", "valid_from"], name="retention_rule_once"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="retention_rule_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.keep_years} · {self.get_action_display()}"


class AnswerDeadline(TenantOwnedModel):
    days = models.PositiveSmallIntegerField(_("days to decide a request"))
    legal_ground = models.CharField(_("legal ground"), max_length=500)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("deadline for answering requests")
        verbose_name_plural = _("deadlines for answering requests")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="answer_deadline_once"),
            models.CheckConstraint(condition=models.Q(days__gte=1), name="answer_deadline_positive"),
        ]

    def __str__(self) -> str:
        return str(self.days)


class LegalHold(TenantOwnedModel):
    person = TenantForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    placed_on = models.DateField(pgettext_lazy("legal hold", "placed on"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_on"]
        indexes = [models.Index(fields=["municipality", "person", "lifted_on"], name="legal_hold_person")]

    def __str__(self) -> str:
        return str(self.placed_on)

    @property
    def is_active(self) -> bool:
        return self.lifted_on is None


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to one's data (a copy)")
    RECTIFICATION = "rectification", _("Rectification")
    ERASURE = "erasure", _("Erasure")


class RequestStatus(models.TextChoices):
    REGISTERED = "registered", _("Awaiting a decision")
    DONE = "done", _("Granted and carried out")
    REFUSED = "refused", _("Refused")


class SubjectRequest(TenantOwnedModel):
    person = TenantForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("request"), max_length=14, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"))
    details = models.TextField(_("what the person asks"), blank=True)
    # Rectification: {field name: corrected value}, applied through people.services.person_update.
    corrections = models.JSONField(_("corrections"), default=dict, blank=True)
    due_on = models.DateField(_("decision due by"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.REGISTERED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # What the law requires to keep, as codes with parameters (rendered in the reader's language).
    grounds = models.JSONField(default=list, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("request of a person about their data")
        verbose_name_plural = _("requests of persons about their data")
        ordering = ["due_on"]
        indexes = [models.Index(fields=["municipality", "status", "due_on"], name="subject_request_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="registered") | ~models.Q(decision_reason=""),
                name="subject_request_decision_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.received_on})"


class RetentionRun(TenantOwnedModel):
    run_on = models.DateField(_("date"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return str(self.run_on)


class Disposition(models.TextChoices):
    ANONYMISED = "anonymised", _("Anonymised")
    DELETED = "deleted", _("Deleted")
    ARCHIVED = "archived", _("Archived (kept, read-only)")


class RecordDisposal(TenantOwnedModel):
    """What was done to one record; its presence also keeps a run from doing it twice."""

    kind = models.CharField(max_length=20)  # a RecordKind, or "person" for a person's identity
    model = models.CharField(max_length=60)
    object_id = models.UUIDField()
    disposition = models.CharField(max_length=10, choices=Disposition.choices)
    ground = models.CharField(max_length=500, blank=True)
    run = TenantForeignKey(RetentionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    request = TenantForeignKey(SubjectRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "model", "object_id"], name="record_disposal_once")
        ]

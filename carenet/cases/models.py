"""A case file: intake → social inquiry → decision → contract → intervention plan → assessments → closure.

Every step leaves a ``CaseEvent`` (the timeline). ``Case.version`` is bumped by every write, so
two caseworkers editing the same case never silently overwrite each other (optimistic locking).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from carenet.core.tenancy import TenantForeignKey, TenantOwnedModel


class Channel(models.TextChoices):
    WRITTEN = "written", _("Written request")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    SELF_REFERRAL = "self_referral", _("Self-referral")
    INSTITUTION = "institution", _("Another institution")
    PORTAL = "portal", _("Citizen portal")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    INQUIRY = "inquiry", _("Social inquiry")
    ADMITTED = "admitted", _("Admitted")
    REFUSED = "refused", _("Refused")
    ACTIVE = "active", _("Active (contract signed)")
    CLOSING = "closing", _("Closure awaiting approval")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (CaseStatus.INTAKE, CaseStatus.INQUIRY, CaseStatus.ADMITTED, CaseStatus.ACTIVE, CaseStatus.CLOSING)


class Outcome(models.TextChoices):
    GOALS_MET = "goals_met", _("Goals of the plan met")
    PARTLY_MET = "partly_met", _("Goals partly met")
    TRANSFERRED = "transferred", _("Transferred to another service")
    MOVED = "moved", _("Moved away")
    DECEASED = "deceased", _("Deceased")
    WITHDREW = "withdrew", _("The person withdrew")
    OTHER = "other", _("Other")


class Case(TenantOwnedModel):
    reference = models.CharField(_("reference number"), max_length=40)
    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    person = TenantForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="cases")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("how the request came"), max_length=20, choices=Channel.choices)
    request_summary = models.TextField(_("what is asked"), blank=True)
    referred_by = models.CharField(_("referred by (institution)"), max_length=200, blank=True)
    legal_basis = models.CharField(
        _("legal basis for sharing"),
        max_length=300,
        blank=True,
        help_text=_("When the record is shared without consent: the law that allows it."),
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.INTAKE)
    opened_on = models.DateField(_("opened on"))
    # Decision
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    directed_to = models.CharField(_("directed to"), max_length=300, blank=True)
    # Contract
    contract_number = models.CharField(_("contract number"), max_length=40, blank=True)
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    # Closure
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    closure_note = models.TextField(_("closure note"), blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on"]
        indexes = [
            models.Index(fields=["municipality", "organisation", "status"], name="case_org_status"),
            models.Index(fields=["municipality", "caseworker", "status"], name="case_worker_status"),
            models.Index(fields=["municipality", "person"], name="case_person"),
            # "My cases" and case lists are newest first: the index order lets LIMIT stop early.
            models.Index(fields=["municipality", "caseworker", "-opened_on"], name="case_worker_opened"),
            models.Index(fields=["municipality", "organisation", "-opened_on"], name="case_org_opened"),
            models.Index(fields=["municipality", "-opened_on"], name="case_recent"),  # coordinators' lists
        ]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reference"], name="case_reference_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="case_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


EVENT_LABELS = {
    "open": _("Case opened"),
    "update": _("Case details changed"),
    "inquiry": _("Social inquiry recorded"),
    "admit": _("Admitted"),
    "refuse": _("Refused"),
    "contract": _("Contract signed"),
    "plan_create": _("Intervention plan started"),
    "plan_action": _("Action added to the plan"),
    "plan_submit": _("Plan submitted for approval"),
    "plan_approve": _("Plan approved"),
    "plan_return": _("Plan returned for changes"),
    "assessment": _("Assessment recorded"),
    "closure_request": _("Closure requested"),
    "closure_reject": _("Closure sent back"),
    "close": _("Case closed"),
    "note": _("Note added"),
    "document": _("Document uploaded"),
    "task": _("Task added"),
    "task_done": _("Task done"),
    "duty": _("Monitoring duty added"),
    "visit": _("Monitoring visit recorded"),
    "person_merge": _("A duplicate record of the person was merged into this person's record"),
}


# Labels of events written on a case's timeline by higher layers (referrals: "referral_send", "transfer"…),
# registered by them (cases cannot import them): the timeline shows every kind in the reader's language.
EXTRA_EVENT_LABELS: dict[str, Any] = {}
# Choices a summary may name by code ("channel:in_person"): rendered in the reader's language at read time.
SUMMARY_CHOICES: dict[str, Any] = {}


def register_event_labels(labels: dict[str, Any], *, prefix: str = "") -> None:
    EXTRA_EVENT_LABELS.update({f"{prefix}{kind}": label for kind, label in labels.items()})


def register_summary_choices(name: str, choices: Any) -> None:
    SUMMARY_CHOICES[name] = choices


class CaseEvent(TenantOwnedModel):
    """One line of the case's timeline: a kind and either free text (a title, a number) or, for a coded value,
    ``summary_code`` ("channel:in_person", "date:2026-01-31"), both rendered in the reader's language."""

    case = TenantForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=40)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    summary_code = models.CharField(max_length=120, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-at", "-id"]

    @property
    def label(self) -> str:
        label = EVENT_LABELS.get(self.kind) or EXTRA_EVENT_LABELS.get(self.kind)
        return str(label) if label is not None else str(_("Event recorded"))

    @property
    def text(self) -> str:
        """The summary in the reader's language."""
        if not self.summary_code:
            return self.summary
        name, _sep, value = self.summary_code.partition(":")
        if name == "date":
            import datetime

            from django.utils.formats import date_format

            try:
                return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
            except ValueError:
                return value
        choices = SUMMARY_CHOICES.get(name)
        if choices is not None:
            return str(dict(choices.choices).get(value, self.summary))
        return self.summary


class HousingKind(models.TextChoices):
    OWNED = "owned", _("Owned home")
    RENTED = "rented", _("Rented")
    SOCIAL = "social", _("Social housing")
    RELATIVES = "relatives", _("Living with relatives")
    INFORMAL = "informal", _("Informal / precarious")
    HOMELESS = "homeless", _("Homeless")


class Risk(models.TextChoices):
    POVERTY = "poverty", _("Poverty")
    NEGLECT = "neglect", _("Neglect")
    VIOLENCE = "violence", _("Domestic violence")
    ABANDONMENT = "abandonment", _("Risk of abandonment / separation from family")
    SCHOOL_DROPOUT = "school_dropout", _("School dropout")
    ADDICTION = "addiction", _("Addiction")
    ISOLATION = "isolation", _("Social isolation")
    PARENTS_ABROAD = "parents_abroad", _("Parents working abroad")
    DISABILITY = "disability", _("Disability without support")
    HOUSING = "housing", _("Housing loss")


class SocialInquiry(TenantOwnedModel):
    """Anchetă socială: a structured assessment at the person's home."""

    case = TenantForeignKey(Case, on_delete=models.CASCADE, related_name="inquiries")
    visited_on = models.DateField(_("visit date"))
    household_size = models.PositiveSmallIntegerField(_("persons in the household"), default=1)
    household_notes = models.TextField(_("household composition"), blank=True)
    monthly_income = models.DecimalField(
        _("household income per month"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    income_sources = models.CharField(_("sources of income"), max_length=300, blank=True)
    housing = models.CharField(_("housing"), max_length=12, choices=HousingKind.choices)
    housing_notes = models.TextField(_("housing conditions"), blank=True)
    health = models.TextField(_("health"), blank=True)
    education = models.TextField(_("education"), blank=True)
    risks = models.JSONField(_("risks"), default=list, blank=True)
    conclusions = models.TextField(_("conclusions and proposals"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("social inquiry")
        verbose_name_plural = _("social inquiries")
        ordering = ["-visited_on"]

    @property
    def risk_labels(self) -> list[str]:
        """The risks in the reader's language (stored as codes)."""
        labels = dict(Risk.choices)
        return [str(labels.get(code, code)) for code in self.risks or []]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting supervisor approval")
    APPROVED = "approved", _("Approved")


class InterventionPlan(TenantOwnedModel):
    """Plan individualizat de intervenție."""

    case = TenantForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    goals = models.TextField(_("goals"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    review_on = models.DateField(
        _("review the plan on"), null=True, blank=True, help_text=_("When the plan is reviewed with the person.")
    )
    # A supervisor may send a submitted plan back to draft with a reason; the last return stays shown
    # until the plan is submitted again.
    returned_reason = models.CharField(_("reason for returning the plan"), max_length=1000, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("individual intervention plan")
        verbose_name_plural = _("individual intervention plans")
        ordering = ["-created_at"]


class PlanAction(TenantOwnedModel):
    plan = TenantForeignKey(InterventionPlan, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(_("action"), max_length=300)
    responsible = models.CharField(_("responsible"), max_length=200)
    # The goal is met through a service of the network and by a named member of staff, when known.
    service = TenantForeignKey(
        "directory.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member of staff"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due date"))
    follow_up_weeks = models.PositiveSmallIntegerField(
        _("follow-up every (weeks)"),
        null=True,
        blank=True,
        help_text=_("Leave empty if no periodic follow-up is needed."),
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["due_on"]


class AssessmentKind(models.TextChoices):
    INITIAL = "initial", _("Initial")
    INTERMEDIATE = "intermediate", _("Intermediate")
    FINAL = "final", _("Final")


class AssessmentVariant(models.TextChoices):
    GENERAL = "general", _("Needs assessment")
    CHILD = "child", _("Child protection assessment")


class Domain(models.TextChoices):
    """The domains an assessment rates. The general variant follows the social inquiry's headings; the child
    protection variant the child's needs, the parents' capacity and the family's environment."""

    HOUSING = "housing", _("Housing")
    INCOME = "income", _("Income and material needs")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education and employment")
    SAFETY = "safety", _("Safety (violence, abuse, neglect)")
    FAMILY = "family", _("Family and social relationships")
    AUTONOMY = "autonomy", _("Autonomy in daily life")
    THERMAL = "thermal", _("Exposure to heat and cold")
    CHILD_SAFETY = "child_safety", _("The child's safety (abuse, neglect, exploitation)")
    CHILD_DEVELOPMENT = "child_development", _("The child's health and development")
    CHILD_EDUCATION = "child_education", _("The child's schooling")
    PARENTING = "parenting", _("Parenting capacity")
    FAMILY_ENVIRONMENT = "family_environment", _("Family environment and housing")


DOMAINS_OF_VARIANT: dict[str, list[str]] = {
    AssessmentVariant.GENERAL: [
        Domain.HOUSING,
        Domain.INCOME,
        Domain.HEALTH,
        Domain.EDUCATION,
        Domain.SAFETY,
        Domain.FAMILY,
        Domain.AUTONOMY,
        Domain.THERMAL,
    ],
    AssessmentVariant.CHILD: [
        Domain.CHILD_SAFETY,
        Domain.CHILD_DEVELOPMENT,
        Domain.CHILD_EDUCATION,
        Domain.PARENTING,
        Domain.FAMILY_ENVIRONMENT,
        Domain.INCOME,
        Domain.THERMAL,
    ],
}


class RiskLevel(models.IntegerChoices):
    NONE = 0, _("No risk")
    LOW = 1, _("Low risk")
    MEDIUM = 2, _("Medium risk")
    HIGH = 3, _("High risk")


class Assessment(TenantOwnedModel):
    case = TenantForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("assessment"), max_length=12, choices=AssessmentKind.choices)
    variant = models.CharField(
        _("assessment form"), max_length=10, choices=AssessmentVariant.choices, default=AssessmentVariant.GENERAL
    )
    assessed_on = models.DateField(_("date"))
    summary = models.TextField(_("findings"))
    progress = models.PositiveSmallIntegerField(_("progress towards the goals (0–100 %)"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["assessed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__isnull=True) | models.Q(progress__lte=100), name="assessment_progress_pct"
            )
        ]


class DomainRating(TenantOwnedModel):
    """The risk an assessment finds in one domain, with what the worker saw."""

    assessment = TenantForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    domain = models.CharField(_("domain"), max_length=20, choices=Domain.choices)
    level = models.PositiveSmallIntegerField(_("risk level"), choices=RiskLevel.choices)
    note = models.CharField(_("what was found"), max_length=500, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("domain rating")
        verbose_name_plural = _("domain ratings")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "assessment", "domain"], name="domain_rating_once"),
            models.CheckConstraint(condition=models.Q(level__lte=3), name="domain_rating_level_range"),
        ]


class Note(TenantOwnedModel):
    case = TenantForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at"]


class DocumentKind(models.TextChoices):
    REQUEST = "request", _("Written request")
    INQUIRY = "inquiry", _("Social inquiry (signed)")
    DECISION = "decision", _("Decision")
    CONTRACT = "contract", _("Contract")
    PLAN = "plan", _("Intervention plan (signed)")
    CERTIFICATE = "certificate", _("Certificate (medical, disability, income)")
    OTHER = "other", _("Other")


def case_upload_to(instance: CaseDocument, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"cases/{instance.municipality_id}/{uuid.uuid4().hex}.{ext}"


class CaseDocument(TenantOwnedModel):
    case = TenantForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=12, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=case_upload_to)
    original_name = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["-uploaded_at"]


class Task(TenantOwnedModel):
    case = TenantForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due date"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on"]
        indexes = [models.Index(fields=["municipality", "assignee", "done_at", "due_on"], name="task_due")]


class DutyKind(models.TextChoices):
    REINTEGRATION = "reintegration", _("Child reintegrated in the family (at least 6 months)")
    PARENTS_ABROAD = "parents_abroad", _("Child with parents working abroad")
    PLAN_FOLLOW_UP = "plan_follow_up", _("Follow-up defined in the intervention plan")


class MonitoringDuty(TenantOwnedModel):
    """A recurring obligation to visit: the next visit is due ``interval_weeks`` after the last one."""

    case = TenantForeignKey(Case, on_delete=models.CASCADE, related_name="duties")
    kind = models.CharField(_("monitoring duty"), max_length=16, choices=DutyKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    interval_weeks = models.PositiveSmallIntegerField(_("visit every (weeks)"))
    next_due_on = models.DateField(_("next visit due"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("responsible"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The person the parents declared (cases.legal: HG 691/2015 in Romania, Law 140/2013 in Moldova) as the child's carer while they work abroad.
    carer_name = models.CharField(_("declared carer"), max_length=200, blank=True)
    carer_relation = models.CharField(_("carer's relation to the child"), max_length=100, blank=True)
    parents_country = models.CharField(_("country where the parents work"), max_length=100, blank=True)
    plan_action = TenantForeignKey(PlanAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_overdue = models.BooleanField(default=False)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("monitoring duty")
        verbose_name_plural = _("monitoring duties")
        ordering = ["next_due_on"]
        indexes = [models.Index(fields=["municipality", "completed_on", "next_due_on"], name="duty_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="duty_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(interval_weeks__gte=1), name="duty_interval_positive"),
        ]


class MonitoringVisit(TenantOwnedModel):
    duty = TenantForeignKey(MonitoringDuty, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visit date"))
    findings = models.TextField(_("findings"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        ordering = ["-visited_on"]


# The units deliveries are counted in (stored as codes), each with its plural forms in the reader's language.
UNIT_LABELS: dict[str, Any] = {
    "act": ngettext_lazy("%(qty)s act", "%(qty)s acts", "n"),
    "hour": ngettext_lazy("%(qty)s hour", "%(qty)s hours", "n"),
    "meal": ngettext_lazy("%(qty)s meal", "%(qty)s meals", "n"),
    "session": ngettext_lazy("%(qty)s session", "%(qty)s sessions", "n"),
}


class ServiceDelivery(TenantOwnedModel):
    """One act of service: counts of unique persons and of acts both come from these rows."""

    person = TenantForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    service = TenantForeignKey(
        "directory.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    case = TenantForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries")
    delivered_on = models.DateField(_("date"))
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2, default=1)
    unit = models.CharField(_("unit"), max_length=30, default="act")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_synthetic = models.BooleanField(default=False)

    @property
    def amount(self) -> str:
        """The quantity with its unit, in the reader's language ("3 ore", "1 meal")."""
        from django.utils.formats import number_format

        whole = self.quantity == self.quantity.to_integral()
        shown = number_format(int(self.quantity) if whole else self.quantity, use_l10n=True)
        label = UNIT_LABELS.get(self.unit)
        if label is None:
            return f"{shown} {self.unit}"
        return str(label % {"n": int(self.quantity) if whole else 2, "qty": shown})

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("service delivery")
        verbose_name_plural = _("service deliveries")
        ordering = ["-delivered_on"]
        indexes = [
            models.Index(fields=["municipality", "organisation", "delivered_on"], name="delivery_org_date"),
            models.Index(fields=["municipality", "person", "delivered_on"], name="delivery_person_date"),
            models.Index(fields=["municipality", "service", "delivered_on"], name="delivery_service_date"),
            # The coordinators' list and its cursor pages, newest first (issue 23): page 200 costs page 1.
            models.Index(fields=["municipality", "-delivered_on", "-id"], name="delivery_recent"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="delivery_quantity_positive")]


register_summary_choices("channel", Channel)
register_summary_choices("assessment", AssessmentKind)
register_summary_choices("document", DocumentKind)
register_summary_choices("duty", DutyKind)

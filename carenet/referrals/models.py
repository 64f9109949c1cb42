"""Closed-loop referrals between providers, case transfers, and in-app notifications.

A referral goes from a case of the sending provider to a service in the directory (of any
provider, any sector). It carries a chosen subset of the dossier (the ``share_*`` flags and the
named documents) and the ground that allows sharing: a consent of the person covering the
receiving provider, the legal basis recorded on the case, or a supervisor's emergency override.
Its timeline (``ReferralEvent``) is what the receiver sees; the sender's case timeline gets the
same events.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantForeignKey, TenantManyToManyField, TenantOwnedModel


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired (no answer in time)")


# While a referral is in one of these, the receiving provider sees what was shared.
OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
# Waiting for the receiver's answer: these expire when the response time runs out.
AWAITING_ANSWER = (ReferralStatus.SENT, ReferralStatus.RECEIVED)
CLOSED_STATUSES = (
    ReferralStatus.DECLINED,
    ReferralStatus.COMPLETED,
    ReferralStatus.CANCELLED,
    ReferralStatus.EXPIRED,
)


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class SharingBasis(models.TextChoices):
    CONSENT = "consent", _("Consent of the person")
    LEGAL = "legal", _("Legal basis recorded on the case")
    EMERGENCY = "emergency", _("Emergency override by a supervisor")


class ReferralOutcome(models.TextChoices):
    GOALS_MET = "goals_met", _("Need met")
    PARTLY_MET = "partly_met", _("Need partly met")
    NOT_MET = "not_met", _("Need not met")
    PERSON_WITHDREW = "withdrew", _("The person withdrew")
    NO_SHOW = "no_show", _("The person did not come")
    OTHER = "other", _("Other")


# The parts of the dossier a referral may share (the flags below), in display order.
SHARE_FIELDS = (
    ("share_identity", _("Identity (name, date of birth, sex, national identifier)")),
    ("share_contact", _("Contact (address, phone, e-mail)")),
    ("share_inquiry", _("Social inquiry summary (conclusions, risks, housing)")),
    ("share_plan", _("Individual intervention plan (goals and actions)")),
    ("share_special", _("Special-category data (health, disability)")),
)


class Referral(TenantOwnedModel):
    reference = models.CharField(_("reference number"), max_length=40)
    case = TenantForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="referrals_sent"
    )
    # Denormalised from the case and the service: the visibility queries filter on them.
    person = TenantForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    from_organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("sending provider"), on_delete=models.PROTECT, related_name="+"
    )
    to_service = TenantForeignKey(
        "directory.Service", verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("receiving provider"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason for the referral"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    # What is shared
    share_identity = models.BooleanField(_("share identity"), default=True)
    share_contact = models.BooleanField(_("share contact details"), default=False)
    share_inquiry = models.BooleanField(_("share the social inquiry summary"), default=False)
    share_plan = models.BooleanField(_("share the intervention plan"), default=False)
    share_special = models.BooleanField(_("share special-category data"), default=False)
    shared_documents = TenantManyToManyField(  # type: ignore[var-annotated]
        "cases.CaseDocument",
        through="ReferralSharedDocument",
        verbose_name=_("shared documents"),
        blank=True,
        related_name="+",
    )
    # Why sharing is allowed
    basis = models.CharField(_("basis for sharing"), max_length=10, choices=SharingBasis.choices, blank=True)
    consent = TenantForeignKey(
        "people.Consent", verbose_name=_("consent"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    emergency_override = models.BooleanField(_("emergency override"), default=False)
    override_reason = models.TextField(_("reason for the emergency override"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Workflow
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    response_days = models.PositiveSmallIntegerField(_("response time (days)"), null=True, blank=True)
    respond_by = models.DateTimeField(_("answer due by"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    suggested_service = TenantForeignKey(
        "directory.Service",
        verbose_name=_("suggested alternative service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggested_alternative = models.CharField(_("suggested alternative"), max_length=300, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ReferralOutcome.choices, blank=True)
    feedback = models.TextField(_("feedback to the sender"), blank=True)
    # The receiver's own case, if it opened one: it stays after the referral closes.
    receiver_case = TenantForeignKey(
        "cases.Case",
        verbose_name=_("case opened by the receiver"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_received",
    )
    place_taken = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["municipality", "from_organisation", "status"], name="referral_from_status"),
            models.Index(fields=["municipality", "to_organisation", "status"], name="referral_to_status"),
            models.Index(fields=["municipality", "status", "respond_by"], name="referral_due"),
            models.Index(fields=["municipality", "person", "status"], name="referral_person_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reference"], name="referral_reference_unique"),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed") | ~models.Q(outcome=""),
                name="referral_completed_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(emergency_override=False) | ~models.Q(override_reason=""),
                name="referral_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_awaiting_answer(self) -> bool:
        return self.status in AWAITING_ANSWER

    def shared_labels(self) -> list[str]:
        return [str(label) for name, label in SHARE_FIELDS if getattr(self, name)]


class ReferralSharedDocument(TenantOwnedModel):
    """One document of the case a referral shares (the through table of ``Referral.shared_documents``)."""

    referral = TenantForeignKey(Referral, on_delete=models.CASCADE, related_name="+")
    casedocument = TenantForeignKey("cases.CaseDocument", on_delete=models.CASCADE, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        db_table = "referrals_referral_shared_documents"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "referral", "casedocument"], name="referral_shared_document_once"
            )
        ]


class ReferralEvent(TenantOwnedModel):
    """One line of the referral's own timeline (seen by both providers)."""

    referral = TenantForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=40)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    # A coded summary ("outcome:goals_met", "basis:consent"), rendered in the reader's language (``text``).
    summary_code = models.CharField(max_length=120, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    organisation = TenantForeignKey("core.Organisation", null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")
        ordering = ["-at", "-id"]

    @property
    def text(self) -> str:
        name, _sep, value = self.summary_code.partition(":")
        choices = {"outcome": ReferralOutcome, "basis": SharingBasis, "urgency": Urgency}.get(name)
        if choices is None:
            return self.summary
        return str(dict(choices.choices).get(value, self.summary))


class CaseTransfer(TenantOwnedModel):
    """A case handed over to another provider (ownership change), with the ground that allowed it."""

    case = TenantForeignKey("cases.Case", on_delete=models.PROTECT, related_name="transfers")
    from_organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("from provider"), on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("to provider"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason for the transfer"))
    basis = models.CharField(_("basis for sharing"), max_length=10, choices=SharingBasis.choices)
    consent = TenantForeignKey("people.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    override_reason = models.TextField(_("reason for the emergency override"), blank=True)
    transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_organisation=models.F("to_organisation")), name="transfer_changes_owner"
            ),
        ]


class Notification(TenantOwnedModel):
    """An in-app message to one user (the same one is also e-mailed)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    referral = TenantForeignKey(Referral, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    # The message as written (its recipient's language then); ``params`` lets the page render a known kind
    # again in the reader's language of the day (``text``).
    message = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> str:
        """The message in the reader's language (known kinds with their parameters), else as stored."""
        from .services.notifications import NOTIFICATION_MESSAGES

        template = NOTIFICATION_MESSAGES.get(self.kind)
        if template is None or not self.params:
            return self.message
        params = dict(self.params)
        params["urgency"] = str(dict(Urgency.choices).get(params.get("urgency", ""), params.get("urgency", "")))
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            return self.message


class ResponseTime(TenantOwnedModel):
    """The municipality's response deadline for a referral of one urgency, with the dates it applies between:
    an urgent referral gets a shorter deadline than a routine one (a tenant value, never a constant)."""

    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    days = models.PositiveSmallIntegerField(_("answer within (days)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("referral response time")
        verbose_name_plural = _("referral response times")
        ordering = ["urgency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "urgency", "valid_from"], name="response_time_unique"),
            models.CheckConstraint(condition=models.Q(days__gte=1), name="response_time_days_positive"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="response_time_dates_order",
            ),
        ]

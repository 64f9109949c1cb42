"""Volunteering, recognition and rewards (issue 21, decision 0022).

* **Volunteers** sign up on the portal (adults; minors with a guardian's consent) with their skills and the
  weekdays they are free; the background check (Legea 78/2014 for work with children or vulnerable adults in
  Romania; the criminal-record check of Moldova's law) is a status with a date and an expiry.
* **Opportunities** of an organisation (one-off or recurring, a place, skills, spots); a volunteer
  **applies**, the organiser **confirms**; each turn is an **attendance** checked in and out (device-made
  key: a resend is never counted twice) whose hours count only once the organiser **confirms** them.
* **Recognition**: points by the municipality's **rules** (rows with validity dates and a daily cap), written
  to a **ledger** only from a confirmed attendance or a confirmed civic participation; **levels and badges**
  by thresholds (rows); **rewards** offered by partner organisations with a stock; a **redemption** is a
  single-use code the partner checks without learning who redeemed it.

Every row is tenant-owned (docs/architecture.md §10); the tenant's values (ages, caps, points, thresholds)
are rows with validity dates, never constants.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantForeignKey, TenantOwnedModel


class VolunteeringPolicy(TenantOwnedModel):
    """The municipality's volunteering rules in force between two dates (the law of its country)."""

    adult_age = models.PositiveSmallIntegerField(_("age of majority"), default=18)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), default=15)
    background_check_months = models.PositiveSmallIntegerField(_("background check valid for (months)"), default=12)
    gamification = models.BooleanField(_("points, levels and badges shown"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="volunteering_policy_from_unique"),
            models.CheckConstraint(
                condition=models.Q(minimum_age__lte=models.F("adult_age")), name="volunteering_policy_ages"
            ),
        ]


class Skill(TenantOwnedModel):
    """One entry of the municipality's list of volunteering skills."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="volunteering_skill_unique")]

    def __str__(self) -> str:
        return self.name


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class CheckStatus(models.TextChoices):
    NONE = "none", _("Not checked")
    PENDING = "pending", _("Check requested")
    CLEARED = "cleared", _("Cleared")
    REFUSED = "refused", _("Not cleared")


class Volunteer(TenantOwnedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    weekdays = models.JSONField(_("days free"), default=list, blank=True)  # 0 = Monday … 6 = Sunday
    guardian_name = models.CharField(_("parent or guardian"), max_length=200, blank=True)
    guardian_consent_on = models.DateField(_("guardian's consent given on"), null=True, blank=True)
    background_check = models.CharField(
        _("background check"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.NONE
    )
    background_checked_on = models.DateField(_("checked on"), null=True, blank=True)
    background_valid_to = models.DateField(_("check valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.PENDING
    )
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"], condition=models.Q(user__isnull=False), name="volunteer_user_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class OpportunityKind(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    RECURRING = "recurring", _("Recurring")


class OpportunityStatus(models.TextChoices):
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Closed")


class Opportunity(TenantOwnedModel):
    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OpportunityKind.choices, default=OpportunityKind.ONE_OFF)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    weekdays = models.JSONField(_("days of the week"), default=list, blank=True)
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("to"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    skills = models.JSONField(_("skills wanted"), default=list, blank=True)
    spots = models.PositiveSmallIntegerField(_("places"), default=1)
    with_vulnerable = models.BooleanField(_("work with children or vulnerable adults"), default=False)
    civic = models.BooleanField(_("civic action open to vulnerable groups"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN
    )
    # The initiative in the activities register (KPI 12 counts it there: one figure, one selector).
    activity = TenantForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="opportunity_dates_order",
            ),
            models.CheckConstraint(condition=models.Q(spots__gte=1), name="opportunity_spots_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(TenantOwnedModel):
    opportunity = TenantForeignKey(Opportunity, on_delete=models.CASCADE, related_name="applications")
    volunteer = TenantForeignKey(Volunteer, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "opportunity", "volunteer"], name="volunteering_application_once"
            )
        ]


class AttendanceStatus(models.TextChoices):
    RECORDED = "recorded", _("Waiting for the organiser")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")


class Attendance(TenantOwnedModel):
    """One turn of a confirmed volunteer: checked in and out; its hours count once the organiser confirms."""

    application = TenantForeignKey(Application, on_delete=models.CASCADE, related_name="attendances")
    day = models.DateField(_("day"))
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.RECORDED
    )
    client_key = models.UUIDField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="volunteering_attendance_key_once",
            ),
            models.CheckConstraint(condition=models.Q(hours__gte=0), name="volunteering_attendance_hours"),
        ]


class PointsReason(models.TextChoices):
    HOURS = "hours", _("Confirmed volunteering hours")
    CIVIC = "civic", _("Participation in a civic action")


class PointsRule(TenantOwnedModel):
    """Points the municipality gives for one reason (per hour, or per participation), with a daily cap."""

    reason = models.CharField(_("for"), max_length=10, choices=PointsReason.choices)
    points = models.PositiveIntegerField(_("points"))
    daily_cap = models.PositiveIntegerField(_("most points a day"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["reason", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reason", "valid_from"], name="points_rule_from_unique")
        ]


class PointsEntry(TenantOwnedModel):
    """One line of a volunteer's points ledger: earned (positive, from a confirmation) or spent (negative)."""

    volunteer = TenantForeignKey(Volunteer, on_delete=models.CASCADE, related_name="points")
    attendance = TenantForeignKey(Attendance, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    redemption = TenantForeignKey(
        "volunteering.Redemption", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=10)
    day = models.DateField(_("day"))
    points = models.IntegerField(_("points"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-day", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "attendance"],
                condition=models.Q(attendance__isnull=False),
                name="points_once_per_attendance",
            )
        ]


class RecognitionKind(models.TextChoices):
    LEVEL = "level", _("Level")
    BADGE = "badge", _("Badge")


class Recognition(TenantOwnedModel):
    """A level (by points) or a badge (by confirmed hours), from a threshold the municipality sets."""

    kind = models.CharField(_("kind"), max_length=10, choices=RecognitionKind.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    threshold = models.PositiveIntegerField(_("threshold"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["kind", "threshold"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="recognition_code_unique")]


class Reward(TenantOwnedModel):
    partner = TenantForeignKey(
        "core.Organisation", verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("reward"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cost = models.PositiveIntegerField(_("points"))
    stock = models.PositiveIntegerField(_("in stock"))
    valid_to = models.DateField(_("offered until"), null=True, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["cost", "title"]
        constraints = [models.CheckConstraint(condition=models.Q(cost__gte=1), name="reward_cost_positive")]

    def __str__(self) -> str:
        return self.title


class Redemption(TenantOwnedModel):
    """A reward taken: a single-use code the partner checks (the partner sees the code, never the volunteer)."""

    reward = TenantForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    volunteer = TenantForeignKey(Volunteer, on_delete=models.PROTECT, related_name="redemptions")
    code = models.CharField(_("code"), max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="redemption_code_unique")]


class Certificate(TenantOwnedModel):
    """A certificate of volunteering hours (Legea 78/2014), with a code anyone can verify on the portal."""

    volunteer = TenantForeignKey(Volunteer, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(_("verification code"), max_length=20)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="certificate_code_unique")]

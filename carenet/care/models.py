"""Care matching between families and nearby caregivers (issue 21, decision 0022).

* A **care request**: the person cared for (a registry person with consent, or entered by the family on the
  portal), the kind of care, the weekdays, start time and hours, the address and its coordinates, the needs;
* **caregivers**: profile, kinds of care, qualifications and training completed, languages, home point and
  the distance they travel, and the **weekly slots** they edit themselves;
* a **booking** proposes one caregiver for a request; it is confirmed by both the family (or the social
  worker) and the caregiver; only then does the caregiver see the address and the needs;
* **visits** (start/end, device-made key), **ratings** both ways, **complaints** to the coordinator;
* a **cover**: one date of a confirmed booking the caregiver will not (or did not) come, and the substitute
  chosen for that one visit, who confirms and only then sees the address, and records that visit (``Visit.cover``).
  The expected visits themselves are computed from the request's days and time, never stored.

The matching rules (the farthest distance, the minimum training) are rows with validity dates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantForeignKey, TenantOwnedModel


class CareKind(models.TextChoices):
    COMPANIONSHIP = "companionship", _("Companionship")
    PERSONAL = "personal", _("Personal care")
    HOUSEHOLD = "household", _("Household help")
    RESPITE = "respite", _("Respite for the family")


class MatchingRule(TenantOwnedModel):
    """The municipality's matching rules in force between two dates."""

    max_distance_km = models.DecimalField(_("farthest distance (km)"), max_digits=5, decimal_places=1, default=5)
    require_training = models.BooleanField(_("only caregivers who completed the training"), default=True)
    proposals = models.PositiveSmallIntegerField(_("caregivers proposed"), default=5)
    # No law states how late a carer may be: 30 minutes is the default, a local choice the municipality sets.
    visit_grace_minutes = models.PositiveSmallIntegerField(
        _("minutes after the start before a visit counts as missed"),
        default=30,
        help_text=_("Not stated by law: a local choice of the municipality."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-valid_from"]
        constraints = [models.UniqueConstraint(fields=["municipality", "valid_from"], name="care_rule_from_unique")]


class Caregiver(TenantOwnedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = TenantForeignKey(
        "core.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    kinds = models.JSONField(_("kinds of care"), default=list, blank=True)
    qualifications = models.CharField(_("qualifications"), max_length=300, blank=True)
    training_completed = models.BooleanField(_("caregiver training completed"), default=False)
    # The certificate of a training-platform course that counts as the caregiver training (its code), checked
    # when entered and again every night: a revoked certificate no longer counts.
    training_certificate = models.CharField(_("training certificate code"), max_length=20, blank=True)
    training_checked_on = models.DateField(_("certificate checked on"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    travel_km = models.DecimalField(_("travels up to (km)"), max_digits=5, decimal_places=1, default=5)
    is_active = models.BooleanField(_("taking bookings"), default=True)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"], condition=models.Q(user__isnull=False), name="caregiver_user_once"
            )
        ]
        indexes = [models.Index(fields=["municipality", "latitude", "longitude"], name="caregiver_point_idx")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Slot(TenantOwnedModel):
    """One weekly slot a caregiver is free: a weekday (0 = Monday) from a time to a time."""

    caregiver = TenantForeignKey(Caregiver, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("day"))
    start = models.TimeField(_("from"))
    end = models.TimeField(_("to"))

    class Meta(TenantOwnedModel.Meta):
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="care_slot_order"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="care_slot_weekday"),
        ]


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Looking for a caregiver")
    BOOKED = "booked", _("Caregiver confirmed")
    CLOSED = "closed", _("Closed")


class CareRequest(TenantOwnedModel):
    person = TenantForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    family_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = TenantForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cared_for_name = models.CharField(_("person cared for"), max_length=200)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    kind = models.CharField(_("kind of care"), max_length=15, choices=CareKind.choices)
    weekdays = models.JSONField(_("days"), default=list)
    start_time = models.TimeField(_("from"))
    hours = models.DecimalField(_("hours each time"), max_digits=4, decimal_places=1)
    language = models.CharField(_("language"), max_length=5, blank=True)
    address = models.CharField(_("address"), max_length=300)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    needs = models.TextField(_("needs"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=12), name="care_request_hours_range"
            )
        ]


class BookingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for both to confirm")
    CONFIRMED = "confirmed", _("Confirmed by both")
    CANCELLED = "cancelled", _("Cancelled")


class Booking(TenantOwnedModel):
    request = TenantForeignKey(CareRequest, on_delete=models.CASCADE, related_name="bookings")
    caregiver = TenantForeignKey(Caregiver, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.PROPOSED)
    reasons = models.JSONField(default=list, blank=True)  # codes + params, rendered at read time
    family_confirmed_at = models.DateTimeField(null=True, blank=True)
    caregiver_confirmed_at = models.DateTimeField(null=True, blank=True)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "request"],
                condition=models.Q(status__in=["proposed", "confirmed"]),
                name="care_one_live_booking",
            )
        ]


class Visit(TenantOwnedModel):
    """One visit of a booking (start/end, device-made key). Who made it follows from ``cover``: a visit without
    one is the booking's caregiver's; a visit with one is the covered date's, made and recorded by that cover's
    confirmed substitute (never by the booking's caregiver), once per cover. It stays a visit of the booking,
    so the booking's visits count it."""

    booking = TenantForeignKey(Booking, on_delete=models.CASCADE, related_name="visits")
    cover = TenantForeignKey(
        "Cover", null=True, blank=True, on_delete=models.RESTRICT, related_name="visits", verbose_name=_("cover")
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    client_key = models.UUIDField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="care_visit_key_once",
            ),
            models.UniqueConstraint(
                fields=["municipality", "cover"], condition=models.Q(cover__isnull=False), name="care_visit_cover_once"
            ),
        ]


class Side(models.TextChoices):
    FAMILY = "family", _("Family")
    CAREGIVER = "caregiver", _("Caregiver")


class Rating(TenantOwnedModel):
    booking = TenantForeignKey(Booking, on_delete=models.CASCADE, related_name="ratings")
    side = models.CharField(_("given by"), max_length=10, choices=Side.choices)
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "booking", "side"], name="care_rating_once"),
            models.CheckConstraint(condition=models.Q(score__gte=1) & models.Q(score__lte=5), name="care_rating_1_5"),
        ]


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Complaint(TenantOwnedModel):
    booking = TenantForeignKey(Booking, on_delete=models.CASCADE, related_name="complaints")
    side = models.CharField(_("from"), max_length=10, choices=Side.choices)
    text = models.TextField(_("complaint"))
    status = models.CharField(_("status"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    resolution = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class CoverReason(models.TextChoices):
    MISSED = "missed", _("Visit missed")
    ABSENT = "absent", _("Caregiver cannot come")


class CoverStatus(models.TextChoices):
    NEEDED = "needed", _("Cover needed")
    PROPOSED = "proposed", _("Substitute asked, waiting for them")
    CONFIRMED = "confirmed", _("Covered")


class Cover(TenantOwnedModel):
    """One visit of a confirmed booking (its date) that needs another caregiver, and the substitute for it."""

    booking = TenantForeignKey(Booking, on_delete=models.CASCADE, related_name="covers")
    date = models.DateField(_("date"))
    reason = models.CharField(_("why"), max_length=10, choices=CoverReason.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CoverStatus.choices, default=CoverStatus.NEEDED)
    substitute = TenantForeignKey(
        Caregiver, null=True, blank=True, on_delete=models.PROTECT, related_name="covers", verbose_name=_("substitute")
    )
    reasons = models.JSONField(default=list, blank=True)  # why the substitute was proposed: codes + params
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_at = models.DateTimeField(null=True, blank=True)
    substitute_confirmed_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("visit cover")
        ordering = ["date", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "booking", "date"], name="care_cover_once_a_day"),
            models.CheckConstraint(
                condition=models.Q(status="needed") | models.Q(substitute__isnull=False),
                name="care_cover_substitute_named",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "status", "date"], name="care_cover_open_idx")]

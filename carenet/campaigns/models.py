"""Heat waves and cold nights (issue 20, decision 0021).

* **Risk rules** (the tenant's, valid between two dates): a rule matches a person when every condition it
  sets holds (age 75+ *and* living alone, a disability, a chronic illness, a low income, no phone, a home
  in a heat hotspot, a thermal risk found by the person's latest needs assessment). Each rule carries the legal ground an inclusion rests on.
* **The at-risk register**: one entry per person, built from the rules (with the codes of the rules that
  matched, as the reasons) or added by hand (a neighbour's call), each with its legal ground or consent.
* **Heat layers**: imported heat-island zones (a municipality's GIS or Copernicus file, or the approximate
  demo layer, flagged) from which the dual vulnerability index per H3 cell is computed.
* **Campaigns**: declared on an alert (a heat code entered by hand, or a cold night); the register is split
  into call lists by zone and worker; every check-in is keyed by the phone that recorded it.
* **Cooling and warming centres**, their visits, and the kits given to persons.

Every row is tenant-owned (docs/architecture.md §10). Thresholds (tries, hours, target hours, critical
index) are tenant rows with validity dates, never constants.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.cases.models import RiskLevel
from carenet.core.tenancy import TenantForeignKey, TenantOwnedModel


class LegalGround(models.TextChoices):
    CONSENT = "consent", _("Consent of the person")
    PUBLIC_TASK = "public_task", _("Public task of social assistance (law)")
    VITAL_INTEREST = "vital_interest", _("Vital interest (danger to life or health)")


class CampaignSettings(TenantOwnedModel):
    """The tenant's escalation ladder and targets, valid between two dates."""

    max_tries = models.PositiveSmallIntegerField(_("tries before a home visit"), default=3)
    within_hours = models.PositiveSmallIntegerField(_("hours within which the tries count"), default=6)
    contact_target_hours = models.PositiveSmallIntegerField(_("hours to contact the whole register"), default=24)
    list_size = models.PositiveSmallIntegerField(_("persons per call list at most"), default=25)
    critical_index = models.DecimalField(
        _("critical vulnerability index"), max_digits=4, decimal_places=2, default=0.25
    )
    hotspot_intensity = models.DecimalField(
        _("heat intensity of a hotspot, at least"), max_digits=4, decimal_places=2, default=0.6
    )
    # Reaching the register by SMS and by automated voice call (core.messaging), the tenant's choice.
    sms_enabled = models.BooleanField(_("send SMS to the register during a campaign"), default=False)
    voice_enabled = models.BooleanField(_("call by automated voice persons without a mobile phone"), default=False)
    quiet_from = models.TimeField(_("no messages or calls from"), null=True, blank=True)
    quiet_to = models.TimeField(_("no messages or calls until"), null=True, blank=True)
    voice_attempts = models.PositiveSmallIntegerField(_("automated calls to a person at most"), default=2)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="campaign_settings_once_per_day"),
            models.CheckConstraint(condition=models.Q(max_tries__gte=1), name="campaign_settings_tries_positive"),
            models.CheckConstraint(condition=models.Q(within_hours__gte=1), name="campaign_settings_hours_positive"),
            models.CheckConstraint(condition=models.Q(list_size__gte=1), name="campaign_settings_list_positive"),
        ]


# The levels a rule may ask of the assessed thermal risk ("no risk" would match every assessed person).
THERMAL_LEVELS = [(level, label) for level, label in RiskLevel.choices if level > RiskLevel.NONE]


class RiskRule(TenantOwnedModel):
    """A rule of the register: it matches a person when every condition it sets holds."""

    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    min_age = models.PositiveSmallIntegerField(_("aged at least"), null=True, blank=True)
    living_alone = models.BooleanField(_("living alone"), default=False)
    disability = models.BooleanField(_("with a disability"), default=False)
    chronic_illness = models.BooleanField(_("with a chronic illness"), default=False)
    income_below = models.DecimalField(
        _("household income per month below"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    no_phone = models.BooleanField(_("without a phone"), default=False)
    hotspot = models.BooleanField(_("living in a heat hotspot"), default=False)
    # The thermal risk the person's latest assessment found (cases.Domain.THERMAL), at least this level.
    thermal_risk_from = models.PositiveSmallIntegerField(
        _("assessed thermal risk at least"), null=True, blank=True, choices=THERMAL_LEVELS
    )
    legal_ground = models.CharField(_("legal ground"), max_length=20, choices=LegalGround.choices)
    legal_basis = models.CharField(_("law"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="campaign_rule_code_unique")]

    def __str__(self) -> str:
        return self.name


class EntrySource(models.TextChoices):
    RULE = "rule", _("Found by the register's rules")
    MANUAL = "manual", _("Added by hand")


class RegisterEntry(TenantOwnedModel):
    """A person of the at-risk register, with why they are on it and on what ground."""

    person = TenantForeignKey("people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=10, choices=EntrySource.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)  # codes of the rules that matched
    note = models.CharField(_("note"), max_length=300, blank=True)  # e.g. "a neighbour called"
    legal_ground = models.CharField(_("legal ground"), max_length=20, choices=LegalGround.choices)
    legal_basis = models.CharField(_("law"), max_length=300, blank=True)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    # How the person is best reached by the messaging gateway: their language (empty: the municipality's) and
    # whether they need a voice call even on a mobile phone (cannot read an SMS).
    language = models.CharField(_("language of messages"), max_length=8, blank=True)
    needs_voice = models.BooleanField(_("reach by voice call, not SMS"), default=False)
    added_on = models.DateField(_("added on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["added_on"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "person"], name="campaign_register_once"),
            models.CheckConstraint(
                condition=~models.Q(legal_ground="consent") | models.Q(consent_on__isnull=False),
                name="campaign_register_consent_dated",
            ),
        ]


class HeatLayer(TenantOwnedModel):
    """An imported heat-island layer (zones with an intensity from 0 to 1)."""

    name = models.CharField(_("name"), max_length=200)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    observed_on = models.DateField(_("observed on"), null=True, blank=True)
    is_approximate = models.BooleanField(_("approximate (not a measurement)"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return self.name


class HeatZone(TenantOwnedModel):
    layer = TenantForeignKey(HeatLayer, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=200)
    intensity = models.DecimalField(_("heat intensity (0–1)"), max_digits=4, decimal_places=3)
    geometry = models.JSONField(_("geometry (GeoJSON)"))

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-intensity", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(intensity__gte=0) & models.Q(intensity__lte=1), name="campaign_heat_zone_range"
            )
        ]


class CampaignKind(models.TextChoices):
    HEAT = "heat", _("Heat wave")
    COLD = "cold", _("Cold night")


class AlertCode(models.TextChoices):
    YELLOW = "yellow", _("Yellow code")
    ORANGE = "orange", _("Orange code")
    RED = "red", _("Red code")


class CampaignStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Campaign(TenantOwnedModel):
    kind = models.CharField(_("kind"), max_length=10, choices=CampaignKind.choices)
    alert_code = models.CharField(_("alert code"), max_length=10, choices=AlertCode.choices)
    alert_reference = models.CharField(_("alert as issued"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("alert starts"))
    ends_at = models.DateTimeField(_("alert ends"))
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
    # The ladder in force when the campaign was declared (a later change of settings does not move it).
    max_tries = models.PositiveSmallIntegerField(default=3)
    within_hours = models.PositiveSmallIntegerField(default=6)
    contact_target_hours = models.PositiveSmallIntegerField(default=24)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="campaign_dates_order")
        ]

    def __str__(self) -> str:
        return self.title


class CallList(TenantOwnedModel):
    campaign = TenantForeignKey(Campaign, on_delete=models.CASCADE, related_name="lists")
    number = models.PositiveIntegerField(_("list"))
    zone = models.CharField(_("zone"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker or volunteer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(TenantOwnedModel.Meta):
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "campaign", "number"], name="campaign_list_number_unique")
        ]
        indexes = [models.Index(fields=["municipality", "assignee"], name="campaign_list_assignee")]


class ContactStatus(models.TextChoices):
    PENDING = "pending", _("To contact")
    REACHED = "reached", _("Reached")
    ESCALATED = "escalated", _("Home visit needed")


class Contact(TenantOwnedModel):
    """A person of the register on one call list of a campaign (once per campaign)."""

    campaign = TenantForeignKey(Campaign, on_delete=models.CASCADE, related_name="contacts")
    call_list = TenantForeignKey(CallList, on_delete=models.CASCADE, related_name="contacts")
    person = TenantForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=ContactStatus.choices, default=ContactStatus.PENDING)
    tries = models.PositiveSmallIntegerField(default=0)
    first_try_at = models.DateTimeField(null=True, blank=True)
    reached_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=20, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["call_list", "position"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "campaign", "person"], name="campaign_contact_once")
        ]
        indexes = [models.Index(fields=["municipality", "campaign", "status"], name="campaign_contact_status")]


class CheckInMode(models.TextChoices):
    PHONE = "phone", _("Reached by phone")
    VISIT = "visit", _("Visited at home")
    NOT_REACHED = "not_reached", _("Not reached")
    SMS = "sms", _("Replied by SMS")
    VOICE = "voice", _("Answered an automated call")


class CheckInOutcome(models.TextChoices):
    FINE = "fine", _("Fine")
    WATER = "water", _("Needs water")
    MEDICINE = "medicine", _("Needs medicine")
    TRANSPORT = "transport", _("Needs transport to a cooling or warming centre")
    EMERGENCY = "emergency", _("Medical emergency: call 112")
    ESCALATE = "escalate", _("Escalate to the coordinator")
    HELP = "help", _("Asked for help (SMS or call reply)")
    NONE = "none", _("No answer")


NEEDS_HELP = (
    CheckInOutcome.WATER,
    CheckInOutcome.MEDICINE,
    CheckInOutcome.TRANSPORT,
    CheckInOutcome.EMERGENCY,
    CheckInOutcome.HELP,
)
# Outcomes that send the person to a home visit at once.
ESCALATING = (CheckInOutcome.ESCALATE, CheckInOutcome.HELP)


class CheckIn(TenantOwnedModel):
    """One try to reach a person, recorded once per device-made key (a resend is harmless)."""

    contact = TenantForeignKey(Contact, on_delete=models.CASCADE, related_name="checkins")
    campaign = TenantForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(_("contact"), max_length=12, choices=CheckInMode.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CheckInOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("when"))
    client_key = models.UUIDField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["at"]
        constraints = [models.UniqueConstraint(fields=["municipality", "client_key"], name="campaign_checkin_key_once")]
        indexes = [models.Index(fields=["municipality", "campaign", "at"], name="campaign_checkin_at")]


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    VOICE = "voice", _("Voice call")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    ANSWERED = "answered", _("Replied")


class OutboundMessage(TenantOwnedModel):
    """One SMS or automated call to a person of a campaign, once per contact, channel and attempt.

    Created queued; ``attempted_at`` is set when a sender takes it (so two senders never send it twice); the
    provider's id and status callbacks move it to sent, delivered or failed; a reply (a key pressed, an SMS
    answered) makes it answered and records a check-in."""

    campaign = TenantForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    contact = TenantForeignKey(Contact, on_delete=models.CASCADE, related_name="messages")
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    to_number = models.CharField(max_length=20)  # E.164, as sent to the processor
    language = models.CharField(max_length=8)
    provider_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    reply = models.CharField(_("reply"), max_length=1, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["queued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "contact", "channel", "attempt"], name="campaign_message_once"
            ),
            models.CheckConstraint(condition=models.Q(attempt__gte=1), name="campaign_message_attempt_positive"),
        ]
        indexes = [
            models.Index(fields=["municipality", "campaign", "channel", "status"], name="campaign_message_status"),
            models.Index(fields=["to_number", "municipality"], name="campaign_message_number"),
        ]


class CentreKind(models.TextChoices):
    COOLING = "cooling", _("Cooling centre")
    WARMING = "warming", _("Warming centre")


class Centre(TenantOwnedModel):
    """A cooling or warming centre. Capacity and hours only as the provider states them; empty = to confirm."""

    kind = models.CharField(_("kind"), max_length=10, choices=CentreKind.choices)
    name = models.CharField(_("name"), max_length=200)
    location = TenantForeignKey(
        "directory.Location",
        verbose_name=_("place in the directory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (persons)"), null=True, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    is_open = models.BooleanField(_("open during alerts"), default=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def facts_missing(self) -> bool:
        return self.capacity is None or not self.hours or not self.display_address

    @property
    def display_address(self) -> str:
        """The address typed for the centre, else its place's in the directory (kept up to date by the provider)."""
        if self.address:
            return self.address
        location = self.location if self.location_id else None
        if location is None:
            return ""
        return ", ".join(part for part in (location.address_1, location.city) if part)


class CentreVisit(TenantOwnedModel):
    """Visits of one day at a centre: everyone counted, and of them the persons of the register."""

    centre = TenantForeignKey(Centre, on_delete=models.CASCADE, related_name="visits")
    campaign = TenantForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    day = models.DateField(_("day"))
    visitors = models.PositiveIntegerField(_("visitors"))
    beneficiaries = models.PositiveIntegerField(_("of them, persons of the register"), default=0)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "centre", "day"], name="campaign_centre_visit_day"),
            models.CheckConstraint(
                condition=models.Q(beneficiaries__lte=models.F("visitors")), name="campaign_centre_visit_share"
            ),
        ]


class KitKind(models.TextChoices):
    COOLING = "cooling", _("Cooling kit (fan, information)")
    WATER = "water", _("Drinking water")
    WARMING = "warming", _("Warming kit (blanket, heater)")


class KitGiven(TenantOwnedModel):
    person = TenantForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    campaign = TenantForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kit"), max_length=10, choices=KitKind.choices)
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    given_on = models.DateField(_("given on"))
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-given_on"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=1), name="campaign_kit_quantity")]

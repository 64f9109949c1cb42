"""Social housing and residential places (issue 19, decision 0020).

* **Stock**: buildings and their dwellings (rooms, area, accessibility, energy state, new/modernised dates for
  KPI 10, status).
* **Applications** for social housing: the applicant and household from the people registry, the documents
  received, the answers to the municipality's **points grid** of the year (criteria with options and points,
  valid between two dates, the tie-break rule and the refusal consequence stated by the grid), the score with
  its breakdown.
* The yearly **ranked list**: a frozen snapshot of the scores, approved by the coordinator, published on the
  portal by file number (never a name); **appeals** with their outcome.
* **Allocation**: offers to the next eligible applicant that fits a dwelling, the answer and its consequence,
  **contracts** with term and rent, renewal reminders, termination.
* **Monitoring**: visits, utility consumption per dwelling and month, rent due and paid per month, payments
  as receipts posted to a month (arrears).
* **Residential places** (night shelter, residential and transit centres, maternal centre): beds, stays
  (check-in, check-out: nights are [check_in, check_out)), the waiting list, cold nights that open extra beds.

The values a council decides (the grid, the cold-night temperature, the alert thresholds, the answer and
notice periods) are rows with validity dates, never constants. Every row is tenant-owned (§10).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carenet.core.tenancy import TenantForeignKey, TenantOwnedModel

# --- the tenant's rules --------------------------------------------------------------------------------------


class HousingRule(TenantOwnedModel):
    """The municipality's housing settings in force between two dates (a council decision or a director's order).

    ``office`` is the organisation whose staff are the housing officers: they see applications, never case files.
    """

    office = TenantForeignKey(
        "core.Organisation", verbose_name=_("housing office"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    offer_answer_days = models.PositiveSmallIntegerField(_("days to answer an offer"), default=15)
    renewal_notice_days = models.PositiveSmallIntegerField(_("renewal reminder, days before expiry"), default=60)
    arrears_alert = models.DecimalField(_("arrears alert from (amount)"), max_digits=10, decimal_places=2, default=0)
    consumption_alert_factor = models.DecimalField(
        _("consumption alert: times the dwelling's own average"), max_digits=4, decimal_places=2, default=2
    )
    cold_night_below = models.DecimalField(
        _("cold night below (°C)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="housing_rule_from_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="housing_rule_dates_order",
            ),
        ]


# --- stock ---------------------------------------------------------------------------------------------------


class Building(TenantOwnedModel):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    built_year = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]
        verbose_name = _("building")

    def __str__(self) -> str:
        return self.name


class EnergyState(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"
    UNKNOWN = "unknown", _("Not assessed")


class DwellingStatus(models.TextChoices):
    FREE = "free", _("Free")
    OFFERED = "offered", _("Offered")
    ALLOCATED = "allocated", _("Allocated")
    REPAIR = "repair", _("Under repair")


class Dwelling(TenantOwnedModel):
    building = TenantForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="dwellings"
    )
    number = models.CharField(_("dwelling number"), max_length=20)
    rooms = models.PositiveSmallIntegerField(_("rooms"))
    area = models.DecimalField(_("area (m²)"), max_digits=7, decimal_places=2)
    accessible = models.BooleanField(_("accessible for a wheelchair"), default=False)
    energy_state = models.CharField(
        _("energy state"), max_length=10, choices=EnergyState.choices, default=EnergyState.UNKNOWN
    )
    new_on = models.DateField(_("new, handed over on"), null=True, blank=True)
    modernised_on = models.DateField(_("modernised on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DwellingStatus.choices, default=DwellingStatus.FREE)
    rent = models.DecimalField(_("monthly rent"), max_digits=9, decimal_places=2, default=0)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["building__name", "number"]
        verbose_name = _("dwelling")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "building", "number"], name="dwelling_number_unique"),
            models.CheckConstraint(condition=models.Q(rooms__gte=1), name="dwelling_rooms_positive"),
            models.CheckConstraint(condition=models.Q(area__gt=0), name="dwelling_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.building.name} / {self.number}"


# --- the points grid -----------------------------------------------------------------------------------------


class TieBreak(models.TextChoices):
    EARLIEST_FILED = "earliest_filed", _("Earlier application first")
    LARGER_HOUSEHOLD = "larger_household", _("Larger household first")
    LOWER_INCOME = "lower_income", _("Lower income per household member first")


class RefusalConsequence(models.TextChoices):
    NONE = "none", _("No consequence: stays at the same rank")
    BACK_OF_LIST = "back_of_list", _("Moves to the end of the list")
    REMOVED = "removed", _("Removed from the list for the year")


class PointsGrid(TenantOwnedModel):
    """The criteria of one year as the council decided them (Legea 114/1996 art. 43: criteria set by the council)."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    decision = models.CharField(_("council decision"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    tie_break = models.CharField(_("tie-break rule"), max_length=20, choices=TieBreak.choices)
    minimum_points = models.PositiveSmallIntegerField(_("minimum points to be ranked"), default=0)
    refusal_consequence = models.CharField(
        _("consequence of a refused offer"), max_length=20, choices=RefusalConsequence.choices
    )
    refusals_allowed = models.PositiveSmallIntegerField(_("refusals without consequence"), default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-year"]
        verbose_name = _("points grid")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="points_grid_year_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="points_grid_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class Criterion(TenantOwnedModel):
    grid = TenantForeignKey(PointsGrid, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("criterion"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "grid", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return self.label


class CriterionOption(TenantOwnedModel):
    criterion = TenantForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("answer"), max_length=300)
    points = models.SmallIntegerField(_("points"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["order", "-points"]

    def __str__(self) -> str:
        return self.label


# --- applications --------------------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    SCORED = "scored", _("Scored")
    INELIGIBLE = "ineligible", _("Not eligible")
    OFFERED = "offered", _("Offer made")
    HOUSED = "housed", _("Housed")
    REMOVED = "removed", _("Removed from the list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(TenantOwnedModel):
    file_number = models.CharField(_("file number"), max_length=30)
    grid = TenantForeignKey(PointsGrid, verbose_name=_("points grid"), on_delete=models.PROTECT, related_name="+")
    applicant = TenantForeignKey(
        "people.Person", verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    household = TenantForeignKey(
        "people.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    household_size = models.PositiveSmallIntegerField(_("household size"), default=1)
    monthly_income = models.DecimalField(_("household monthly income"), max_digits=10, decimal_places=2, default=0)
    rooms_needed = models.PositiveSmallIntegerField(_("rooms needed"), default=1)
    needs_accessible = models.BooleanField(_("needs an accessible dwelling"), default=False)
    filed_on = models.DateField(_("filed on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.FILED
    )
    score = models.SmallIntegerField(_("score"), null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)  # criterion code → points, as scored
    scored_at = models.DateTimeField(null=True, blank=True)
    refusals = models.PositiveSmallIntegerField(_("offers refused"), default=0)
    moved_back = models.BooleanField(_("moved to the end of the list"), default=False)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-filed_on", "file_number"]
        verbose_name = _("housing application")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "file_number"], name="housing_application_number_unique"),
            models.CheckConstraint(condition=models.Q(household_size__gte=1), name="housing_household_positive"),
            models.CheckConstraint(condition=models.Q(monthly_income__gte=0), name="housing_income_not_negative"),
        ]
        indexes = [models.Index(fields=["municipality", "status"], name="housing_app_status_idx")]

    def __str__(self) -> str:  # the file number only: audit labels and public pages never carry a name
        return self.file_number


class ApplicationDocument(TenantOwnedModel):
    application = TenantForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("document"), max_length=200)
    received_on = models.DateField(_("received on"))

    class Meta(TenantOwnedModel.Meta):
        ordering = ["received_on"]


class Answer(TenantOwnedModel):
    """The option of one criterion chosen for an application (one answer per criterion)."""

    application = TenantForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    criterion = TenantForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    option = TenantForeignKey(CriterionOption, on_delete=models.PROTECT, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "application", "criterion"], name="housing_answer_once")
        ]


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved and published")


class RankedList(TenantOwnedModel):
    """The year's list as it stood when drawn up: a frozen snapshot (entries never change afterwards)."""

    grid = TenantForeignKey(PointsGrid, on_delete=models.PROTECT, related_name="lists")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    as_of = models.DateField(_("as of"))
    status = models.CharField(_("status"), max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "version"], name="ranked_list_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"


class RankedEntry(TenantOwnedModel):
    ranked_list = TenantForeignKey(RankedList, on_delete=models.CASCADE, related_name="entries")
    application = TenantForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("rank"))
    file_number = models.CharField(_("file number"), max_length=30)
    score = models.SmallIntegerField(_("score"))
    breakdown = models.JSONField(default=dict)
    tie_break_value = models.CharField(max_length=40, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "ranked_list", "rank"], name="ranked_entry_rank_unique"),
            models.UniqueConstraint(
                fields=["municipality", "ranked_list", "application"], name="ranked_entry_application_once"
            ),
        ]


class AppealOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld: score corrected")
    REJECTED = "rejected", _("Rejected")


class Appeal(TenantOwnedModel):
    application = TenantForeignKey(Application, on_delete=models.CASCADE, related_name="appeals")
    ranked_list = TenantForeignKey(RankedList, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    filed_on = models.DateField(_("filed on"))
    grounds = models.TextField(_("grounds"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AppealOutcome.choices, default=AppealOutcome.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-filed_on"]


# --- allocation ----------------------------------------------------------------------------------------------


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED = "refused", _("Refused")


class RefusalReason(models.TextChoices):
    LOCATION = "location", _("Location")
    CONDITION = "condition", _("State of the dwelling")
    SIZE = "size", _("Size")
    COST = "cost", _("Rent and costs")
    NO_ANSWER = "no_answer", _("No answer within the time allowed")
    OTHER = "other", _("Other")


class Offer(TenantOwnedModel):
    dwelling = TenantForeignKey(Dwelling, on_delete=models.PROTECT, related_name="offers")
    application = TenantForeignKey(Application, on_delete=models.PROTECT, related_name="offers")
    ranked_list = TenantForeignKey(RankedList, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("rank"))
    offered_on = models.DateField(_("offered on"))
    answer_by = models.DateField(_("answer by"))
    status = models.CharField(_("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.PENDING)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason"), max_length=12, choices=RefusalReason.choices, blank=True)
    consequence = models.CharField(_("consequence"), max_length=20, choices=RefusalConsequence.choices, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-offered_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "dwelling"],
                condition=models.Q(status="pending"),
                name="housing_offer_one_pending_per_dwelling",
            )
        ]


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    TERMINATED = "terminated", _("Terminated")


class TerminationReason(models.TextChoices):
    TENANT_LEFT = "tenant_left", _("The tenant left")
    ARREARS = "arrears", _("Rent not paid")
    NO_LONGER_ELIGIBLE = "not_eligible", _("No longer eligible")
    EXPIRED = "expired", _("Term ended, not renewed")
    RENEWED = "renewed", _("Renewed by a new contract")
    OTHER = "other", _("Other")


class Contract(TenantOwnedModel):
    number = models.CharField(_("contract number"), max_length=30)
    dwelling = TenantForeignKey(Dwelling, on_delete=models.PROTECT, related_name="contracts")
    application = TenantForeignKey(Application, on_delete=models.PROTECT, related_name="contracts")
    tenant = TenantForeignKey("people.Person", verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    rent = models.DecimalField(_("monthly rent"), max_digits=9, decimal_places=2)
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.ACTIVE)
    renewal_reminded_on = models.DateField(null=True, blank=True)
    renewed_from = TenantForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("reason"), max_length=14, choices=TerminationReason.choices, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="housing_contract_number_unique"),
            models.UniqueConstraint(
                fields=["municipality", "dwelling"],
                condition=models.Q(status="active"),
                name="housing_contract_one_active_per_dwelling",
            ),
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="housing_contract_term"),
            models.CheckConstraint(condition=models.Q(rent__gte=0), name="housing_contract_rent_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number


# --- monitoring ----------------------------------------------------------------------------------------------


class Visit(TenantOwnedModel):
    dwelling = TenantForeignKey(Dwelling, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    findings = models.TextField(_("findings"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-visited_on"]


class Utility(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity (kWh)")
    HEAT = "heat", _("Heating (Gcal)")
    WATER = "water", _("Water (m³)")
    GAS = "gas", _("Gas (m³)")


class Consumption(TenantOwnedModel):
    dwelling = TenantForeignKey(Dwelling, on_delete=models.CASCADE, related_name="consumption")
    month = models.DateField(_("month"))  # the first day of the month
    utility = models.CharField(_("utility"), max_length=12, choices=Utility.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount billed"), max_digits=10, decimal_places=2, default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "dwelling", "month", "utility"], name="housing_consumption_once"
            ),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="housing_consumption_not_negative"),
        ]


class RentMonth(TenantOwnedModel):
    """Rent due and paid for one month of a contract; arrears are the sum of (due − paid)."""

    contract = TenantForeignKey(Contract, on_delete=models.CASCADE, related_name="rent_months")
    month = models.DateField(_("month"))
    due = models.DecimalField(_("due"), max_digits=9, decimal_places=2)
    paid = models.DecimalField(_("paid"), max_digits=9, decimal_places=2, default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "contract", "month"], name="housing_rent_month_once")
        ]


class RentPayment(TenantOwnedModel):
    """One payment of rent as the cashier or the bank statement shows it, posted to one month of a tenancy.

    The month's ``RentMonth.paid`` is the sum of its payments plus whatever was posted to it directly (the
    ``rent_month_record`` service, kept for corrections and imports): each payment adds its amount to the
    month in the same transaction, so every reader of ``RentMonth`` (the arrears alert, the dwelling page) sees
    it. The receipt number is the office's own series: one number, one payment, per municipality.
    """

    contract = TenantForeignKey(Contract, on_delete=models.PROTECT, related_name="rent_payments")
    month = models.DateField(_("month"))  # the first day of the month the payment settles
    amount = models.DecimalField(_("amount paid"), max_digits=9, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    receipt_number = models.CharField(_("receipt number"), max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-paid_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "receipt_number"], name="housing_rent_receipt_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="housing_rent_payment_positive"),
        ]
        indexes = [models.Index(fields=["municipality", "contract", "month"], name="housing_rent_payment_idx")]


# --- residential places --------------------------------------------------------------------------------------


class ResidenceKind(models.TextChoices):
    NIGHT_SHELTER = "night_shelter", _("Night shelter")
    RESIDENTIAL_CENTRE = "residential", _("Residential centre")
    TRANSIT_YOUTH = "transit_youth", _("Transit centre for young people")
    MATERNAL = "maternal", _("Maternal centre")


class Residence(TenantOwnedModel):
    """A residential service with beds, run by an organisation (its staff see only its residents)."""

    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("run by"), on_delete=models.PROTECT, related_name="+"
    )
    service = TenantForeignKey(
        "directory.Service",
        verbose_name=_("directory service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=14, choices=ResidenceKind.choices)
    opens_cold_nights = models.BooleanField(_("opens extra beds on cold nights"), default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Bed(TenantOwnedModel):
    residence = TenantForeignKey(Residence, on_delete=models.CASCADE, related_name="beds")
    code = models.CharField(_("bed"), max_length=20)
    room = models.CharField(pgettext_lazy("dwelling", "room"), max_length=40, blank=True)
    cold_night_only = models.BooleanField(_("extra bed, cold nights only"), default=False)
    active = models.BooleanField(_("in use"), default=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "residence", "code"], name="bed_code_unique")]

    def __str__(self) -> str:
        return self.code


class Stay(TenantOwnedModel):
    """One person in one bed from the evening of ``check_in`` to the morning of ``check_out`` (nights =
    check_out − check_in). An open stay has no check-out yet. On PostgreSQL an exclusion constraint (the
    migration) refuses two stays of one bed on one night; the service checks it on every engine."""

    residence = TenantForeignKey(Residence, on_delete=models.CASCADE, related_name="stays")
    bed = TenantForeignKey(Bed, on_delete=models.PROTECT, related_name="stays")
    person = TenantForeignKey("people.Person", verbose_name=_("resident"), on_delete=models.PROTECT, related_name="+")
    check_in = models.DateField(_("check-in"))
    check_out = models.DateField(_("check-out"), null=True, blank=True)
    client_key = models.UUIDField(null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-check_in"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(check_out__isnull=True) | models.Q(check_out__gt=models.F("check_in")),
                name="stay_at_least_one_night",
            ),
            models.UniqueConstraint(
                fields=["municipality", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="stay_key_once",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "residence", "check_in"], name="stay_residence_idx")]


class WaitingEntry(TenantOwnedModel):
    """A person waiting for a place when the residence is full."""

    residence = TenantForeignKey(Residence, on_delete=models.CASCADE, related_name="waiting")
    person = TenantForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    added_on = models.DateField(_("added on"))
    placed_on = models.DateField(_("placed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["added_on"]


class ColdNight(TenantOwnedModel):
    """A night whose forecast temperature is below the tenant's threshold: extra beds open."""

    night = models.DateField(_("night"))
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-night"]
        constraints = [models.UniqueConstraint(fields=["municipality", "night"], name="cold_night_once")]

"""The social canteen and aid in kind (issue 18, decision 0019).

The flow is one for every entitlement: an **application** (the person, the household's declared income,
the situations the categories ask about, the documents checklist, the case's social inquiry) → the
**eligibility** computed against the tenant's rules in force on the day, with the reasons → a
**decision** (approved with a category, a period and a contribution; or refused with the legal reason)
→ the **monthly nominal list** sent to the canteen unit (a frozen snapshot, a new version on a change) →
**meal cards** → **meals** served at the counter, each once (a device-made key). Aid in kind (firewood,
coal) follows the same decision → list → distribution flow by quantity per season.

The law's values (the threshold, the food allowance per meal, the 90-day cap, the 30 % contribution, the
term of the decision) and its categories are rows with validity dates (``RuleSet``, ``Category``), never
constants: Legea 208/1997 for Baia Mare; Bălți's canteen is run by a municipal enterprise under Moldovan
law, and what the seeds do not state is left empty and flagged for the municipality to fill.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantForeignKey, TenantOwnedModel


class RuleSet(TenantOwnedModel):
    """The canteen's values in force between two dates (a change of the law is a new row)."""

    law = models.CharField(_("legal basis"), max_length=300, blank=True)
    threshold = models.DecimalField(
        _("income threshold per person (monthly)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    meal_allowance = models.DecimalField(
        _("food allowance per meal"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    contribution_rate = models.DecimalField(
        _("contribution above the threshold (share of the income per person)"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
    )
    decision_term_days = models.PositiveSmallIntegerField(_("term of the decision (days)"), null=True, blank=True)
    meals_per_day = models.PositiveSmallIntegerField(_("meals a day"), default=2)
    # The file is "renewed and verified periodically" (Baia Mare strategy, line 619): every this many months
    # after the decision or the last re-verification. Empty: the municipality has not set it (no reminder).
    reverify_months = models.PositiveSmallIntegerField(_("re-verify the file every (months)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="RON")
    # Field names whose value the seeds do not state: shown as "to be filled by the municipality".
    unstated = models.JSONField(default=list, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-valid_from"]
        verbose_name = _("canteen rules")
        verbose_name_plural = _("canteen rules")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="canteen_ruleset_from_once"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="canteen_ruleset_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.law or '—'} ({self.valid_from:%Y-%m-%d})"


class CategoryKind(models.TextChoices):
    """What a category tests (the law names them; the tenant's ``Category`` rows say which apply when)."""

    CHILD_LOW_INCOME = "child", _("Child under the age limit in a family below the threshold")
    STUDENT_LOW_INCOME = "student", _("Young person in full-time education in a family below the threshold")
    PENSIONER = "pensioner", _("Pensioner")
    PENSION_AGE_ALONE = "pension_age", _("Person of pension age, socially isolated, without supporters or income")
    INVALID_CHRONIC = "invalid", _("Invalid or chronically ill person")
    TEMPORARILY_NO_INCOME = "no_income", _("Person temporarily without income")
    ELDERLY = "elderly", _("Elderly person")


class Category(TenantOwnedModel):
    """One category of beneficiaries (Legea 208/1997 art. 2 (1) a–f), valid between two dates."""

    code = models.CharField(_("code"), max_length=10)
    kind = models.CharField(_("kind"), max_length=12, choices=CategoryKind.choices)
    name = models.CharField(_("name"), max_length=300)
    legal_reference = models.CharField(_("legal reference"), max_length=200, blank=True)
    max_age = models.PositiveSmallIntegerField(_("up to the age of"), null=True, blank=True)
    max_age_long_studies = models.PositiveSmallIntegerField(
        _("up to the age of (studies longer than 5 years)"), null=True, blank=True
    )
    min_age = models.PositiveSmallIntegerField(_("from the age of"), null=True, blank=True)
    income_tested = models.BooleanField(_("income under the threshold required"), default=False)
    days_cap_per_year = models.PositiveSmallIntegerField(_("at most days a year"), null=True, blank=True)
    unstated = models.JSONField(default=list, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code", "valid_from"], name="canteen_category_once")
        ]

    def __str__(self) -> str:
        return f"{self.code}) {self.name}"


class CanteenUnit(TenantOwnedModel):
    """A place that serves the meals (a canteen, a night shelter, a centre), run by an organisation."""

    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    # The office that decides, sends the unit its monthly list and issues the cards (DAS); None: the coordinator.
    office = TenantForeignKey(
        "core.Organisation",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    home_delivery = models.BooleanField(_("delivers meals at home"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]
        verbose_name = _("canteen unit")
        verbose_name_plural = _("canteen units")
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="canteen_unit_code_unique")]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(TenantOwnedModel):
    """A request for the canteen, with what the eligibility is computed from (declared by the household)."""

    number = models.CharField(_("number"), max_length=30)
    person = TenantForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("handled by"), on_delete=models.PROTECT, related_name="+"
    )
    case = TenantForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = TenantForeignKey(
        CanteenUnit, verbose_name=_("canteen unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("received on"))
    requested_category = models.CharField(_("category asked for"), max_length=10)
    household_size = models.PositiveSmallIntegerField(_("persons in the household"), default=1)
    household_income = models.DecimalField(
        _("net monthly income of the household"), max_digits=12, decimal_places=2, default=0
    )
    in_full_time_education = models.BooleanField(_("in full-time education"), default=False)
    long_studies = models.BooleanField(_("higher studies longer than 5 years"), default=False)
    is_pensioner = models.BooleanField(_("pensioner"), default=False)
    of_pension_age = models.BooleanField(_("has reached pension age"), default=False)
    isolated_or_unsupported = models.BooleanField(
        _("socially isolated, without legal supporters or without income"), default=False
    )
    invalid_or_chronic = models.BooleanField(_("invalid or chronically ill"), default=False)
    temporarily_no_income = models.BooleanField(_("temporarily without income"), default=False)
    lunch = models.BooleanField(_("lunch"), default=True)
    dinner = models.BooleanField(_("dinner"), default=True)
    home_delivery = models.BooleanField(_("delivered at home"), default=False)
    documents = models.JSONField(_("documents received"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-received_on", "number"]
        verbose_name = _("canteen application")
        verbose_name_plural = _("canteen applications")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="canteen_application_number_unique"),
            models.CheckConstraint(condition=models.Q(household_size__gte=1), name="canteen_household_size_min"),
            models.CheckConstraint(condition=models.Q(household_income__gte=0), name="canteen_income_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Decision(TenantOwnedModel):
    """The decision on an application; its eligibility reasons are frozen as codes + params."""

    application = TenantForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    person = TenantForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("decision number"), max_length=30)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    category = models.CharField(_("category"), max_length=10, blank=True)
    unit = TenantForeignKey(
        CanteenUnit, verbose_name=_("canteen unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)
    lunch = models.BooleanField(_("lunch"), default=True)
    dinner = models.BooleanField(_("dinner"), default=True)
    home_delivery = models.BooleanField(_("delivered at home"), default=False)
    contribution_rate = models.DecimalField(max_digits=4, decimal_places=3, default=0)
    income_per_person = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=40, blank=True)
    reasons = models.JSONField(default=list, blank=True)  # [{"code": …, "params": {…}}]
    decided_on = models.DateField(_("decision date"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-decided_on", "number"]
        verbose_name = _("canteen decision")
        verbose_name_plural = _("canteen decisions")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="canteen_decision_number_unique"),
            models.CheckConstraint(
                condition=models.Q(outcome="refused")
                | (
                    models.Q(valid_from__isnull=False, valid_to__isnull=False)
                    & models.Q(valid_to__gte=models.F("valid_from"))
                ),
                name="canteen_decision_period",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "outcome", "valid_from", "valid_to"], name="canteen_dec_period_idx")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def last_day(self):
        """The last day the decision is in force (an early end shortens the period)."""
        if self.ended_on and self.valid_to and self.ended_on < self.valid_to:
            return self.ended_on
        return self.valid_to


class ReverificationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Circumstances unchanged: the decision continues")
    ENDED = "ended", _("No longer entitled: the decision ends")


class Reverification(TenantOwnedModel):
    """A periodic check of a decision's file (incomes, household, situation), with what it found."""

    decision = TenantForeignKey(Decision, on_delete=models.CASCADE, related_name="reverifications")
    verified_on = models.DateField(_("verified on"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReverificationOutcome.choices)
    note = models.CharField(_("what was checked"), max_length=500)
    ends_on = models.DateField(_("the decision ends on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-verified_on"]
        verbose_name = _("re-verification")
        verbose_name_plural = _("re-verifications")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="confirmed", ends_on__isnull=True)
                | models.Q(outcome="ended", ends_on__isnull=False),
                name="canteen_reverification_end_date",
            )
        ]


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to the canteen")
    SUPERSEDED = "superseded", _("Superseded by a later version")


class NominalList(TenantOwnedModel):
    """The month's list of a unit: a frozen snapshot of the decisions; a change is a new version."""

    unit = TenantForeignKey(CanteenUnit, on_delete=models.PROTECT, related_name="lists")
    month = models.DateField(_("month"))  # the first day of the month
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("status"), max_length=12, choices=ListStatus.choices, default=ListStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-month", "unit__name", "-version"]
        verbose_name = _("nominal list")
        verbose_name_plural = _("nominal lists")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "unit", "month", "version"], name="canteen_list_version"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m} v{self.version}"


class NominalEntry(TenantOwnedModel):
    """One person on a month's list, as approved (names and numbers copied: later edits do not change it)."""

    nominal_list = TenantForeignKey(NominalList, on_delete=models.CASCADE, related_name="entries")
    decision = TenantForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    person = TenantForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("name"), max_length=200)
    card_number = models.CharField(_("card"), max_length=30, blank=True)
    category = models.CharField(_("category"), max_length=10)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    lunch = models.BooleanField(_("lunch"), default=True)
    dinner = models.BooleanField(_("dinner"), default=True)
    home_delivery = models.BooleanField(_("delivered at home"), default=False)
    contribution = models.DecimalField(_("contribution"), max_digits=10, decimal_places=2, default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "nominal_list", "decision"], name="canteen_entry_once"),
        ]


class CardStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class MealCard(TenantOwnedModel):
    """A meal card (printed with a QR code of its number); revoked, it is refused at the counter."""

    number = models.CharField(_("card number"), max_length=30)
    decision = TenantForeignKey(Decision, on_delete=models.PROTECT, related_name="cards")
    person = TenantForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = TenantForeignKey(CanteenUnit, on_delete=models.PROTECT, related_name="cards")
    status = models.CharField(_("status"), max_length=10, choices=CardStatus.choices, default=CardStatus.ACTIVE)
    revoked_reason = models.CharField(_("reason"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["number"]
        verbose_name = _("meal card")
        verbose_name_plural = _("meal cards")
        constraints = [models.UniqueConstraint(fields=["municipality", "number"], name="canteen_card_number_unique")]

    def __str__(self) -> str:
        return self.number


class MealKind(models.TextChoices):
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")


class Meal(TenantOwnedModel):
    """One meal served: once per person, day and kind; once per device-made key (a resend is harmless)."""

    card = TenantForeignKey(MealCard, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = TenantForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    person = TenantForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = TenantForeignKey(CanteenUnit, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=10)
    served_on = models.DateField(_("day"))
    kind = models.CharField(_("meal"), max_length=6, choices=MealKind.choices)
    home_delivery = models.BooleanField(default=False)
    # The round that carried it home (None: served at the counter).
    delivery_round = TenantForeignKey(
        "DeliveryRound", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_key = models.UUIDField(null=True, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "person", "served_on", "kind"], name="canteen_meal_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["municipality", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="canteen_meal_key_once",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "served_on", "unit"], name="canteen_meal_day_idx"),
            models.Index(fields=["municipality", "person", "served_on"], name="canteen_meal_person_idx"),
        ]


class DeliveryRound(TenantOwnedModel):
    """A unit's home-delivery round: the persons whose meals are carried home, in route order, and its driver."""

    unit = TenantForeignKey(
        CanteenUnit, verbose_name=_("canteen unit"), on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(_("name of the round"), max_length=120)
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("driver"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]
        verbose_name = _("delivery round")
        verbose_name_plural = _("delivery rounds")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "unit", "name"], name="canteen_round_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RoundStop(TenantOwnedModel):
    """A person on a round, at a place in the route; a decision is carried by one round at a time."""

    delivery_round = TenantForeignKey(DeliveryRound, on_delete=models.CASCADE, related_name="stops")
    decision = TenantForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    person = TenantForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("order in the round"))
    note = models.CharField(_("note for the driver"), max_length=200, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["municipality", "decision"], name="canteen_stop_once")]


class DeliveryAbsence(TenantOwnedModel):
    """Nobody was home when the round came with a meal (a delivered meal is a ``Meal`` with its round)."""

    delivery_round = TenantForeignKey(DeliveryRound, on_delete=models.PROTECT, related_name="+")
    decision = TenantForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    person = TenantForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
    kind = models.CharField(_("meal"), max_length=6, choices=MealKind.choices)
    client_key = models.UUIDField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "person", "day", "kind"], name="canteen_absence_once"),
            models.UniqueConstraint(
                fields=["municipality", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="canteen_absence_key_once",
            ),
        ]


class ContributionPayment(TenantOwnedModel):
    """A payment of the contribution (art. 2 (3)) for one month of a decision, with its receipt. What is due
    is computed from the meals served (``selectors.contribution_accounts``); arrears are due minus paid."""

    decision = TenantForeignKey(Decision, on_delete=models.PROTECT, related_name="payments")
    person = TenantForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = TenantForeignKey(CanteenUnit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month paid for"))  # the first day of the month
    amount = models.DecimalField(_("amount paid"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    receipt = models.CharField(_("receipt number"), max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["month", "paid_on"]
        verbose_name = _("contribution payment")
        verbose_name_plural = _("contribution payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="canteen_payment_positive"),
            models.UniqueConstraint(
                fields=["municipality", "unit", "receipt"],
                condition=~models.Q(receipt=""),
                name="canteen_payment_receipt_once",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "unit", "month"], name="canteen_payment_month_idx")]


# --- aid in kind (firewood, coal) -------------------------------------------------------------------------


class AidItem(models.TextChoices):
    FIREWOOD = "firewood", _("Firewood")
    COAL = "coal", _("Coal")


class AidUnit(models.TextChoices):
    CUBIC_METRE = "m3", _("cubic metres")
    TONNE = "t", _("tonnes")
    KILOGRAM = "kg", _("kilograms")


class AidSeason(TenantOwnedModel):
    """A cold season's campaign of aid in kind (Bălți action 5.1.4), with its default quantities."""

    name = models.CharField(_("season"), max_length=120)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-starts_on"]
        verbose_name = _("aid season")
        verbose_name_plural = _("aid seasons")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="aid_season_dates_order"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AidAllocation(TenantOwnedModel):
    """What one beneficiary is granted in a season (a quantity of one item), and when it was handed over."""

    season = TenantForeignKey(AidSeason, on_delete=models.PROTECT, related_name="allocations")
    person = TenantForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("item"), max_length=10, choices=AidItem.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=3, choices=AidUnit.choices)
    decided_on = models.DateField(_("decision date"))
    delivered_on = models.DateField(_("handed over on"), null=True, blank=True)
    delivered_quantity = models.DecimalField(
        _("quantity handed over"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwnedModel.Meta):
        ordering = ["person__last_name", "person__first_name"]
        verbose_name = _("aid in kind")
        verbose_name_plural = _("aid in kind")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "season", "person", "item"], name="aid_allocation_once"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="aid_quantity_positive"),
        ]

"""Multi-year action plans: structure, costs, indicators and their values (DHIS2-style keys).

Every row carries ``municipality`` (TenantOwnedModel): it is the tenant filter and the sharding key.
Values are keyed like a DHIS2 data value: indicator × period × area × disaggregation (category option
combo) × attribute (funding source, reporting body).
"""

from __future__ import annotations

import itertools
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantForeignKey, TenantManyToManyField, TenantOwnedModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


class Plan(TenantOwnedModel):
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    currency = models.CharField(_("currency"), max_length=3)
    amendment_rule = models.TextField(_("amendment rule"), blank=True)
    monitored_by = models.CharField(_("monitored by"), max_length=300, blank=True)
    report_prepared_by = models.CharField(_("annual report prepared by"), max_length=300, blank=True)
    source_note = models.TextField(_("source"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-start_year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="plan_code_unique_per_tenant"),
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")), name="plan_years_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class VersionKind(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    AMENDMENT = "amendment", _("Amendment")


class PlanVersion(TenantOwnedModel):
    """The council decision that approved the plan, and each decision that amended it."""

    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=VersionKind.choices)
    decision_reference = models.CharField(_("council decision"), max_length=200, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    summary = models.TextField(_("summary of changes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["municipality", "plan", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"v{self.number} {self.decision_reference}"


class Stage(TenantOwnedModel):
    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=100)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}-{self.end_year})"


class Area(TenantOwnedModel):
    """A section of the plan (Bălți: "I. PREVENIREA EXCLUDERII SOCIALE")."""

    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["municipality", "plan", "code"], name="plan_area_code_unique")]

    def __str__(self) -> str:
        return self.title


class GeneralObjective(TenantOwnedModel):
    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="general_objectives")
    area = TenantForeignKey(Area, null=True, blank=True, on_delete=models.CASCADE, related_name="general_objectives")
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("title"))
    horizon = models.CharField(_("horizon"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "plan", "code"], name="general_objective_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class TargetOperator(models.TextChoices):
    AT_LEAST = ">=", _("at least")
    AT_MOST = "<=", _("at most")
    EQUAL = "=", _("exactly")


class SpecificObjective(TenantOwnedModel):
    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="specific_objectives")
    general_objective = TenantForeignKey(GeneralObjective, on_delete=models.CASCADE, related_name="specific_objectives")
    code = models.CharField(_("code"), max_length=20)
    target_text = models.TextField(_("target as written"))
    target_value = models.DecimalField(_("numeric target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_operator = models.CharField(_("target operator"), max_length=2, choices=TargetOperator.choices, blank=True)
    target_unit = models.CharField(_("target unit"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "plan", "code"], name="specific_objective_code_unique"),
            models.CheckConstraint(
                condition=models.Q(target_value__isnull=True) | ~models.Q(target_operator=""),
                name="specific_objective_numeric_target_has_operator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.target_text}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


class Action(TenantOwnedModel):
    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    general_objective = TenantForeignKey(GeneralObjective, on_delete=models.CASCADE, related_name="actions")
    specific_objective = TenantForeignKey(
        SpecificObjective, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    stage = TenantForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("title"))
    responsible_text = models.TextField(_("responsible, as written"), blank=True)
    partners_text = models.TextField(_("partners, as written"), blank=True)
    responsible = TenantManyToManyField(  # type: ignore[var-annotated]
        "core.Organisation", through="ActionResponsible", related_name="plan_actions_responsible", blank=True
    )
    partners = TenantManyToManyField(  # type: ignore[var-annotated]
        "core.Organisation", through="ActionPartner", related_name="plan_actions_partner", blank=True
    )
    term = models.CharField(_("term"), max_length=60, blank=True)
    funding_text = models.TextField(_("funding, as written"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress_note = models.TextField(_("progress notes"), blank=True)
    source_note = models.CharField(_("source"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["municipality", "plan", "code"], name="action_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ActionResponsible(TenantOwnedModel):
    """A body responsible for an action (the through table of ``Action.responsible``)."""

    action = TenantForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    organisation = TenantForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        db_table = "plans_action_responsible"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "action", "organisation"], name="action_responsible_once")
        ]


class ActionPartner(TenantOwnedModel):
    """A partner of an action (the through table of ``Action.partners``)."""

    action = TenantForeignKey(Action, on_delete=models.CASCADE, related_name="+")
    organisation = TenantForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        db_table = "plans_action_partners"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "action", "organisation"], name="action_partner_once")
        ]


PLAN_LANGUAGE = "ro"  # the language both municipalities' plans are written in (the seeds)


class FundingKind(models.TextChoices):
    LOCAL_BUDGET = "local_budget", _("Local budget")
    STATE_BUDGET = "state_budget", _("State budget")
    DONORS_NGO = "donors_ngo", _("Donors / NGO")
    BENEFICIARIES = "beneficiaries", _("Beneficiaries")
    EU_PROGRAMME = "eu_programme", _("EU programme")
    CSR = "csr", _("Corporate social responsibility")
    OTHER = "other", _("Other")


class FundingSource(TenantOwnedModel):
    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="funding_sources")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=FundingKind.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["plan", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "plan", "code"], name="funding_source_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The source in the reader's language: as the plan writes it for a Romanian reader; for the others the
        kind of funding translated, with the plan's own name beside it unless the name is just that kind."""
        kind = str(self.get_kind_display())
        if translation.get_language() == PLAN_LANGUAGE:
            return self.name
        with translation.override(PLAN_LANGUAGE):
            generic = str(FundingKind(self.kind).label)
        return kind if self.name.strip().casefold() == generic.casefold() else f"{kind} ({self.name})"


class CostKind(models.TextChoices):
    AMOUNT = "amount", _("Amount")
    WITHIN_AVAILABLE = "within_available", _("Within available resources")
    NONE = "none", _("None")
    BLANK = "blank", _("Not filled in")
    UNQUANTIFIED = "unquantified", _("Named, not quantified")


class CostLine(TenantOwnedModel):
    """One cell of the plan's cost table: an action × a funding source, planned as written."""

    action = TenantForeignKey(Action, on_delete=models.CASCADE, related_name="cost_lines")
    funding_source = TenantForeignKey(FundingSource, on_delete=models.CASCADE, related_name="cost_lines")
    as_written = models.TextField(_("as written"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CostKind.choices)
    planned_amount = models.DecimalField(_("planned amount"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["action", "funding_source__order"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "action", "funding_source"], name="cost_line_unique"),
            models.CheckConstraint(
                condition=models.Q(planned_amount__isnull=True) | models.Q(planned_amount__gte=0),
                name="cost_line_planned_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action.code} · {self.funding_source}: {self.as_written}"


class DisaggregationSet(TenantOwnedModel):
    """A DHIS2-like category combination: dimensions, each with options; their product are the cells.

    ``dimensions`` = [{"code": "sex", "label": "Sex", "options": [{"code": "f", "label": "women"}, …]}, …]
    """

    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    dimensions = models.JSONField(_("dimensions"), default=list)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="disaggregation_set_unique")]

    def __str__(self) -> str:
        return self.name

    def dimension_codes(self) -> list[str]:
        return [d["code"] for d in self.dimensions]

    def combos(self) -> list[str]:
        """Every cell key, e.g. ``sex=f|age=0-6|disability=yes``."""
        axes = [[f"{d['code']}={o['code']}" for o in d["options"]] for d in self.dimensions]
        return ["|".join(parts) for parts in itertools.product(*axes)] if axes else []

    def option_label(self, dimension: str, option: str) -> str:
        known = OPTION_LABELS.get((dimension, option))
        if known is not None:
            return str(known)
        for d in self.dimensions:
            if d["code"] == dimension:
                for o in d["options"]:
                    if o["code"] == option:
                        return str(o["label"])
        return option

    def combo_label(self, combo: str) -> str:
        return " · ".join(self.option_label(d, o) for d, o in parse_combo(combo).items())

    def grid(self) -> tuple[str | None, list[str], list[list[str]]]:
        """A table layout of the cells: (row dimension, column combos, rows of full combos).

        Rows are the age bands when there is an age dimension; columns the product of the others.
        """
        if not self.dimensions:
            return None, [], []
        codes = self.dimension_codes()
        row_dim = "age" if "age" in codes else codes[0]
        others = [d for d in self.dimensions if d["code"] != row_dim]
        col_parts = [[f"{d['code']}={o['code']}" for o in d["options"]] for d in others]
        columns = ["|".join(p) for p in itertools.product(*col_parts)] if others else [""]
        row_options = next(d for d in self.dimensions if d["code"] == row_dim)["options"]
        order = {c: i for i, c in enumerate(codes)}
        rows = []
        for option in row_options:
            row = []
            for col in columns:
                parts = {**parse_combo(col), row_dim: option["code"]}
                row.append("|".join(f"{k}={v}" for k, v in sorted(parts.items(), key=lambda kv: order[kv[0]])))
            rows.append(row)
        return row_dim, columns, rows


# Labels of the default dimensions' options, translated at display time.
OPTION_LABELS = {
    ("sex", "f"): _("women"),
    ("sex", "m"): _("men"),
    ("disability", "yes"): _("with disability"),
    ("disability", "no"): _("without disability"),
    # Computed indicators put persons whose sex or birth date is not recorded in these cells.
    ("sex", "unknown"): _("sex not recorded"),
    ("age", "unknown"): _("age not recorded"),
}


def parse_combo(combo: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in combo.split("|") if part) if combo else {}


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENTAGE = "percentage", _("Percentage")
    MILESTONE = "milestone", _("Yes/no milestone")
    LIST = "list", _("Descriptive list")
    FREQUENCY = "frequency", _("Frequency")
    PERIOD = "period", _("Time period")
    PER_BENEFICIARY = "per_beneficiary", _("Quantity per beneficiary")


class IndicatorSource(models.TextChoices):
    ENTERED = "entered", _("Entered by the responsible body")
    COMPUTED = "computed", _("Computed from CareNet data")


class Indicator(TenantOwnedModel):
    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    action = TenantForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators")
    general_objective = TenantForeignKey(
        GeneralObjective, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("code"), max_length=30)
    text = models.TextField(_("indicator"))
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=IndicatorKind.choices)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    disaggregation = TenantForeignKey(
        DisaggregationSet, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    source = models.CharField(
        _("source"), max_length=10, choices=IndicatorSource.choices, default=IndicatorSource.ENTERED
    )
    computation = models.CharField(_("computed by"), max_length=80, blank=True)
    # What a definition over a register counts for this indicator (activities of a kind, of the indicator's
    # own action, participants of an age …); see carenet/plans/computations_registers.py.
    computation_filters = models.JSONField(_("computation filters"), default=dict, blank=True)
    # A computed count limited to some directory services (e.g. "beneficiaries of the day centres");
    # empty: every service of the municipality.
    services = TenantManyToManyField(  # type: ignore[var-annotated]
        "directory.Service",
        through="IndicatorService",
        blank=True,
        related_name="+",
        verbose_name=_("counted services"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "plan", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=models.Q(source="entered", computation="")
                | (models.Q(source="computed") & ~models.Q(computation="")),
                name="indicator_computed_names_its_query",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def is_numeric(self) -> bool:
        return self.kind in (
            IndicatorKind.COUNT,
            IndicatorKind.PERCENTAGE,
            IndicatorKind.FREQUENCY,
            IndicatorKind.PER_BENEFICIARY,
            IndicatorKind.PERIOD,
        )


class IndicatorService(TenantOwnedModel):
    """A directory service a computed indicator counts (the through table of ``Indicator.services``)."""

    indicator = TenantForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    service = TenantForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        db_table = "plans_indicator_services"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "indicator", "service"], name="indicator_service_once")
        ]


class IndicatorTarget(TenantOwnedModel):
    indicator = TenantForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    operator = models.CharField(
        _("operator"), max_length=2, choices=TargetOperator.choices, default=TargetOperator.AT_LEAST
    )
    value = models.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    text = models.CharField(_("target as written"), max_length=300, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "indicator", "year"], name="indicator_target_unique")
        ]


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    LOCKED = "locked", _("Locked")


class ReportingPeriod(TenantOwnedModel):
    """A reporting period of a plan (DHIS2 period id, e.g. "2025")."""

    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="periods")
    code = models.CharField(_("period"), max_length=20)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    deadline = models.DateField(_("reporting deadline"))
    status = models.CharField(_("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["plan", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "plan", "code"], name="reporting_period_unique"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="period_dates_order"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def year(self) -> int:
        return self.start_date.year


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Sent back")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked")


class Submission(TenantOwnedModel):
    """One responsible body's report for one period: its actions and their indicators."""

    period = TenantForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="submissions")
    organisation = TenantForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="plan_submissions")
    status = models.CharField(
        _("status"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["period", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period", "organisation"], name="submission_unique_per_body"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.organisation}"

    @property
    def is_editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class ActionProgress(TenantOwnedModel):
    """A body's status and narrative for one action in one period."""

    submission = TenantForeignKey(Submission, on_delete=models.CASCADE, related_name="action_progress")
    action = TenantForeignKey(Action, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    note = models.TextField(_("progress note"), blank=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "submission", "action"], name="action_progress_unique")
        ]


class CostExecution(TenantOwnedModel):
    """Money actually spent on a cost line in a period, as reported by a body."""

    submission = TenantForeignKey(Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="costs")
    cost_line = TenantForeignKey(CostLine, on_delete=models.CASCADE, related_name="executions")
    period = TenantForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="cost_executions")
    planned_amount = models.DecimalField(
        _("planned for the period"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    executed_amount = models.DecimalField(_("executed"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "cost_line", "period", "submission"], name="cost_execution_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(executed_amount__isnull=True) | models.Q(executed_amount__gte=0),
                name="cost_execution_not_negative",
            ),
        ]


TOTAL = ""  # the category option combo of an undisaggregated value


class IndicatorValue(TenantOwnedModel):
    """One data value: indicator × period × area × disaggregation × funding source × reporting body."""

    indicator = TenantForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = TenantForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="values")
    area_code = models.CharField(_("area"), max_length=60, blank=True, default="")
    combo = models.CharField(_("disaggregation"), max_length=200, blank=True, default=TOTAL)
    funding_code = models.CharField(_("funding source"), max_length=60, blank=True, default="")
    body_code = models.CharField(_("reporting body"), max_length=80, blank=True, default="")
    submission = TenantForeignKey(Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=16, decimal_places=4, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    is_computed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "indicator", "period", "area_code", "combo", "funding_code", "body_code"],
                name="indicator_value_unique_key",
            ),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True) | models.Q(denominator__gt=0),
                name="indicator_value_denominator_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "period", "indicator"], name="plans_value_period_idx"),
            # Descriptive values are few: the report fetches them through this small partial index.
            models.Index(fields=["period", "indicator"], condition=models.Q(text__gt=""), name="plans_value_text_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.code} {self.combo or 'total'}: {self.value}"


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")
    INFO = "info", _("Information")
    MISSING = "missing", _("Missing data")


class ContextTable(TenantOwnedModel):
    """Context statistics stated in the plan (population by age and sex, other figures), as written."""

    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="context_tables")
    key = models.SlugField(max_length=80)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict)

    class Meta(TenantOwnedModel.Meta):
        constraints = [models.UniqueConstraint(fields=["municipality", "plan", "key"], name="context_table_unique")]


class Finding(TenantOwnedModel):
    """A data-quality finding about the plan or its data (imported from the source analysis or computed)."""

    plan = TenantForeignKey(Plan, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField(_("code"), max_length=40)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    message = models.TextField(_("finding"))
    origin = models.CharField(_("origin"), max_length=40)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["municipality", "plan", "code"], name="finding_code_unique")]


def default_sex_age_disability(age_bands: list[str]) -> list[dict[str, Any]]:
    """The default disaggregation: sex × age band × disability (labels are translated at display)."""
    return [
        {"code": "sex", "label": "sex", "options": [{"code": "f", "label": "female"}, {"code": "m", "label": "male"}]},
        {"code": "age", "label": "age", "options": [{"code": b, "label": b} for b in age_bands]},
        {
            "code": "disability",
            "label": "disability",
            "options": [{"code": "yes", "label": "with disability"}, {"code": "no", "label": "without disability"}],
        },
    ]

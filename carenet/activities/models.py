"""The registers a plan is measured from, beyond case files (issue 17, decision 0016).

* **Activities and events** (trainings, platform meetings, campaigns, community events, …) of a kind from the
  tenant's own list, organised by a provider, possibly linked to a plan action; their **participants** are
  counted either anonymously (sex × age band × disability, as the sign-in sheet asks) or as named
  registered persons (attendance), never both for the same person.
* **Staff** of the network's organisations (specialists by profession and post, employment dates) and their
  **training records** (often an activity of the register).
* **Agreements** (partnerships, protocols, contracts) between organisations.

Every row is tenant-owned (docs/architecture.md §10). The lists a law or a municipality decides (activity
kinds, the age bands of the sign-in sheet) are rows with validity dates, never constants.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carenet.core.tenancy import TenantForeignKey, TenantManyToManyField, TenantOwnedModel


class KindCategory(models.TextChoices):
    """What an activity kind is, for the plans' counts (a tenant names its kinds; the category is shared)."""

    TRAINING = "training", _("Training, course or seminar")
    VOCATIONAL = "vocational", _("Vocational training programme")
    INFORMATION = "information", _("Information session")
    CAMPAIGN = "campaign", _("Information or awareness campaign")
    MEETING = "meeting", _("Meeting, platform session or round table")
    EVENT = "event", _("Community or cultural event")
    VISIT = "visit", _("Exchange or study visit")
    MEDIA = "media", _("Media item (article, broadcast, success story)")
    EVALUATION = "evaluation", _("Evaluation or analysis")
    CONSULTATION = "consultation", _("Public consultation")
    VOLUNTEERING = "volunteering", _("Volunteering initiative")
    ACTIVE_AGEING = "active_ageing", _("Active ageing programme")
    OTHER = "other", _("Other")


class ActivityKind(TenantOwnedModel):
    """One entry of the municipality's list of activity kinds, valid between two dates."""

    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=KindCategory.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["order", "name"]
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="activity_kind_code_unique")]

    def __str__(self) -> str:
        return self.name


class AgeBand(TenantOwnedModel):
    """An age band of the sign-in sheet (the municipality's plan bands: Bălți 0-6 … 64+, Baia Mare 0-17 …)."""

    code = models.CharField(_("age band"), max_length=20)
    low = models.PositiveSmallIntegerField(_("from age"))
    high = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["order", "low"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="activity_age_band_unique"),
            models.CheckConstraint(
                condition=models.Q(high__isnull=True) | models.Q(high__gte=models.F("low")),
                name="activity_age_band_order",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(TenantOwnedModel):
    kind = TenantForeignKey(ActivityKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.HELD)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    organiser = TenantForeignKey(
        "core.Organisation", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    partners = TenantManyToManyField(  # type: ignore[var-annotated]
        "core.Organisation", through="ActivityPartner", blank=True, related_name="+", verbose_name=_("partners")
    )
    # The plan action the activity implements. Referenced by label: activities never import the plans
    # (a higher layer); the plans read this register through its selectors (decision 0016).
    plan_action = TenantForeignKey(
        "plans.Action",
        verbose_name=_("plan action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.CharField(_("topics"), max_length=500, blank=True)
    modules = models.PositiveSmallIntegerField(_("training modules"), default=0)
    trainers = models.CharField(_("trainers"), max_length=300, blank=True)
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    funding_source = models.CharField(_("funding source"), max_length=200, blank=True)
    # A programme with enrolment (a vocational course): how many enrolled and how many completed it.
    enrolled = models.PositiveIntegerField(_("enrolled"), null=True, blank=True)
    completed = models.PositiveIntegerField(pgettext_lazy("participants", "completed"), null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-starts_on", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_dates_order",
            ),
            models.CheckConstraint(
                condition=models.Q(cost__isnull=True) | models.Q(cost__gte=0), name="activity_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(completed__isnull=True)
                | (models.Q(enrolled__isnull=False) & models.Q(completed__lte=models.F("enrolled"))),
                name="activity_completed_within_enrolled",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "starts_on"], name="activity_date_idx")]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} {self.title}"


class ActivityPartner(TenantOwnedModel):
    """A partner organisation of an activity (the through table of ``Activity.partners``)."""

    activity = TenantForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    organisation = TenantForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "activity", "organisation"], name="activity_partner_once")
        ]


class ParticipantSex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Not recorded")


class DisabilityAnswer(models.TextChoices):
    """As the Washington Group short set asks it, kept apart from "not asked" and "refused" (never imputed)."""

    YES = "yes", _("With disability")
    NO = "no", _("Without disability")
    NOT_ASKED = "not_asked", _("Not asked")
    REFUSED = "refused", _("Refused to answer")


class ParticipantCount(TenantOwnedModel):
    """Anonymous participants of an activity: ``number`` persons of one sex, age band and disability answer.

    A sign-in sheet submission is one row with its device-made ``client_key``: a resend of the same
    submission finds the row and is not counted twice.
    """

    activity = TenantForeignKey(Activity, on_delete=models.CASCADE, related_name="counts")
    sex = models.CharField(_("sex"), max_length=1, choices=ParticipantSex.choices, default=ParticipantSex.UNKNOWN)
    age_band = models.CharField(_("age band"), max_length=20, blank=True)  # an AgeBand code; "" = not recorded
    disability = models.CharField(
        _("disability"), max_length=10, choices=DisabilityAnswer.choices, default=DisabilityAnswer.NOT_ASKED
    )
    number = models.PositiveIntegerField(_("number of persons"), default=1)
    client_key = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="participant_count_key_once",
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="participant_count_positive"),
        ]


class Attendance(TenantOwnedModel):
    """A registered person who took part in an activity (sex, age and disability come from the person)."""

    activity = TenantForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    person = TenantForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    client_key = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "activity", "person"], name="attendance_once"),
            models.UniqueConstraint(
                fields=["municipality", "client_key"],
                condition=models.Q(client_key__isnull=False),
                name="attendance_key_once",
            ),
        ]


class Profession(models.TextChoices):
    SOCIAL_ASSISTANT = "social_assistant", _("Social assistant")
    COMMUNITY_ASSISTANT = "community_assistant", _("Community social assistant")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    PERSONAL_ASSISTANT = "personal_assistant", _("Personal assistant")
    CARER = "carer", _("Carer")
    NURSE = "nurse", _("Nurse")
    TEACHER = "teacher", _("Teacher or educator")
    MANAGER = "manager", _("Manager")
    OTHER = "other", _("Other")


class StaffMember(TenantOwnedModel):
    """A specialist of an organisation of the network (personal data: seen by their organisation and the
    coordinator only)."""

    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=ParticipantSex.choices, default=ParticipantSex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    profession = models.CharField(_("profession"), max_length=30, choices=Profession.choices)
    post = models.CharField(_("post"), max_length=200, blank=True)
    qualification = models.CharField(_("qualification"), max_length=300, blank=True)
    employed_from = models.DateField(_("employed from"))
    employed_to = models.DateField(_("employed until"), null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["full_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employed_to__isnull=True) | models.Q(employed_to__gte=models.F("employed_from")),
                name="staff_employment_order",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


class TrainingRecord(TenantOwnedModel):
    """A training a staff member attended (an activity of the register, or one held elsewhere)."""

    staff = TenantForeignKey(StaffMember, on_delete=models.CASCADE, related_name="trainings")
    activity = TenantForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("training"), max_length=300)
    completed_on = models.DateField(_("completed on"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    certificate = models.CharField(_("certificate"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "staff", "activity"],
                condition=models.Q(activity__isnull=False),
                name="training_record_once_per_activity",
            )
        ]


class AgreementKind(models.TextChoices):
    PARTNERSHIP = "partnership", _("Partnership agreement")
    COOPERATION = "cooperation", _("Cooperation protocol")
    CONTRACT = "contract", _("Service contract")
    MEMORANDUM = "memorandum", _("Memorandum of understanding")
    OTHER = "other", _("Other")


class Agreement(TenantOwnedModel):
    """A partnership, protocol or contract between organisations of the network (and outside parties)."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    parties = TenantManyToManyField(  # type: ignore[var-annotated]
        "core.Organisation", through="AgreementParty", blank=True, related_name="+", verbose_name=_("parties")
    )
    other_parties = models.CharField(_("other parties"), max_length=500, blank=True)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    plan_action = TenantForeignKey(
        "plans.Action",
        verbose_name=_("plan action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-signed_on"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=models.F("signed_on")),
                name="agreement_dates_order",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AgreementParty(TenantOwnedModel):
    agreement = TenantForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    organisation = TenantForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "agreement", "organisation"], name="agreement_party_once")
        ]


# --- media, recommendations, accessibility evaluations, sub-plans (issue 17, decision 0025) ----------------


def _plan_action(verbose: Any = None) -> Any:
    # Referenced by label: activities never import the plans (decision 0016).
    return TenantForeignKey(
        "plans.Action",
        verbose_name=verbose or _("plan action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class MediaKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    BROADCAST = "broadcast", _("Radio or TV broadcast")
    SUCCESS_STORY = "success_story", _("Success story")
    PANEL = "panel", _("Information panel (placement or update)")
    WEB = "web", _("Web page or social media post")
    LEAFLET = "leaflet", _("Leaflet or poster")


class MediaItem(TenantOwnedModel):
    """An article, broadcast, success story, or a placement/update of an information panel."""

    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MediaKind.choices)
    title = models.CharField(_("title"), max_length=300)
    outlet = models.CharField(_("media outlet"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"))
    topic = models.CharField(_("topics"), max_length=500, blank=True)
    link = models.URLField(_("link"), blank=True)
    plan_action = _plan_action()
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-published_on", "title"]
        verbose_name = _("media item")
        verbose_name_plural = _("media items")
        indexes = [models.Index(fields=["municipality", "published_on"], name="media_item_date_idx")]

    def __str__(self) -> str:
        return self.title


class RecommendationSource(models.TextChoices):
    PLATFORM = "platform", _("Beneficiaries–institutions platform")
    EVALUATION = "evaluation", _("Evaluation or monitoring")
    CONSULTATION = "consultation", _("Public consultation")
    AUDIT = "audit", _("Audit or inspection")
    OTHER = "other", _("Other")


class RecommendationStatus(models.TextChoices):
    FORMULATED = "formulated", _("Formulated")
    IN_PROGRESS = "in_progress", _("Being implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    REJECTED = "rejected", _("Not accepted")


class Recommendation(TenantOwnedModel):
    """A recommendation formulated (by the platform, an evaluation …) to an organisation, and its follow-up."""

    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=RecommendationSource.choices)
    activity = TenantForeignKey(
        Activity, verbose_name=_("formulated at"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("recommendation"))
    formulated_on = models.DateField(_("formulated on"))
    status = models.CharField(
        _("status"), max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.FORMULATED
    )
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    plan_action = _plan_action()
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-formulated_on"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(status="implemented") & models.Q(implemented_on__gte=models.F("formulated_on")))
                | (~models.Q(status="implemented") & models.Q(implemented_on__isnull=True)),
                name="recommendation_implemented_dated",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class EvaluationTarget(models.TextChoices):
    BUILDING = "building", _("Building")
    WEB = "web", _("Web page")
    SYSTEM = "system", _("Information system")
    TRANSPORT = "transport", _("Public transport")


class AccessibilityResult(models.TextChoices):
    ACCESSIBLE = "accessible", _("Accessible")
    PARTLY = "partly", _("Partly accessible")
    NOT_ACCESSIBLE = "not_accessible", _("Not accessible")


class AccessibilityEvaluation(TenantOwnedModel):
    """An accessibility evaluation of a building, web page or information system of an organisation, and
    the date it was adapted (if it was)."""

    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.CharField(_("what was evaluated"), max_length=20, choices=EvaluationTarget.choices)
    name = models.CharField(_("name or address"), max_length=300)
    evaluated_on = models.DateField(_("evaluated on"))
    result = models.CharField(_("result"), max_length=20, choices=AccessibilityResult.choices)
    adapted_on = models.DateField(_("adapted on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    plan_action = _plan_action()
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-evaluated_on"]
        verbose_name = _("accessibility evaluation")
        verbose_name_plural = _("accessibility evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(adapted_on__isnull=True) | models.Q(adapted_on__gte=models.F("evaluated_on")),
                name="accessibility_adapted_after_evaluation",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SubPlanKind(models.TextChoices):
    SOCIAL_SERVICES = "social_services", _("Annual plan of a social service")
    LIBRARY = "library", _("Annual plan of a library")
    CULTURE = "culture", _("Annual plan of a cultural institution")
    YOUTH = "youth", _("Youth plan")
    ACCESSIBILITY = "accessibility", _("Accessibility plan")
    OTHER = "other", _("Other plan")


class SubPlan(TenantOwnedModel):
    """An annual activity plan of an organisation of the network (a social service, a library, the Palace of
    Culture, the accessibility plan), with its own indicators and their achievement."""

    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SubPlanKind.choices)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    plan_action = _plan_action()
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-year", "title"]
        verbose_name = _("sub-plan")
        verbose_name_plural = _("sub-plans")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class SubPlanIndicator(TenantOwnedModel):
    """One indicator of a sub-plan; ``achieved`` is empty until it is assessed at the year's end."""

    sub_plan = TenantForeignKey(SubPlan, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(_("indicator"), max_length=500)
    target = models.CharField(_("target"), max_length=200, blank=True)
    achieved = models.BooleanField(_("achieved"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["order"]
        verbose_name = _("sub-plan indicator")
        verbose_name_plural = _("sub-plan indicators")

"""The citizen side of the network: news, requests for help, feedback, surveys and consultations.

The finder (finder_*.py) and transparency (transparency_*.py) parts of the portal keep no rows of
their own here; everything below belongs to the "engage" part (help_*, engage_*, news).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantForeignKey, TenantOneToOneField, TenantOwnedModel

# ---------------------------------------------------------------------------------------------------
# News and announcements


class NewsItem(TenantOwnedModel):
    """An announcement of the municipality (no organisation) or of one provider."""

    organisation = TenantForeignKey(
        "core.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    body = models.TextField(_("text"), max_length=10000)
    is_published = models.BooleanField(_("published"), default=True)
    published_at = models.DateTimeField(_("published on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["municipality", "is_published", "-published_at"])]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------------------------------
# Requests for help


class HelpFor(models.TextChoices):
    SELF = "self", _("Me")
    RELATIVE = "relative", _("A relative")
    NEIGHBOUR = "neighbour", _("A neighbour or someone I know")


class HelpNeed(models.TextChoices):
    FOOD = "food", _("Food or a hot meal")
    HOUSING = "housing", _("A place to live or heating")
    MONEY = "money", _("Money, benefits or bills")
    OLDER = "older", _("Care for an older person")
    CHILD = "child", _("A child or a family")
    DISABILITY = "disability", _("Disability")
    HEALTH = "health", _("Health or mental health")
    VIOLENCE = "violence", _("Violence or abuse")
    OTHER = "other", _("Something else")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    VISIT = "visit", _("I will come to the office")


class HelpStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSESSING = "assessing", _("Being assessed")
    DIRECTED = "directed", _("Directed to a service")
    CLOSED = "closed", _("Closed")


class HelpRequest(TenantOwnedModel):
    """A request for help sent from the public site, with or without an account.

    The citizen follows it with ``tracking_code`` and sees only the status and its dates; everything
    else is for the staff of the organisation it is routed to (and the coordinator).
    """

    tracking_code = models.CharField(_("tracking code"), max_length=12)
    help_for = models.CharField(_("who needs help"), max_length=12, choices=HelpFor.choices)
    need = models.CharField(_("kind of help"), max_length=12, choices=HelpNeed.choices)
    area = TenantForeignKey(
        "geo.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    area_text = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("what is happening"), max_length=2000, blank=True)
    contact_name = models.CharField(_("name"), max_length=120)
    contact_method = models.CharField(_("how to contact you"), max_length=8, choices=ContactMethod.choices)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    consent_at = models.DateTimeField(_("consent to processing given on"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=HelpStatus.choices, default=HelpStatus.RECEIVED)
    routed_organisation = TenantForeignKey(
        "core.Organisation",
        verbose_name=_("routed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    directed_service = TenantForeignKey(
        "directory.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent on"), auto_now_add=True)
    first_contact_at = models.DateTimeField(_("first contact on"), null=True, blank=True)
    first_contact_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(_("status changed on"), null=True, blank=True)
    # Taken up: the person and the case opened from the request in one step (portal.services.help_request_take_up);
    # the citizen's tracking page names the provider that took it up.
    case = TenantForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_up_by = TenantForeignKey(
        "core.Organisation",
        verbose_name=_("taken up by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Contact details and free text are erased once the retention period after closing has passed;
    # what remains (need, area, dates, statuses) still feeds the KPIs.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "routed_organisation", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "tracking_code"], name="help_request_tracking_code_unique"),
            models.CheckConstraint(
                condition=models.Q(first_contact_at__isnull=True)
                | models.Q(first_contact_at__gte=models.F("created_at")),
                name="help_first_contact_after_request",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def display_code(self) -> str:
        code = self.tracking_code
        return "-".join(code[i : i + 3] for i in range(0, len(code), 3))


class HelpRequestStatusChange(TenantOwnedModel):
    """The public timeline of a request: status and date only (nothing internal)."""

    request = TenantForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=10, choices=HelpStatus.choices)
    at = models.DateTimeField()

    class Meta(TenantOwnedModel.Meta):
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.status} {self.at:%Y-%m-%d %H:%M}"


class RoutingRule(TenantOwnedModel):
    """One line of a municipality's routing table for requests for help.

    The most specific rule wins: need + area, then need only, then area only, then the default
    (neither). Ties go to the lowest ``priority``. See ``carenet.portal.routing``.
    """

    need = models.CharField(_("kind of help"), max_length=12, choices=HelpNeed.choices, blank=True)
    area = TenantForeignKey("geo.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.CASCADE)
    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["priority", "need"]

    def __str__(self) -> str:
        return f"{self.need or '*'} / {self.area_id or '*'} → {self.organisation_id}"


# ---------------------------------------------------------------------------------------------------
# Feedback on services


class FeedbackInvite(TenantOwnedModel):
    """A one-time code (or link) a provider gives to a person who received a service."""

    code = models.CharField(max_length=12)
    service = TenantForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    help_request = TenantForeignKey(HelpRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="feedback_invite_code_unique")]

    def __str__(self) -> str:
        return self.code


class FeedbackAspect(models.TextChoices):
    WAITING = "waiting", _("Waiting time")
    RESPECT = "respect", _("Respect and kindness")
    INFORMATION = "information", _("Clear information")
    RESULT = "result", _("The help I got")
    ACCESS = "access", _("Easy to reach")


class ServiceFeedback(TenantOwnedModel):
    service = TenantForeignKey(
        "directory.Service", verbose_name=_("service"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = TenantForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")
    invite = TenantOneToOneField(
        FeedbackInvite, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(_("how satisfied are you"))
    went_well = models.JSONField(_("what went well"), default=list, blank=True)
    went_badly = models.JSONField(_("what went badly"), default=list, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    author_name = models.CharField(_("name"), max_length=120, blank=True)  # empty = anonymous
    may_publish = models.BooleanField(_("may be published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(_("answer"), max_length=2000, blank=True)
    reply_is_public = models.BooleanField(_("public answer"), default=False)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} · {self.rating}"


# ---------------------------------------------------------------------------------------------------
# Surveys


class SurveyAudience(models.TextChoices):
    PUBLIC = "public", _("Everyone (public)")
    INVITED = "invited", _("A target group, by personal links")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Survey(TenantOwnedModel):
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), max_length=2000, blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=SurveyAudience.choices, default=SurveyAudience.PUBLIC
    )
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    # Per-survey salt of the respondent keys: the keys of two surveys can never be linked.
    salt = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    SCALE = "scale", _("Scale from 1 to 5")
    TEXT = "text", _("Text")


class SurveyQuestion(TenantOwnedModel):
    survey = TenantForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # Conditional question: asked only when an earlier question got this answer.
    show_if_question = TenantForeignKey(
        "self",
        verbose_name=_("only if the question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    show_if_value = models.CharField(_("has the answer"), max_length=200, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(TenantOwnedModel):
    survey = TenantForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent_key = models.CharField(max_length=64)
    answers = models.JSONField(default=dict)  # {question id: value or list of values}
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "survey", "respondent_key"], name="survey_one_response_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.created_at:%Y-%m-%d}"


class SurveyInvite(TenantOwnedModel):
    """A personal link of a target-group survey; only the hash of its token is stored."""

    survey = TenantForeignKey(Survey, on_delete=models.CASCADE, related_name="invites")
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "token_hash"], name="survey_invite_token_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} · {self.token_hash[:8]}"


# ---------------------------------------------------------------------------------------------------
# Ideas and consultations


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Open for comments")
    CLOSED = "closed", _("Closed")
    ANSWERED = "answered", _("Answered by the municipality")


class Consultation(TenantOwnedModel):
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000)
    draft_text = models.TextField(_("draft text"), max_length=50000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN
    )
    closes_on = models.DateField(_("open until"), null=True, blank=True)
    answer = models.TextField(_("the municipality's answer"), max_length=20000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ConsultationDocument(TenantOwnedModel):
    consultation = TenantForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="consultations/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.title


class ContributionPolicy(models.TextChoices):
    OPEN = "open", _("Anyone; published at once")
    PREMODERATED = "premoderated", _("Anyone; published once a moderator approves it")
    IDENTIFIED_ONLY = "identified_only", _("Only signed-in people; published at once")


# With no rules recorded, contributions wait for a moderator: a public page of the municipality then never
# shows a stranger's text nobody has read (insults, a neighbour's health or address) until the
# coordinator chooses to open it.
DEFAULT_CONTRIBUTION_POLICY = ContributionPolicy.PREMODERATED


class ConsultationRules(TenantOwnedModel):
    """Who may comment on and propose ideas to the municipality's consultations, valid between two dates."""

    contributions = models.CharField(_("contributions"), max_length=20, choices=ContributionPolicy.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("consultation rules")
        verbose_name_plural = _("consultation rules")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="consultation_rules_once_per_date"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="consultation_rules_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from} · {self.contributions}"


class ModerationState(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class Moderated(models.Model):
    """A contribution is published at once or waits for a moderator (``state``); a published one may later be
    hidden. Rejected and hidden contributions stay in the database (and in the audit log) with their reason:
    a hidden one's reason is shown publicly, a rejected one's only to its author."""

    state = models.CharField(max_length=10, choices=ModerationState.choices, default=ModerationState.PUBLISHED)
    # Who wrote it, so the author (and only they) see it while it waits: the signed-in user, or the salted hash
    # of the browser's token for an anonymous visitor (codes.respondent_key).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_key = models.CharField(max_length=64, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(_("reason"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class ConsultationComment(TenantOwnedModel, Moderated):
    consultation = TenantForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    author_name = models.CharField(_("name"), max_length=120, blank=True)
    text = models.TextField(_("comment"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


class Idea(TenantOwnedModel, Moderated):
    consultation = TenantForeignKey(Consultation, on_delete=models.CASCADE, related_name="ideas")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("your idea"), max_length=3000)
    author_name = models.CharField(_("name"), max_length=120, blank=True)
    support_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-support_count", "created_at"]

    def __str__(self) -> str:
        return self.title


class IdeaSupport(TenantOwnedModel):
    """One support per person and idea, keyed like survey answers (a salted hash of a cookie token)."""

    idea = TenantForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    supporter_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "idea", "supporter_key"], name="idea_one_support_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.idea_id} · {self.supporter_key[:8]}"


SEXES = ("female", "male")
AGE_BANDS = ("0-17", "18-34", "35-64", "65+")


class ConsultationSession(TenantOwnedModel):
    """A public meeting; feeds Bălți's "număr de beneficiari participanți" and "tematica ședințelor"."""

    consultation = TenantForeignKey(
        Consultation,
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    topics = models.TextField(_("topics"), max_length=2000)
    # {"female": {"0-17": n, ...}, "male": {...}}: counts only, never names.
    participants = models.JSONField(_("participants"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("consultation session")
        verbose_name_plural = _("consultation sessions")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on}"

    @property
    def female_total(self) -> int:
        return sum(int(n) for n in (self.participants or {}).get("female", {}).values())

    @property
    def male_total(self) -> int:
        return sum(int(n) for n in (self.participants or {}).get("male", {}).values())

    @property
    def total_participants(self) -> int:
        return sum(int(n) for by_age in (self.participants or {}).values() for n in by_age.values())

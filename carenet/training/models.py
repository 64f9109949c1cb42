"""Training and employment (issue 22, decision 0023).

* **Courses** offered by a provider of the network, a company (CSR) or a volunteer expert, with modules,
  sessions, a room (a public room lent to a commercial trainer in exchange for free places for vulnerable
  people: the bargain is a ``RoomOffer`` and its balance is counted), prerequisites, language and
  accessibility. Their completion rule (minimum attendance) and dropout rule (N absences) are data of the
  course; the municipality's defaults are ``TrainingRules`` rows with validity dates.
* **Enrolments** by a social worker (from a case, with the person's consent to share with the trainer) or by
  the person on the portal; a waiting list promoted in order when a place frees; a **roll call** per session
  (present / absent / excused, keyed by the device so a resend is not counted twice); **alerts** to the
  social worker (stored as codes, rendered in the reader's language); **certificates** with a public
  verification code.
* **Employment**: CV items, job fairs (employers and participants), job placements (mediation) with the
  follow-ups at 3 and 6 months.
* **Company profile**: whether the company publishes its contribution page.

Every row is tenant-owned (docs/architecture.md §10).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantForeignKey, TenantOneToOneField, TenantOwnedModel


class TrainingRules(TenantOwnedModel):
    """The municipality's default completion and dropout rules, valid between two dates (a course may set its
    own values; these fill a new course's form)."""

    min_attendance_percent = models.PositiveSmallIntegerField(_("minimum attendance for completion (%)"))
    dropout_after_absences = models.PositiveSmallIntegerField(_("dropout after this many unexcused absences"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="training_rules_once_per_date"),
            models.CheckConstraint(
                condition=models.Q(min_attendance_percent__lte=100), name="training_rules_percent_max"
            ),
            models.CheckConstraint(
                condition=models.Q(dropout_after_absences__gte=1), name="training_rules_absences_min"
            ),
        ]


class Room(TenantOwnedModel):
    """A room of a public institution where courses are held."""

    owner = TenantForeignKey("core.Organisation", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("room"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats"), null=True, blank=True)
    step_free = models.BooleanField(_("step-free access"), default=False)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "owner", "name"], name="training_room_once")]

    def __str__(self) -> str:
        return self.name


class RoomOffer(TenantOwnedModel):
    """A public room lent to a commercial trainer, who owes free places for vulnerable people in exchange."""

    room = TenantForeignKey(Room, verbose_name=_("room"), on_delete=models.PROTECT, related_name="offers")
    trainer = TenantForeignKey(
        "core.Organisation", verbose_name=_("commercial trainer"), on_delete=models.PROTECT, related_name="+"
    )
    free_places_owed = models.PositiveSmallIntegerField(_("free places owed"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="room_offer_dates_order",
            ),
            models.CheckConstraint(condition=models.Q(free_places_owed__gte=1), name="room_offer_places_min"),
        ]


class OfferedBy(models.TextChoices):
    PROVIDER = "provider", _("Provider of the network")
    COMPANY = "company", _("Company (social responsibility)")
    VOLUNTEER = "volunteer", _("Volunteer expert")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Qualification(models.TextChoices):
    CAREGIVER = "caregiver", _("Caregiver training (care matching)")


class Course(TenantOwnedModel):
    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("offered by"), on_delete=models.PROTECT, related_name="+"
    )
    offered_by = models.CharField(_("kind of offer"), max_length=10, choices=OfferedBy.choices)
    volunteer_name = models.CharField(_("volunteer expert"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    esco_code = models.CharField(_("ESCO skill or occupation code"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="ro")
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    prerequisites = models.CharField(_("prerequisites"), max_length=300, blank=True)
    trainers = models.CharField(_("trainers"), max_length=300, blank=True)
    room = TenantForeignKey(
        Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    room_offer = TenantForeignKey(
        RoomOffer,
        verbose_name=_("room lent in exchange for free places"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    places = models.PositiveSmallIntegerField(_("places"))
    free_places = models.PositiveSmallIntegerField(_("free places for vulnerable people"), default=0)
    hours = models.PositiveSmallIntegerField(_("hours"), default=0)
    # What its certificate counts as elsewhere in CareNet (care matching's caregiver training); empty: nothing.
    qualifies_for = models.CharField(
        _("its certificate counts as"), max_length=20, choices=Qualification.choices, blank=True
    )
    min_attendance_percent = models.PositiveSmallIntegerField(_("minimum attendance for completion (%)"))
    dropout_after_absences = models.PositiveSmallIntegerField(_("dropout after this many unexcused absences"))
    status = models.CharField(_("status"), max_length=10, choices=CourseStatus.choices, default=CourseStatus.DRAFT)
    starts_on = models.DateField(_("starts on"))
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-starts_on", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(condition=models.Q(places__gte=1), name="course_places_min"),
            models.CheckConstraint(
                condition=models.Q(free_places__lte=models.F("places")), name="course_free_le_places"
            ),
            models.CheckConstraint(condition=models.Q(min_attendance_percent__lte=100), name="course_percent_max"),
            models.CheckConstraint(condition=models.Q(dropout_after_absences__gte=1), name="course_absences_min"),
        ]
        indexes = [models.Index(fields=["municipality", "status", "starts_on"], name="course_catalogue_idx")]

    def __str__(self) -> str:
        return self.title


class Module(TenantOwnedModel):
    course = TenantForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("module"), max_length=300)
    hours = models.PositiveSmallIntegerField(_("hours"), default=0)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["order", "title"]


class TrainingSession(TenantOwnedModel):
    """One meeting of a course. ``activity`` is its row in the activities register when the course's
    organiser records activities there (decision 0023)."""

    course = TenantForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    module = TenantForeignKey(Module, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    number = models.PositiveSmallIntegerField(_("session"))
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("until"), null=True, blank=True)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    activity = TenantForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    roll_closed = models.BooleanField(_("roll call closed"), default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["held_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "course", "number"], name="training_session_number_once")
        ]


class EnrolmentStatus(models.TextChoices):
    WAITING = "waiting", _("On the waiting list")
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Did not complete")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_STATUSES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)


class EnrolmentChannel(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("By the social worker")
    PORTAL = "portal", _("On the portal")


class Enrolment(TenantOwnedModel):
    course = TenantForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    # A person of the registry (enrolled by their social worker); a portal applicant is a name and a contact
    # until a social worker links them to the registry.
    person = TenantForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    applicant_name = models.CharField(_("name"), max_length=200, blank=True)
    applicant_contact = models.CharField(_("phone or e-mail"), max_length=200, blank=True)
    case = TenantForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(_("enrolled"), max_length=15, choices=EnrolmentChannel.choices)
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=15, choices=EnrolmentStatus.choices)
    free_place = models.BooleanField(_("free place (room bargain)"), default=False)
    requested_at = models.DateTimeField(_("requested at"))
    decided_on = models.DateField(_("status since"), null=True, blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "course", "person"],
                condition=models.Q(person__isnull=False),
                name="enrolment_once_per_course",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(applicant_name=""), name="enrolment_names_someone"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "course", "status"], name="enrolment_status_idx")]

    @property
    def display_name(self) -> str:
        if self.person is not None:
            return f"{self.person.last_name} {self.person.first_name}"
        return self.applicant_name


class Mark(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class SessionMark(TenantOwnedModel):
    """One line of a session's roll call, once per enrolment and session; a resend of the same device key is
    found, not counted twice (the sign-in sheet's rule, decision 0016)."""

    session = TenantForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="marks")
    enrolment = TenantForeignKey(Enrolment, on_delete=models.CASCADE, related_name="marks")
    mark = models.CharField(_("attendance"), max_length=10, choices=Mark.choices)
    client_key = models.UUIDField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "session", "enrolment"], name="session_mark_once"),
            models.UniqueConstraint(fields=["municipality", "client_key"], name="session_mark_key_once"),
        ]


class Certificate(TenantOwnedModel):
    enrolment = TenantOneToOneField(Enrolment, on_delete=models.CASCADE, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=20)
    issued_on = models.DateField(_("issued on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="certificate_code_once")]


class AlertCode(models.TextChoices):
    DROPOUT = "dropout", _("Dropped out of a course")
    PROMOTED = "promoted", _("Moved from the waiting list into the course")
    COMPLETED = "completed", _("Completed a course")


class TrainingAlert(TenantOwnedModel):
    """A notice to a social worker, stored as a code and parameters (rendered in the reader's language)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enrolment = TenantForeignKey(Enrolment, on_delete=models.CASCADE, related_name="alerts")
    code = models.CharField(max_length=20, choices=AlertCode.choices)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "recipient", "read_at"], name="training_alert_inbox")]


# --- employment -------------------------------------------------------------------------------------------


class CvItemKind(models.TextChoices):
    EDUCATION = "education", _("Education")
    EXPERIENCE = "experience", _("Work experience")
    SKILL = "skill", _("Skill")
    LANGUAGE = "language", _("Language")


class CvItem(TenantOwnedModel):
    person = TenantForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("section"), max_length=12, choices=CvItemKind.choices)
    title = models.CharField(_("what"), max_length=300)
    place = models.CharField(_("where"), max_length=300, blank=True)
    year_from = models.PositiveSmallIntegerField(_("from (year)"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("until (year)"), null=True, blank=True)
    esco_code = models.CharField(_("ESCO code"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwnedModel.Meta):
        ordering = ["kind", "-year_from"]


class JobFair(TenantOwnedModel):
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    organiser = TenantForeignKey(
        "core.Organisation", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    employers = models.TextField(_("employers taking part (one a line)"), blank=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-held_on"]


class JobFairParticipant(TenantOwnedModel):
    fair = TenantForeignKey(JobFair, on_delete=models.CASCADE, related_name="participants")
    person = TenantForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    case = TenantForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "fair", "person"], name="job_fair_participant_once")
        ]


class PlacementOutcome(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    INTERVIEW = "interview", _("Interview")
    HIRED = "hired", _("Hired")
    REFUSED = "refused", _("Not hired")


class JobPlacement(TenantOwnedModel):
    """Mediation to a job: the employer, the post, the outcome and the follow-ups at 3 and 6 months."""

    person = TenantForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    case = TenantForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    fair = TenantForeignKey(JobFair, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    employer = models.CharField(_("employer"), max_length=300)
    post = models.CharField(_("post"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=10, choices=PlacementOutcome.choices)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    follow_up_3m_on = models.DateField(_("follow-up at 3 months"), null=True, blank=True)
    employed_at_3m = models.BooleanField(_("still employed at 3 months"), null=True, blank=True)
    follow_up_6m_on = models.DateField(_("follow-up at 6 months"), null=True, blank=True)
    employed_at_6m = models.BooleanField(_("still employed at 6 months"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_synthetic = models.BooleanField(default=False)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="hired") | models.Q(hired_on__isnull=False), name="placement_hired_date"
            )
        ]


class CompanyProfile(TenantOwnedModel):
    organisation = TenantOneToOneField("core.Organisation", on_delete=models.CASCADE, related_name="+")
    publish_contribution = models.BooleanField(_("publish our contribution page"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

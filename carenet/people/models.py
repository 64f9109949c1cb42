"""The network's one registry of persons: identity, household, contact, consents.

Special-category data (health, disability detail, ethnicity, violence history) lives in its own
table, ``SensitiveProfile``, so that no query made for an ordinary page can pull it by accident,
and so that masking is a matter of not loading one row.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantForeignKey, TenantManyToManyField, TenantOneToOneField, TenantOwnedModel

from .names import name_key, search_text
from .uploads import validate_scan


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    UNKNOWN = "U", _("Not recorded")


class IdentifierKind(models.TextChoices):
    CNP = "cnp", _("CNP (Romania)")
    IDNP = "idnp", _("IDNP (Republic of Moldova)")
    NONE = "", _("No national identifier")


class DocumentStatus(models.TextChoices):
    HAS_DOCUMENT = "has", _("Has an identity document")
    NO_DOCUMENT = "none", _("No identity document")
    UNKNOWN = "unknown", _("Not known yet")


class DocumentKind(models.TextChoices):
    IDENTITY_CARD = "identity_card", _("Identity card")
    PASSPORT = "passport", _("Passport")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    TEMPORARY = "temporary", _("Temporary identity document")
    OTHER = "other", _("Other document")


class AccessPurpose(models.TextChoices):
    """Why a caseworker opens a person outside their caseload (stored as the code in the audit's purpose)."""

    NEW_REQUEST = "new_request", _("A new request or intake for this person")
    REFERRAL = "referral", _("A referral to my provider")
    COVER = "cover", _("Covering for a colleague on this person's case")
    SUPERVISION = "supervision", _("Supervision or quality review")
    DUPLICATE = "duplicate_check", _("Checking for a duplicate record")
    REGISTRATION = "registration", _("I have just registered the person")
    OTHER = "other", _("Another reason (write it)")


class Person(TenantOwnedModel):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # The same person written in the other script (Cyrillic in Bălți, Latin for Russian speakers, …).
    other_spellings = models.CharField(
        _("other spellings of the name"),
        max_length=300,
        blank=True,
        help_text=_("E.g. the name in Cyrillic or without diacritics, as it appears on other papers."),
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    identifier_kind = models.CharField(
        _("national identifier type"), max_length=5, choices=IdentifierKind.choices, blank=True
    )
    national_id = models.CharField(_("national identifier (CNP / IDNP)"), max_length=13, blank=True)
    document_status = models.CharField(
        _("identity document"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.UNKNOWN
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    area = TenantForeignKey(
        "geo.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # The organisation that registered the person sees them even before a case is opened.
    registered_by_organisation = TenantForeignKey(
        "core.Organisation",
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_synthetic = models.BooleanField(
        _("synthetic (demo or benchmark data)"), default=False, help_text=_("Generated, not a real person.")
    )
    merged_into = TenantForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name_key = models.CharField(max_length=200, editable=False, blank=True)
    search_text = models.CharField(max_length=600, editable=False, blank=True)
    # Blocking keys of the record linkage (people.linkage): the name in two readings, the family name with the year.
    link_names = models.CharField(max_length=20, editable=False, blank=True)
    link_names_alt = models.CharField(max_length=20, editable=False, blank=True)
    link_family_year = models.CharField(max_length=20, editable=False, blank=True)
    link_given_year = models.CharField(max_length=20, editable=False, blank=True)
    link_word_initial = models.CharField(max_length=20, editable=False, blank=True)
    link_word_initial_alt = models.CharField(max_length=20, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["municipality", "name_key"], name="person_name_key"),
            models.Index(fields=["municipality", "link_names"], name="person_link_names"),
            models.Index(fields=["municipality", "link_names_alt"], name="person_link_names_alt"),
            models.Index(fields=["municipality", "link_family_year"], name="person_link_family_year"),
            models.Index(fields=["municipality", "link_given_year"], name="person_link_given_year"),
            models.Index(fields=["municipality", "link_word_initial"], name="person_link_word_initial"),
            models.Index(fields=["municipality", "link_word_initial_alt"], name="person_link_word_initial_alt"),
            models.Index(fields=["municipality", "birth_date"], name="person_birth_date"),
            models.Index(fields=["municipality", "national_id"], name="person_national_id"),
            models.Index(fields=["municipality", "registered_by_organisation"], name="person_registered_by"),
            # The list without a search: the most recently changed records, read in index order.
            models.Index(fields=["municipality", "-updated_at"], name="person_recent"),
            # The API's keyset pages (issue 23): the same order with the id that breaks ties, so that a page is read
            # in index order even where many records share a time (an import), instead of sorting all of them.
            models.Index(fields=["municipality", "-updated_at", "-id"], name="person_recent_id"),
            models.Index(
                fields=["municipality", "registered_by_organisation", "-updated_at"], name="person_org_recent"
            ),
            # The key a person's deletion checks (no record may stay merged into a deleted one). Partial: on
            # SQLite, ANALYZE counts the NULLs of the plain index on merged_into as one value shared by every
            # row, so the planner checked the key by scanning the municipality's persons (50 ms a deletion at
            # 165,000 persons; docs/performance.md). The few merged records have an index of their own.
            models.Index(
                fields=["municipality", "merged_into"],
                name="person_merged_into",
                condition=models.Q(merged_into__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(identifier_kind="", national_id="") | ~models.Q(identifier_kind=""),
                name="person_identifier_has_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def refresh_name_keys(self) -> None:
        from .linkage.model import DB_KEY_FIELDS, db_keys, prepare_person

        self.name_key = name_key(self.first_name, self.last_name)[:200]
        self.search_text = search_text(self.first_name, self.last_name, self.other_spellings)[:600]
        for name, value in zip(DB_KEY_FIELDS, db_keys(prepare_person(self)), strict=True):
            setattr(self, name, value)

    def save(self, *args, **kwargs):
        self.refresh_name_keys()
        super().save(*args, **kwargs)


class IdentityDocument(TenantOwnedModel):
    person = TenantForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=20, choices=DocumentKind.choices)
    series_number = models.CharField(_("series and number"), max_length=40, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.series_number}".strip()


class DisabilityDegree(models.TextChoices):
    NONE = "", _("None recorded")
    SEVERE = "severe", _("Severe")
    ACCENTUATED = "accentuated", _("Accentuated")
    MEDIUM = "medium", _("Medium")
    MILD = "mild", _("Mild")


class DisabilityType(models.TextChoices):
    NONE = "", _("None recorded")
    PHYSICAL = "physical", _("Physical")
    SENSORY = "sensory", _("Sensory (sight, hearing)")
    INTELLECTUAL = "intellectual", _("Intellectual")
    MENTAL = "mental", _("Mental (psycho-social)")
    ASSOCIATED = "associated", _("Associated / multiple")
    OTHER = "other", _("Other")


class SensitiveProfile(TenantOwnedModel):
    """Special-category data (GDPR art. 9). Shown only to roles whose work needs it; never logged by value."""

    id = None  # type: ignore[assignment]  # keyed by the person: (person_id, municipality_id)
    person = TenantOneToOneField(Person, primary_key=True, on_delete=models.CASCADE, related_name="sensitive")
    disability_degree = models.CharField(
        _("disability degree"), max_length=12, choices=DisabilityDegree.choices, blank=True
    )
    disability_type = models.CharField(_("disability type"), max_length=12, choices=DisabilityType.choices, blank=True)
    health_notes = models.TextField(_("health"), blank=True)
    ethnicity = models.CharField(_("ethnicity (self-declared)"), max_length=60, blank=True)
    violence_history = models.TextField(_("history of violence"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("special-category data")
        verbose_name_plural = _("special-category data")

    def __str__(self) -> str:
        return str(_("Special-category data"))

    @property
    def has_disability(self) -> bool:
        return bool(self.disability_degree)


class Household(TenantOwnedModel):
    name = models.CharField(_("household name"), max_length=200, help_text=_("Usually the family name."))
    address = models.CharField(_("address"), max_length=300, blank=True)
    area = TenantForeignKey(
        "geo.Area", verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return self.name


class HouseholdRole(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Brother or sister")
    RELATIVE = "relative", _("Other relative")
    CARER = "carer", _("Carer / guardian")
    OTHER = "other", _("Other member")


class HouseholdMember(TenantOwnedModel):
    household = TenantForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = TenantForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    role = models.CharField(_("role in the household"), max_length=12, choices=HouseholdRole.choices)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "household", "person"], name="household_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class ConsentPurpose(models.TextChoices):
    CASE_MANAGEMENT = "case_management", _("Case management by the provider")
    SHARING = "sharing", _("Sharing the record with other providers of the network")
    REFERRAL = "referral", _("Referral to another provider")
    CONTACT = "contact", _("Being contacted (SMS, phone, e-mail)")
    RESEARCH = "statistics", _("Anonymous statistics and evaluation")


def consent_upload_to(instance: Consent, filename: str) -> str:
    # The stored name never carries the person's name or the original file name.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"consents/{instance.municipality_id}/{uuid.uuid4().hex}.{ext}"


class Consent(TenantOwnedModel):
    person = TenantForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    scope = TenantManyToManyField(  # type: ignore[var-annotated]
        "core.Organisation",
        through="ConsentScope",
        verbose_name=_("providers it covers"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty if the consent is not about sharing with other providers."),
    )
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_for = TenantForeignKey(
        "core.Organisation", verbose_name=_("recorded by the provider"), on_delete=models.PROTECT, related_name="+"
    )
    scan = models.FileField(
        _("signed form (scan)"), upload_to=consent_upload_to, blank=True, validators=[validate_scan]
    )
    scan_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class ConsentScope(TenantOwnedModel):
    """One provider a consent covers (the through table of ``Consent.scope``)."""

    consent = TenantForeignKey(Consent, on_delete=models.CASCADE, related_name="+")
    organisation = TenantForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")

    class Meta(TenantOwnedModel.Meta):
        db_table = "people_consent_scope"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "consent", "organisation"], name="consent_scope_once")
        ]


class LinkageSettings(TenantOwnedModel):
    """The municipality's duplicate-warning thresholds, valid from a date (the newest valid row applies)."""

    probable_threshold = models.FloatField(
        _("probable duplicate from"),
        help_text=_("Match probability (0-1) from which intake warns strongly and asks for a reason."),
    )
    possible_threshold = models.FloatField(
        _("possible duplicate from"), help_text=_("Match probability (0-1) from which intake shows a notice.")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("duplicate-check thresholds")
        verbose_name_plural = _("duplicate-check thresholds")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "valid_from"], name="linkage_settings_once_a_day"),
            models.CheckConstraint(
                condition=models.Q(possible_threshold__gt=0)
                & models.Q(possible_threshold__lte=models.F("probable_threshold"))
                & models.Q(probable_threshold__lt=1),
                name="linkage_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.possible_threshold} / {self.probable_threshold} ({self.valid_from})"


class LinkageModel(TenantOwnedModel):
    """The weights of the municipality's matcher, trained on its own registry (never another tenant's)."""

    parameters = models.JSONField()
    records = models.PositiveIntegerField(default=0)
    trained_at = models.DateTimeField(auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("trained duplicate matcher")
        verbose_name_plural = _("trained duplicate matchers")
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return f"{self.records} ({self.trained_at:%Y-%m-%d})"


class NotSamePerson(TenantOwnedModel):
    """A coordinator decided two records are two persons: the pair is never proposed again."""

    person = TenantForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = TenantForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("not the same person")
        verbose_name_plural = _("not the same person")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "person", "other"], name="not_same_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ≠ {self.other_id}"

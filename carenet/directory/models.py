"""The service directory, shaped after Open Referral HSDS 3.0 (issue 3: service directory).

HSDS has one language per record; CareNet keeps the Romanian text in the plain fields (the
source of truth, as in the municipal documents) and the other tenant languages in
``translations`` ({"hu": {"name": …, "description": …}}). Missing translations fall back to
Romanian and are flagged to providers (``missing_translations``).

Taxonomies are shared reference data (not tenant-owned): national nomenclatures apply to
every municipality of the country and arrive by data migration.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carenet.core.tenancy import TenantForeignKey, TenantOneToOneField, TenantOwnedModel

from .text import normalise

SOURCE_LANGUAGE = "ro"
TRANSLATABLE_FIELDS = ("name", "description", "application_process", "eligibility_description")


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class TranslatedMixin(models.Model):
    """Per-language text with fallback to Romanian."""

    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def text_in(self, field: str, language: str | None) -> str:
        base = getattr(self, field, "") or ""
        if not language or language == SOURCE_LANGUAGE:
            return base
        value = (self.translations or {}).get(language, {}).get(field, "")
        return value or base

    def is_translated(self, field: str, language: str | None) -> bool:
        if not language or language == SOURCE_LANGUAGE or not getattr(self, field, ""):
            return True
        return bool((self.translations or {}).get(language, {}).get(field))

    def missing_translations(
        self, languages: list[str], fields: tuple[str, ...] = ("name", "description")
    ) -> list[str]:
        """Languages of the tenant in which some filled field has no translation."""
        return [lang for lang in languages if any(not self.is_translated(f, lang) for f in fields)]


class FreshnessMixin(models.Model):
    """'Last verified' and how often the provider promises to check the record."""

    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    update_frequency_days = models.PositiveSmallIntegerField(
        _("update frequency (days)"),
        default=180,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text=_("How often the provider checks this record."),
    )

    class Meta:
        abstract = True

    @property
    def verification_due(self) -> Any:
        return (self.last_verified_at or timezone.now() - timedelta(days=10000)) + timedelta(
            days=self.update_frequency_days
        )

    @property
    def is_stale(self) -> bool:
        return self.last_verified_at is None or timezone.now() > self.verification_due


# --- taxonomy (shared reference data) -------------------------------------------------------------


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    uri = models.URLField(_("URI"), blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    # "RO" / "MD": a national nomenclature applies to the tenants of that country; "" = every tenant.
    country = models.CharField(_("country"), max_length=2, blank=True)
    # An imported taxonomy belongs to the municipality that imported it (None: shared reference data).
    municipality = models.ForeignKey(
        "core.Municipality", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    # Names in other languages: {"hu": "…", "ru": "…"}.
    names = models.JSONField(_("names in other languages"), default=dict, blank=True)
    term_uri = models.URLField(_("term URI"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["taxonomy", "code"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomy_term_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def name_in(self, language: str | None) -> str:
        return (self.names or {}).get(language or "", "") or self.name

    def all_names(self) -> list[str]:
        return [self.name, *[v for v in (self.names or {}).values() if v]]


# --- organisation profile, programs ---------------------------------------------------------------


class OrganisationProfile(TenantOwnedModel, TranslatedMixin, FreshnessMixin):
    """The HSDS part of a core.Organisation: description, accreditation, licence, in every language."""

    organisation = TenantOneToOneField("core.Organisation", on_delete=models.CASCADE, related_name="directory_profile")
    description = models.TextField(_("description"), blank=True)
    year_incorporated = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    accreditation_number = models.CharField(_("accreditation certificate number"), max_length=60, blank=True)
    accreditation_date = models.DateField(_("accreditation date"), null=True, blank=True)
    # HSDS 3.0 organisation fields kept as the source gave them (tax_id is free text in HSDS; a validated
    # Romanian/Moldovan identifier lives on core.Organisation.legal_identifier).
    tax_status = models.CharField(_("tax status"), max_length=200, blank=True)
    tax_id = models.CharField(_("tax identifier"), max_length=100, blank=True)
    legal_status = models.CharField(_("legal status"), max_length=200, blank=True)
    logo = models.URLField(_("logo"), max_length=500, blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("organisation profile")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def name(self) -> str:
        return self.organisation.name


class OrganisationIdentifier(TenantOwnedModel):
    """An HSDS organization_identifier: any scheme (org-id.guide codes such as RO-CUI, MD-IDNO, GB-COH), kept
    as given; only the Romanian and Moldovan schemes are checked (their check digits)."""

    organisation = TenantForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="hsds_identifiers")
    identifier_scheme = models.CharField(_("identifier scheme"), max_length=40, blank=True)
    identifier_type = models.CharField(_("identifier type"), max_length=100)
    identifier = models.CharField(_("identifier"), max_length=100)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("organisation identifier")
        ordering = ["identifier_scheme", "identifier"]


class HsdsSource(TenantOwnedModel):
    """A feed the municipality imports from (a file or a remote HSDS API): its metadata and the last import."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed URL"), max_length=500, blank=True)
    metadata = models.JSONField(_("metadata rows"), default=list, blank=True)
    table_descriptions = models.JSONField(_("table descriptions"), default=list, blank=True)
    counts = models.JSONField(_("rows imported"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    last_imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)
    # The scheduled pull (decision 0024): a datapackage (zip or JSON) URL, or an HSDS API base whose
    # ``/services?full=true`` pages are read; what the last import of this source held, by resource and source
    # id (the diff of the next pull is against it).
    pull_enabled = models.BooleanField(_("pull every night"), default=False)
    last_pulled_at = models.DateTimeField(_("last pulled"), null=True, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("HSDS source")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="hsds_source_name_unique")]

    def __str__(self) -> str:
        return self.name


class PullStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")
    REFUSED = "refused", _("Refused")


class HsdsPull(TenantOwnedModel):
    """One pull of a remote feed: the tables read, the diff against the source's last import, and what the
    coordinator decided. A refused pull keeps its reason and nothing else."""

    source = TenantForeignKey(HsdsSource, on_delete=models.CASCADE, related_name="pulls", verbose_name=_("source"))
    status = models.CharField(_("status"), max_length=10, choices=PullStatus.choices, default=PullStatus.PENDING)
    created_at = models.DateTimeField(_("pulled"), auto_now_add=True)
    url = models.URLField(_("feed URL"), max_length=500)
    bytes_read = models.PositiveBigIntegerField(_("bytes read"), default=0)
    error = models.TextField(_("reason"), blank=True)
    tables = models.JSONField(default=dict, blank=True)
    diff = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    # The directory's data version when the diff was computed: applying it once the directory moved is refused.
    base_version = models.BigIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("HSDS pull")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_empty(self) -> bool:
        return not any(self.summary.get(k) for k in ("added", "changed", "gone"))


class PushTarget(TenantOwnedModel):
    """Where the municipality's own HSDS feed is sent every night (a POST of the exported datapackage). The
    token is written, never shown back."""

    url = models.URLField(_("target URL"), max_length=500)
    token = models.CharField(_("token"), max_length=500, blank=True)
    enabled = models.BooleanField(_("push every night"), default=True)
    last_pushed_at = models.DateTimeField(_("last pushed"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("HSDS push target")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="hsds_push_target_one")]

    def __str__(self) -> str:
        return self.url


class PushLog(TenantOwnedModel):
    """One push of the feed: what was sent and what the target answered."""

    target = TenantForeignKey(PushTarget, on_delete=models.CASCADE, related_name="log")
    created_at = models.DateTimeField(_("pushed"), auto_now_add=True)
    ok = models.BooleanField(_("succeeded"), default=False)
    bytes_sent = models.PositiveBigIntegerField(_("bytes sent"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]


class Program(TenantOwnedModel, TranslatedMixin):
    organisation = TenantForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="programs")
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("programme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- services -------------------------------------------------------------------------------------


class Service(TenantOwnedModel, TranslatedMixin, FreshnessMixin):
    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="services"
    )
    program = TenantForeignKey(
        Program, verbose_name=_("programme"), null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    url = models.URLField(_("web page"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    interpretation_services = models.CharField(_("interpretation"), max_length=300, blank=True)
    application_process = models.TextField(_("how to apply"), blank=True)
    fees_description = models.TextField(_("fees"), blank=True)
    wait_time = models.CharField(_("waiting time"), max_length=200, blank=True)
    accreditations = models.CharField(_("accreditations"), max_length=300, blank=True)
    licenses = models.CharField(_("operating licence"), max_length=300, blank=True)
    eligibility_description = models.TextField(_("who can use it"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    alert = models.CharField(_("alert"), max_length=300, blank=True)
    fees = models.TextField(_("fees (HSDS, deprecated)"), blank=True)
    assurer_email = models.EmailField(_("e-mail of who assured the record"), blank=True)
    # ISO 639-1 codes of the languages the service is delivered in.
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    # An imported language's own id, name and note, by code ({"fr": {"id": …, "name": "French", "note": …}}).
    language_details = models.JSONField(_("language details"), default=dict, blank=True)
    places_total = models.PositiveIntegerField(_("places in total"), null=True, blank=True)
    places_available = models.PositiveIntegerField(_("places available"), null=True, blank=True)
    capacity_updated_at = models.DateTimeField(_("capacity updated"), null=True, blank=True)
    terms: models.ManyToManyField = models.ManyToManyField(
        TaxonomyTerm, through="ServiceAttribute", related_name="services", blank=True
    )
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    # Normalised (lower case, no diacritics, transliterated) text of every language, for search
    # that behaves the same on SQLite and PostgreSQL (docs/decisions/0005-directory-search.md).
    search_name = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [models.Index(fields=["municipality", "updated_at"], name="service_tenant_updated")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(places_available__isnull=True)
                | models.Q(places_total__isnull=True)
                | models.Q(places_available__lte=models.F("places_total")),
                name="service_places_available_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def build_search_fields(self, term_names: list[str] | None = None, organisation_name: str = "") -> None:
        names = [self.name, self.alternate_name] + [t.get("name", "") for t in (self.translations or {}).values()]
        texts = [self.description, self.eligibility_description, self.application_process, organisation_name]
        for tr in (self.translations or {}).values():
            texts.extend(str(v) for k, v in tr.items() if k != "name")
        self.search_name = normalise(" | ".join(n for n in names if n))
        self.search_text = normalise(" | ".join(x for x in [*names, *texts, *(term_names or [])] if x))

    def search_tokens(self) -> set[str]:
        return {word[:64] for word in self.search_text.split() if len(word) > 1}


class ServiceAttribute(TenantOwnedModel):
    """HSDS attribute: links a service to a taxonomy term (need, target group, nomenclature code)."""

    service = TenantForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(_("value"), max_length=200, blank=True)
    link_type = models.CharField(_("link type"), max_length=100, blank=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "service", "taxonomy_term"], name="service_attribute_unique_term"
            )
        ]


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Physical place")
    POSTAL = "postal", _("Postal address")
    VIRTUAL = "virtual", _("Online or by phone")


class Location(TenantOwnedModel, TranslatedMixin):
    organisation = TenantForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="directory_locations", null=True, blank=True
    )
    location_type = models.CharField(
        _("kind of location"), max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField(_("name"), max_length=300)
    alternate_name = models.CharField(_("alternate name"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)
    external_identifier = models.CharField(_("external identifier"), max_length=200, blank=True)
    external_identifier_type = models.CharField(_("external identifier type"), max_length=200, blank=True)
    address_type = models.CharField(_("address type"), max_length=10, default="physical")
    attention = models.CharField(_("attention"), max_length=200, blank=True)
    address_2 = models.CharField(_("address, line 2"), max_length=300, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    accessibility_details = models.TextField(_("accessibility details"), blank=True)
    accessibility_url = models.URLField(_("accessibility information page"), max_length=500, blank=True)
    # The source ids of the address and accessibility records folded into this location ({"address": …}).
    hsds_ids = models.JSONField(_("HSDS ids"), default=dict, blank=True)
    address_1 = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    state_province = models.CharField(_("county / district"), max_length=120, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    latitude = models.FloatField(
        _("latitude"), null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("longitude"), null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    coordinates_approximate = models.BooleanField(_("coordinates are approximate"), default=False)
    accessibility = models.TextField(_("accessibility of the site"), blank=True)
    transportation = models.CharField(_("how to get there"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("location")
        ordering = ["name"]
        indexes = [models.Index(fields=["municipality", "latitude", "longitude"], name="location_tenant_latlon")]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(TenantOwnedModel):
    service = TenantForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = TenantForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "service", "location"], name="service_at_location_unique")
        ]


def _owned_by_one_of(*fields: str) -> models.Q:
    """At least one of these links is set: a row of HSDS 3.0 belongs to some record."""
    condition = models.Q()
    for name in fields:
        condition |= models.Q(**{f"{name}__isnull": False})
    return condition


class Contact(TenantOwnedModel):
    """An HSDS 3.0 contact: of an organisation, a service, a location or a service at a location."""

    organisation = TenantForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="directory_contacts"
    )
    service = TenantForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    location = TenantForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    service_at_location = TenantForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=_owned_by_one_of("organisation", "service", "location", "service_at_location"),
                name="contact_has_an_owner",
                violation_error_message=_(
                    "A contact belongs to an organisation, a service, a location or a service at a location."
                ),
            )
        ]


class Phone(TenantOwnedModel):
    """An HSDS 3.0 phone: of an organisation, a service, a location, a contact or a service at a location."""

    organisation = TenantForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="directory_phones"
    )
    service = TenantForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    location = TenantForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    contact = TenantForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    service_at_location = TenantForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(_("number"), max_length=40)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=20, blank=True)  # voice, fax, cell, sms, text
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=_owned_by_one_of("organisation", "service", "location", "contact", "service_at_location"),
                name="phone_has_an_owner",
                violation_error_message=_(
                    "A phone belongs to an organisation, a service, a location, a contact or a service at a location."
                ),
            )
        ]


class Weekday(models.TextChoices):
    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


WEEKDAY_CODES = [d.value for d in Weekday]


def validate_iso_date_or_datetime(value: str) -> None:
    """An RFC 5545 DTSTART/UNTIL as HSDS gives it: an ISO 8601 date or date-time."""
    from django.core.exceptions import ValidationError
    from django.utils.dateparse import parse_date, parse_datetime

    try:
        ok = bool(value) and (parse_date(value) is not None or parse_datetime(value) is not None)
    except ValueError:
        ok = False
    if value and not ok:
        raise ValidationError(_("Enter a date (YYYY-MM-DD) or a date-time (ISO 8601)."), code="invalid")


class Schedule(TenantOwnedModel):
    """Opening hours as an RRULE-style weekly rule (HSDS 3.0 schedule): of a service, a location or a service at
    a location."""

    service = TenantForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    location = TenantForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = TenantForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    freq = models.CharField(max_length=10, default="WEEKLY")
    byday = models.CharField(_("days"), max_length=40, help_text=_("For example MO,TU,WE,TH,FR"))
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # The rest of HSDS 3.0's schedule (RFC 5545 RRULE parts), kept as given.
    dtstart = models.CharField(
        _("first occurrence"), max_length=40, blank=True, validators=[validate_iso_date_or_datetime]
    )
    timezone = models.SmallIntegerField(
        _("UTC offset (hours)"), null=True, blank=True, validators=[MinValueValidator(-12), MaxValueValidator(14)]
    )
    until = models.CharField(_("repeats until"), max_length=40, blank=True, validators=[validate_iso_date_or_datetime])
    count = models.PositiveIntegerField(
        _("occurrences"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    wkst = models.CharField(_("week starts on"), max_length=2, blank=True, choices=Weekday.choices)
    interval = models.PositiveSmallIntegerField(_("interval"), null=True, blank=True)
    byweekno = models.CharField(_("weeks of the year"), max_length=200, blank=True)
    bymonthday = models.CharField(_("days of the month"), max_length=200, blank=True)
    byyearday = models.CharField(_("days of the year"), max_length=400, blank=True)
    schedule_link = models.URLField(_("schedule link"), max_length=500, blank=True)
    attending_type = models.CharField(_("attending type"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["byday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(opens_at__lt=models.F("closes_at")),
                name="schedule_opens_before_closing",
            ),
            models.CheckConstraint(
                condition=_owned_by_one_of("service", "location", "service_at_location"),
                name="schedule_has_an_owner",
                violation_error_message=_("A schedule belongs to a service, a location or a service at a location."),
            ),
        ]

    def days(self) -> list[str]:
        return [d for d in self.byday.split(",") if d in WEEKDAY_CODES]


class CostOption(TenantOwnedModel):
    service = TenantForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(_("option"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount_description = models.CharField(_("description"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0), name="cost_option_amount_positive"
            )
        ]


class RequiredDocument(TenantOwnedModel):
    service = TenantForeignKey(Service, on_delete=models.CASCADE, related_name="required_documents")
    document = models.CharField(_("document"), max_length=300)
    uri = models.URLField(_("link"), blank=True)


class Funding(TenantOwnedModel):
    service = TenantForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(_("source"), max_length=300)


class ServiceArea(TenantOwnedModel):
    service = TenantForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    extent = models.TextField(_("extent"), blank=True)
    extent_type = models.CharField(_("extent type"), max_length=40, blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)


class ReminderLog(TenantOwnedModel):
    """One freshness reminder sent (so a provider is reminded once per due date, not every night)."""

    service = TenantForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta(TenantOwnedModel.Meta):
        constraints = [
            models.UniqueConstraint(fields=["municipality", "service", "due_on"], name="reminder_once_per_due_date")
        ]


class SearchToken(TenantOwnedModel):
    """One normalised word of a service's search text: the inverted index behind search.

    A query word matches the tokens it is a prefix of (an index range scan on both databases);
    see docs/decisions/0005-directory-search.md.
    """

    service = TenantForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)

    class Meta(TenantOwnedModel.Meta):
        constraints = [models.UniqueConstraint(fields=["municipality", "service", "token"], name="search_token_unique")]
        indexes = [
            models.Index(fields=["municipality", "token", "service"], name="search_token_tenant_prefix"),
            models.Index(fields=["token", "service"], name="search_token_prefix"),
        ]


class DataVersion(models.Model):
    """A counter per municipality (``scope`` = its id; ``"*"`` = the shared taxonomies), bumped in the
    same transaction as every write to public directory data. The HSDS response cache keys on it
    (docs/performance.md): one indexed read, the same answer in every worker process."""

    SHARED = "*"

    scope = models.CharField(primary_key=True, max_length=40)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"

    @classmethod
    def scope_of(cls, municipality: Any) -> str:
        """The scope of a municipality (instance or id); None: the shared taxonomies."""
        if municipality is None:
            return cls.SHARED
        return str(uuid.UUID(str(getattr(municipality, "pk", municipality))))

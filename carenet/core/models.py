"""Tenancy and the organisations of the network (L0: everything else builds on these)."""

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .identifiers import validate_org_identifier
from .tenancy import TenantForeignKey, TenantOwnedModel


class Country(models.TextChoices):
    MOLDOVA = "MD", _("Republic of Moldova")
    ROMANIA = "RO", _("Romania")


class Currency(models.TextChoices):
    MDL = "MDL", _("Moldovan leu (MDL)")
    RON = "RON", _("Romanian leu (RON)")


class Municipality(models.Model):
    """A tenant: one local public authority (UAT in Romania, locality in Moldova)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    official_languages = models.JSONField(_("official languages"), default=list)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    time_zone = models.CharField(_("time zone"), max_length=64)
    # SIRUTA (Romania) or CUATM (Moldova) statistical code of the administrative unit.
    statistical_code = models.CharField(_("SIRUTA / CUATM code"), max_length=12)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    emergency_contacts = models.JSONField(_("emergency contacts"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(country="MD", currency="MDL") | models.Q(country="RO", currency="RON")),
                name="municipality_currency_matches_country",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    PUBLIC = "public", _("Public institution")
    NGO = "ngo", _("Non-governmental organisation")
    PRIVATE = "private", _("Private company")
    FAITH = "faith", _("Faith-based organisation")
    INTERNATIONAL = "international", _("International organisation")


class Sector(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", _("Local public authority")
    SOCIAL = "social", _("Social services")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    POLICE = "police", _("Police and justice")
    EMPLOYMENT = "employment", _("Employment")
    CULTURE = "culture", _("Culture, youth and sport")
    OTHER = "other", _("Other")


class Organisation(TenantOwnedModel):
    """A provider or partner body of the network.

    Lives in ``core`` (not ``directory``) because accounts (memberships) and every later layer
    need it; the directory adds the HSDS profile. See docs/decisions/0001-organisation-in-core.md.
    """

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    code = models.SlugField(_("code"), max_length=80, help_text=_("Stable identifier within the municipality."))
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.SOCIAL)
    is_provider = models.BooleanField(_("provides services"), default=True)
    # Plans name collective bodies ("ONG", "mass-media", "donatori"); they are kept, marked as such.
    is_generic = models.BooleanField(_("collective body, not one legal entity"), default=False)
    parent = TenantForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    legal_identifier = models.CharField(
        _("legal identifier (IDNO / CIF)"), max_length=20, blank=True, validators=[validate_org_identifier]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="organisation_code_unique_per_tenant")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobFailure(models.TextChoices):
    INTERRUPTED = (
        "interrupted",
        _("The work was interrupted: the process running it stopped. Nothing of it was saved; start it again."),
    )


class BackgroundJob(TenantOwnedModel):
    """Visible progress of long work (imports, reports) run by a background task."""

    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to="jobs/", blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Crash recovery (core.jobs): the process running the job ("host:pid"), its last move, why it failed.
    worker = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True, null=True)
    failure = models.CharField(_("failure"), max_length=20, choices=JobFailure.choices, blank=True)

    class Meta(TenantOwnedModel.Meta):
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A progress update is the job's sign of life (core.jobs): it always moves ``updated_at``.
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)

    @property
    def retryable(self) -> bool:
        """A failed job of a kind some app knows how to start again (core.jobs)."""
        from .jobs import JOB_KINDS

        return self.status == JobStatus.FAILED and self.kind in JOB_KINDS

    def __str__(self) -> str:
        return self.title


class DocumentTemplate(TenantOwnedModel):
    """A municipality's own text of an official document (core.documents), replacing the default template of
    the app that registered the kind from ``valid_from`` on, in one language. Rendered with a restricted
    template engine over plain values only (never a model instance)."""

    kind = models.CharField(_("document"), max_length=40)
    language = models.CharField(_("language"), max_length=8)
    body = models.TextField(_("template text"))
    valid_from = models.DateField(_("valid from"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "language", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kind", "language", "valid_from"], name="document_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.language}, {self.valid_from})"

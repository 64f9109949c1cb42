import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from carenet.core.roles import PERSONAL_DATA_ROLES, Role
from carenet.core.tenancy import TenantForeignKey, TenantOwnedModel

__all__ = ["PERSONAL_DATA_ROLES", "ApiScope", "ApiToken", "Membership", "Role", "User", "UserSession"]


class User(AbstractUser):
    """A person who signs in. Staff belong to one municipality; platform admins to none."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        "core.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    preferred_language = models.CharField(_("preferred language"), max_length=5, blank=True)
    is_demo = models.BooleanField(_("demo account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_platform_admin(self) -> bool:
        return self.is_superuser


class Membership(TenantOwnedModel):
    """User × organisation × role. A user may hold several roles, in several organisations of one tenant."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = TenantForeignKey(
        "core.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_supervisor = models.BooleanField(
        _("supervisor"), default=False, help_text=_("Approves plans and closures of the organisation's cases.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(TenantOwnedModel.Meta):
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class ApiScope(models.TextChoices):
    READ = "read", _("read")
    WRITE = "write", _("write")


class ApiToken(models.Model):
    """A personal API token (decision 0012). Only its SHA-256 is stored; the token is shown once.

    Created only by a user whose session passed the second factor; scoped (read / write), expiring,
    revocable; creation, revocation and first use of a day are audited.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class UserSession(models.Model):
    """One signed-in browser of a user (issue 26, Medium 8): shown on the sessions page, endable from another.

    The session key is the session store's own key (already stored there); ending the session deletes it
    from the store, so the browser that held it is signed out on its next request.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.ip or '?'}"

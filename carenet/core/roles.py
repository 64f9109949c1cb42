from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    COORDINATOR = "coordinator", _("Municipal coordinator")
    PROVIDER_MANAGER = "provider_manager", _("Provider manager")
    CASEWORKER = "caseworker", _("Caseworker")
    DATA_OFFICER = "data_officer", _("Data officer")
    AUDITOR = "auditor", _("Auditor")


# Roles whose work shows them personal data: they need a second factor in production.
PERSONAL_DATA_ROLES = frozenset(
    {Role.PLATFORM_ADMIN, Role.COORDINATOR, Role.PROVIDER_MANAGER, Role.CASEWORKER, Role.AUDITOR}
)

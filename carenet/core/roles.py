from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    COORDINATOR = "coordinator", _("Municipal coordinator")
    PROVIDER_MANAGER = "provider_manager", _("Provider manager")
    CASEWORKER = "caseworker", _("Caseworker")
    DATA_OFFICER = "data_officer", _("Data officer")
    AUDITOR = "auditor", _("Auditor")
    # --- campaigns (issue 20): a volunteer who calls the persons of their own call list, and sees nothing else.
    CAMPAIGN_VOLUNTEER = "campaign_volunteer", _("Campaign volunteer")
    # --- training (issue 22): a company's CSR coordinator posts courses and offers places; sees the names and
    # attendance of the participants of its own courses, never their case or vulnerability category.
    CSR_COORDINATOR = "csr_coordinator", _("Company CSR coordinator")
    # --- end training


# Roles whose work shows them personal data: they need a second factor in production.
PERSONAL_DATA_ROLES = frozenset(
    {Role.PLATFORM_ADMIN, Role.COORDINATOR, Role.PROVIDER_MANAGER, Role.CASEWORKER, Role.AUDITOR}
)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """A new municipality set up from its own documents (issue 24): no models of its own, only the workflow
    that writes through the lower apps."""

    name = "carenet.onboarding"
    label = "onboarding"
    verbose_name = _("Onboarding")
    nav = [
        {
            "url": "onboarding:onboard",
            "label": _("Onboard a municipality"),
            "staff": True,
            "order": 95,
            "visible_if": "carenet.onboarding.permissions.may_onboard",
        }
    ]

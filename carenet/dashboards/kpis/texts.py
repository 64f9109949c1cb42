"""Names and descriptions of the KPIs that higher apps (the portal) compute, kept with the registry so that
every KPI's text is in the dashboards' translation catalogue."""

from django.utils.translation import gettext_lazy

PORTAL = {
    "bm02": (
        gettext_lazy("Beneficiary satisfaction rate"),
        gettext_lazy(
            "Feedback on services given in the period with a rating of 4 or 5 out of 5, as a percentage of all feedback."
        ),
    ),
    "bm03": (
        gettext_lazy("Response time to requests for help"),
        gettext_lazy(
            "Median hours from a request for help sent through the portal in the period to the first contact with the person."
        ),
    ),
    "bm16": (
        gettext_lazy("Community involvement in development projects"),
        gettext_lazy(
            "Ideas, comments, supports, survey answers and participants of public sessions in the period, per 1,000 residents."
        ),
    ),
    "bm17": (
        gettext_lazy("Public consultation and feedback sessions"),
        gettext_lazy("Public consultation sessions held in the period."),
    ),
}
NO_HELP_ANSWERED = gettext_lazy("No request for help was answered in the period.")
NO_POPULATION = gettext_lazy("The population of the municipality is not recorded.")

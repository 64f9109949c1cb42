from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """The KPI engine (``dashboards.kpis``), the coordinator's and providers' dashboards, maps and social trends."""

    name = "carenet.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")
    nav = [
        {
            "url": "dashboards:home",
            "label": _("Dashboards"),
            "staff": True,
            "order": 60,
            "visible_if": "carenet.dashboards.permissions.sees_a_dashboard",
        },
    ]

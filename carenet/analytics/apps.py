from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "carenet.analytics"
    label = "analytics"

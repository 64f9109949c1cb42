from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "carenet.plans"
    label = "plans"

from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "carenet.geo"
    label = "geo"

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "carenet.people"
    label = "people"

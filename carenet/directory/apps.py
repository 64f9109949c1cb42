from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "carenet.directory"
    label = "directory"

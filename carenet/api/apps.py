from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "carenet.api"
    label = "api"

    def ready(self) -> None:
        from . import authentication  # noqa: F401  (registers the OpenAPI security schemes)

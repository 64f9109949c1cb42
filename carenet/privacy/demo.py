"""The demo's share of the privacy app: each municipality's default retention schedule (its country's law)."""

from typing import Any

from carenet.core.models import Municipality

from .services import retention_defaults_install


def load(*, stdout: Any = None) -> None:
    for municipality in Municipality.objects.all():
        created = retention_defaults_install(municipality=municipality)
        if stdout is not None:
            stdout.write(f"  {municipality.name}: retention schedule ({municipality.country}), {created} rules\n")

"""``check --deploy``: a production server signs its audit checkpoints (decision 0015)."""

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register("carenet", deploy=True)
def audit_key_configured(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    key = getattr(settings, "CARENET_AUDIT_KEY", "")
    if len(key) >= 32:
        return []
    return [
        Warning(
            "CARENET_AUDIT_KEY is not set (or shorter than 32 characters): the audit log's daily checkpoints "
            "cannot be signed, so deleting its last events or rewriting it would go unnoticed.",
            hint="Set CARENET_AUDIT_KEY in the environment (docs/admin-guide.md, 'The audit log').",
            id="audit.W001",
        )
    ]

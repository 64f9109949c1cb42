"""The checkpoint keys: held by the server's configuration (environment), never by the database.

``CARENET_AUDIT_KEY`` signs today's checkpoints; ``CARENET_AUDIT_OLD_KEYS`` are the keys of earlier ones,
kept after a rotation so that ``audit_verify`` can still check them (docs/admin-guide.md, decision 0015).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import key_id_of


def signing_key() -> tuple[str, bytes]:
    """(key id, key) of the key that signs new checkpoints; refuses when none is configured."""
    key = getattr(settings, "CARENET_AUDIT_KEY", "")
    if not key:
        raise ImproperlyConfigured("Set CARENET_AUDIT_KEY (the audit checkpoint key) in the environment.")
    raw = key.encode()
    return key_id_of(raw), raw


def verifying_keys() -> dict[str, bytes]:
    """Every key this server holds, by key id."""
    keys = [getattr(settings, "CARENET_AUDIT_KEY", ""), *getattr(settings, "CARENET_AUDIT_OLD_KEYS", [])]
    return {key_id_of(k.encode()): k.encode() for k in keys if k}

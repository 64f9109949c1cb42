"""Codes people read aloud on the phone: short, unguessable, without look-alike characters.

The alphabet drops 0/O, 1/I/L and U/V (misheard letters), leaving 29 symbols. A tracking code has
9 of them (29**9 ≈ 1.45e13, ~44 bits): with lookups rate-limited per address, guessing an existing
code is hopeless, yet it is read as three groups of three ("K7M-4QX-9TP").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
TRACKING_LENGTH = 9
FEEDBACK_LENGTH = 8


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(raw: str) -> str:
    """What the person typed, uppercased, without spaces or dashes; look-alikes mapped back."""
    text = (raw or "").upper().replace("O", "0").replace("I", "1").replace("L", "1")
    return "".join(ch for ch in text if ch.isalnum())[:20]


def is_well_formed(code: str, length: int) -> bool:
    return len(code) == length and all(ch in ALPHABET for ch in code)


def group(code: str, size: int = 3) -> str:
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def respondent_key(*, salt: str, token: str) -> str:
    """A salted HMAC of a one-time token: equal for the same person (token), unlinkable across salts."""
    key = f"{settings.SECRET_KEY}:{salt}".encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)

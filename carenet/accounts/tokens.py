"""The shape of a personal API token (decision 0012): ``cn_`` + 40 random URL-safe characters.

Only the SHA-256 of the whole token is stored (a token has 240 bits of entropy: a fast hash is enough, and
lets the API find the row by its hash in one indexed query).
"""

import hashlib
import secrets

TOKEN_PREFIX = "cn_"  # noqa: S105 (a marker, not a secret)


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(30)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()

"""Credentials: the registration point through which an app that issues certificates (training: a course's
certificate of completion) lets another app check one by its code — care matching counts a caregiver as
trained when their certificate qualifies — without importing it (docs/architecture.md §4).

A check is ``check(municipality_id, code) -> Credential | None``; the first that knows the code answers.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Credential:
    first_name: str
    last_name: str
    title: str  # the course
    issuer: str  # the organisation that taught it
    issued_on: datetime.date
    revoked: bool
    qualifies_for: frozenset[str]  # what it counts as ("caregiver": the caregiver training of care matching)


CredentialCheck = Callable[[Any, str], "Credential | None"]
_CHECKS: list[CredentialCheck] = []


def register_credential_check(check: CredentialCheck) -> CredentialCheck:
    """Add a check (idempotent: ``ready()`` may run twice in tests)."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def credential_check(*, municipality: Any, code: str) -> Credential | None:
    municipality_id = getattr(municipality, "pk", municipality)
    for check in _CHECKS:
        found = check(municipality_id, code)
        if found is not None:
            return found
    return None


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def names_agree(credential: Credential, *, first_name: str, last_name: str) -> bool:
    """The certificate is the person's: the same family name and first initial, ignoring case and diacritics
    (a certificate written "Stefan Muresan" is Ștefan Mureșan's)."""
    same_last = _plain(credential.last_name) == _plain(last_name)
    first, other = _plain(credential.first_name), _plain(first_name)
    return same_last and bool(first) and bool(other) and first[0] == other[0]

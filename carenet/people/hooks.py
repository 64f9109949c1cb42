"""Extension points on the registry's writes, for the layers above ``people`` (cases, referrals…).

``people`` may not import them (import-linter), yet two of its writes concern their records:

* **merging** two records of one person must move every record of the merged-away person, including
  cases, deliveries and referrals;
* **withdrawing a consent** must stop whatever relied on it, e.g. the sharing of an open referral.

A higher layer registers a handler in its ``AppConfig.ready`` (like ``PERSON_PANELS`` and
``register_person_visibility``). Handlers run inside the service's transaction, in registration
order: if one raises, nothing of the write is kept (no half-merged person, no withdrawal whose
consequences were only partly applied).

* ``MergeHandler(*, user, survivor, duplicate) -> dict[str, int]`` moves the layer's rows from
  ``duplicate`` to ``survivor``, audits them, and returns ``{"app.model": rows moved}``. After every
  handler ran, ``person_merge`` checks that no row anywhere still points at the duplicate.
* ``ConsentWithdrawalHandler(*, user, consent)`` is told that ``consent`` was just
  withdrawn (``consent.withdrawn_on`` is set).
"""

from __future__ import annotations

from collections.abc import Callable

MergeHandler = Callable[..., dict[str, int]]
ConsentWithdrawalHandler = Callable[..., object]

_merge_handlers: list[MergeHandler] = []
_consent_withdrawal_handlers: list[ConsentWithdrawalHandler] = []


def register_merge_handler(handler: MergeHandler) -> MergeHandler:
    """Usable as a decorator; idempotent (a second registration of the same function is ignored)."""
    if handler not in _merge_handlers:
        _merge_handlers.append(handler)
    return handler


def register_consent_withdrawal_handler(handler: ConsentWithdrawalHandler) -> ConsentWithdrawalHandler:
    """Usable as a decorator; idempotent (a second registration of the same function is ignored)."""
    if handler not in _consent_withdrawal_handlers:
        _consent_withdrawal_handlers.append(handler)
    return handler


def merge_handlers() -> tuple[MergeHandler, ...]:
    return tuple(_merge_handlers)


def consent_withdrawal_handlers() -> tuple[ConsentWithdrawalHandler, ...]:
    return tuple(_consent_withdrawal_handlers)


__all__ = [
    "ConsentWithdrawalHandler",
    "MergeHandler",
    "consent_withdrawal_handlers",
    "merge_handlers",
    "register_consent_withdrawal_handler",
    "register_merge_handler",
]

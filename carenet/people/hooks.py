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
* ``ConsentUseDescriber(*, consent) -> list[str]`` says, in the reader's language, what relies on
  ``consent`` now and what withdrawing it will do (shown on the withdrawal form before saving).
* ``CaseloadSource(*, user) -> QuerySet`` of person ids: the user's caseload (read-volume alerts and
  the purpose of access, issue 26); its model has a ``person_id`` column, by which the person page asks
  whether one person is in it without reading it whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CaseloadSource = Callable[..., Any]
MergeHandler = Callable[..., dict[str, int]]
ConsentWithdrawalHandler = Callable[..., object]
ConsentUseDescriber = Callable[..., list[str]]

_caseload_sources: list[CaseloadSource] = []
_merge_handlers: list[MergeHandler] = []
_consent_withdrawal_handlers: list[ConsentWithdrawalHandler] = []
_consent_use_describers: list[ConsentUseDescriber] = []


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


def register_consent_use(describer: ConsentUseDescriber) -> ConsentUseDescriber:
    """Usable as a decorator; idempotent (a second registration of the same function is ignored)."""
    if describer not in _consent_use_describers:
        _consent_use_describers.append(describer)
    return describer


def register_caseload(source: CaseloadSource) -> CaseloadSource:
    """``fn(*, user) -> QuerySet`` of the person ids in ``user``'s caseload (cases: the persons of the cases they
    are the caseworker of). Usable as a decorator; idempotent."""
    if source not in _caseload_sources:
        _caseload_sources.append(source)
    return source


def caseload_sources() -> tuple[CaseloadSource, ...]:
    return tuple(_caseload_sources)


def consent_uses(consent: Any) -> list[str]:
    """What the higher layers say relies on ``consent`` (empty if nothing does)."""
    return [line for describer in _consent_use_describers for line in describer(consent=consent)]


def merge_handlers() -> tuple[MergeHandler, ...]:
    return tuple(_merge_handlers)


def consent_withdrawal_handlers() -> tuple[ConsentWithdrawalHandler, ...]:
    return tuple(_consent_withdrawal_handlers)


__all__ = [
    "CaseloadSource",
    "ConsentUseDescriber",
    "ConsentWithdrawalHandler",
    "MergeHandler",
    "caseload_sources",
    "consent_uses",
    "consent_withdrawal_handlers",
    "merge_handlers",
    "register_caseload",
    "register_consent_use",
    "register_consent_withdrawal_handler",
    "register_merge_handler",
]

# Higher layers (cases, referrals) add panels to the person's page without people importing them:
# each is fn(request, person) -> {"title": str, "template": str, "context": dict} or None.
PERSON_PANELS: list[Callable[..., Any]] = []

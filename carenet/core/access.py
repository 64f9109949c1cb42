"""Fetch-and-check: the two ways a view asks for access, so that every refusal has one status code.

* ``fetch(user, Model, pk, action=...)`` — the record, or a refusal. A record the user may not *see*
  (another municipality, another provider, gone, or a malformed id) is a **404**: its existence is not
  confirmed. A record the user sees but may not do ``action`` to is a **403**.
* ``@requires(...)`` on a view with no record to fetch (a list, a form to create) — an anonymous visitor
  goes to the login page (**302**); a signed-in user without the role or predicate gets **403**.

Each app's ``permissions.py`` wraps ``fetch`` in named helpers (``case_for(user, case_id, action="change")``)
that add the ``select_related`` its pages need; views call those and never read a model manager to decide
scope themselves. The rules behind both come from the one policy (``carenet.core.policy``).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest

from .policy import ANONYMOUS, actor_of, policy

M = TypeVar("M", bound=models.Model)
ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])
Need = str | Callable[[Any], bool]


def fetch(
    user: Any,
    source: type[M] | models.QuerySet[M],
    pk: Any,
    *,
    action: str = "view",
    lookup: str = "pk",
) -> M:
    """The record ``pk`` among those the user may see (404 otherwise), checked for ``action`` (403).

    ``source`` is a model (scoped by the policy's visibility rule) or a queryset an app's
    ``permissions.py`` has already scoped (for instance ``cases_visible_to(user).select_related(...)``).
    ``lookup`` names the field ``pk`` is matched against when a record is addressed by another unique
    key (a reporting period by its code within a plan).
    """
    queryset = policy.visible(user, source) if isinstance(source, type) else source
    try:
        obj = queryset.get(**{lookup: pk})
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404 from exc
    if action != "view" and not policy.can(user, action, obj):
        raise PermissionDenied
    return obj


def parse_uuid(value: Any) -> uuid.UUID:
    """An id from a URL or a form as a UUID; anything else is a 404 (never a 500)."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as exc:
        raise Http404 from exc


def has_need(user: Any, need: Need) -> bool:
    """A role name (``Role.COORDINATOR``) the user holds in their municipality, or a predicate ``fn(user)``."""
    if callable(need):
        return bool(need(user))
    return actor_of(user).has_role(need)


def in_municipality(user: Any) -> bool:
    """A need for ``@requires``: the user works in a municipality (staff pages that show one tenant's records)."""
    return actor_of(user).municipality_id is not None


def requires(*needs: Need, platform_admin: bool = True) -> Callable[[ViewFunc], ViewFunc]:
    """A signed-in user who meets any of ``needs`` (roles or predicates), else 403; anonymous → login (302).

    With no ``needs``, any signed-in user passes. ``platform_admin=False`` refuses the platform administrator
    too (pages that only make sense inside a municipality).
    """

    def allows(user: Any) -> bool:
        """The check itself, for a signed-in user (the navigation asks it before showing a link)."""
        actor = actor_of(user)
        if actor is ANONYMOUS:  # an inactive account
            return False
        if needs and not ((platform_admin and actor.is_platform_admin) or any(has_need(user, need) for need in needs)):
            return False
        return platform_admin or not (actor.is_platform_admin and actor.municipality_id is None)

    def decorator(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allows(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.carenet_requires = needs  # type: ignore[attr-defined]  # read by the isolation crawl tests
        wrapper.carenet_allows = allows  # type: ignore[attr-defined]  # read by the navigation (core.context_processors)
        return wrapper  # type: ignore[return-value]

    return decorator

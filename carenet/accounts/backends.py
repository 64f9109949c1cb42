"""The authentication backend: Django's ``ModelBackend``, loading the signed-in user together with small
per-user figures that every staff page shows, in the one query that loads the user on each request anyway.

A higher layer registers a figure as ``register_user_annotation(name, expression_factory)`` (e.g. referrals:
the unread-notification badge of the staff navigation) without accounts importing it; the figure is then an
attribute of ``request.user``, always exact (computed by the database with the user row, so no cache to
invalidate and nothing that differs between server processes). On Citus the figure is left off the user's
query, and its reader computes it (the registering app's reader must count when the attribute is missing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections
from django.db.models import Expression

from carenet.core.db import citus

UserAnnotation = Callable[[], Expression]
_user_annotations: dict[str, UserAnnotation] = {}


def register_user_annotation(name: str, factory: UserAnnotation) -> None:
    """``factory()`` returns an expression on the user row (a correlated ``Subquery`` on ``OuterRef("pk")``)."""
    _user_annotations[name] = factory


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        users = user_model._default_manager.all()
        # Citus cannot correlate a subquery on a distributed table with the user row (a reference table):
        # there the user comes alone, and each figure's reader counts it with a query routed to one shard.
        if _user_annotations and not citus.runs_citus(connections[users.db]):
            users = users.annotate(**{name: factory() for name, factory in _user_annotations.items()})
        try:
            user = users.get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

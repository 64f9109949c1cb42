"""Tenant scoping that is hard to forget.

Every tenant-owned model declares ``objects = TenantManager()``. A queryset from it refuses to
run until it has been scoped with ``.for_tenant(municipality)`` or explicitly widened with
``.all_tenants()`` (platform tools, migrations of data). Django's own machinery (related
managers, unique validation, admin internals) uses the model's plain ``_default_manager``,
so only hand-written queries are checked — which is where the tenant filter gets forgotten.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from .models import Municipality


class TenantScopeError(RuntimeError):
    """A query on tenant-owned rows ran without saying which tenant."""


def _municipality_id(municipality: Municipality | int | str) -> Any:
    return getattr(municipality, "pk", municipality)


class TenantQuerySet(models.QuerySet):
    _tenant_scoped: bool = False

    def for_tenant(self, municipality: Municipality | int | str) -> Self:
        qs = self.filter(municipality_id=_municipality_id(municipality))
        qs._tenant_scoped = True
        return qs

    def all_tenants(self) -> Self:
        """Explicitly cross-tenant: platform administration only."""
        qs = self._chain()  # type: ignore[attr-defined]
        qs._tenant_scoped = True
        return qs

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._tenant_scoped = self._tenant_scoped
        return clone

    def _check_scope(self) -> None:
        if not self._tenant_scoped:
            raise TenantScopeError(
                f"Query on {self.model.__name__} without a tenant: call .for_tenant(municipality) "
                "or, in platform tools only, .all_tenants()."
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()  # type: ignore[misc]

    def iterator(self, chunk_size: int | None = None) -> Any:
        self._check_scope()
        return super().iterator(chunk_size=chunk_size)

    def count(self) -> int:
        if self._result_cache is None:
            self._check_scope()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._check_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._check_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_scope()
        return super().delete()


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """The manager developers type (``Model.objects``); see the module docstring."""


class TenantOwnedModel(models.Model):
    """A row that belongs to one municipality (also the sharding key of a national deployment)."""

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")

    plain = models.Manager()  # framework internals (related managers, unique checks)
    objects = TenantManager()

    class Meta:
        abstract = True
        default_manager_name = "plain"

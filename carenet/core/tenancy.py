"""Tenant scoping that is hard to forget, and the key shape that lets a tenant's rows live on one shard.

Every tenant-owned model inherits :class:`TenantOwnedModel` (decisions 0004 and 0011):

* ``Model.objects`` refuses to run a query until it has been scoped with ``.for_tenant(municipality)``
  or explicitly widened with ``.all_tenants()`` (platform tools, migrations of data). Django's own
  machinery (related managers, unique validation, admin internals) uses the plain default manager,
  so only hand-written queries are checked — which is where the tenant filter gets forgotten.
* ``id`` is a UUID made by the application (:func:`carenet.core.ids.uuid7`), never an identity column,
  and the table's key in the database is ``(id, municipality_id)`` (:class:`~carenet.core.db.constraints.TenantKey`).
* A reference to another tenant-owned row is a :class:`TenantForeignKey` (or :class:`TenantOneToOneField`,
  :class:`TenantManyToManyField` through a tenant-owned model): the database constraint is composite,
  ``(municipality_id, x_id)``, and every join, related manager and prefetch along it carries the
  municipality, so Citus routes the query to the one shard of that municipality.
* ``save()`` updates and ``refresh_from_db()`` filter on the municipality as well as the id.

The constraints are added to each concrete model when its class is prepared, so ``makemigrations`` writes
them into the app's migrations; ``carenet/core/tests/test_citus_readiness.py`` checks every model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models, router
from django.db.models.deletion import Collector
from django.db.models.fields.related_descriptors import (
    ForwardManyToOneDescriptor,
    ForwardOneToOneDescriptor,
    ManyToManyDescriptor,
    ReverseManyToOneDescriptor,
    ReverseOneToOneDescriptor,
)
from django.db.models.signals import class_prepared
from django.db.models.sql.where import AND, WhereNode
from django.utils.functional import cached_property

from .db.constraints import TenantForeignKeyConstraint, TenantKey, constraint_name
from .ids import uuid7

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

    def none(self) -> Self:
        """No rows: nothing of any tenant can leak, so an empty queryset needs no scope."""
        qs = super().none()
        qs._tenant_scoped = True
        return qs

    def _clone(self) -> Self:
        clone = super()._clone()
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
        super()._fetch_all()

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


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    """The manager developers type (``Model.objects``); see the module docstring."""


# --- the municipality along relations ---------------------------------------------------------------


def scoped_to(queryset: models.QuerySet, instances: Any) -> models.QuerySet:
    """``queryset`` narrowed to the municipalities of ``instances`` (rows related to them live there too)."""
    if queryset.query.is_sliced:
        return queryset
    # Read only what is loaded: the deletion collector fetches related rows with ``only(pk)``, and touching a
    # deferred ``municipality_id`` would cost a query per row (and recursed through ``refresh_from_db``).
    municipality_ids = {getattr(obj, "__dict__", {}).get("municipality_id") for obj in instances}
    if not municipality_ids or None in municipality_ids:
        return queryset
    if len(municipality_ids) == 1:
        queryset = queryset.filter(municipality_id=municipality_ids.pop())
    else:
        queryset = queryset.filter(municipality_id__in=municipality_ids)
    if isinstance(queryset, TenantQuerySet):
        queryset._tenant_scoped = True  # e.g. Prefetch("x", queryset=X.objects.order_by(…)): scoped here
    return queryset


class _ScopedPrefetchMixin:
    """Forward and reverse one-to-one descriptors: the prefetch query carries the municipality."""

    def get_prefetch_querysets(self, instances: Any, querysets: Any = None) -> Any:
        queryset = querysets[0] if querysets else self.get_queryset()  # type: ignore[attr-defined]
        return super().get_prefetch_querysets(instances, [scoped_to(queryset, instances)])


class TenantForwardManyToOneDescriptor(_ScopedPrefetchMixin, ForwardManyToOneDescriptor):
    pass


class TenantForwardOneToOneDescriptor(_ScopedPrefetchMixin, ForwardOneToOneDescriptor):
    pass


class TenantReverseOneToOneDescriptor(_ScopedPrefetchMixin, ReverseOneToOneDescriptor):
    pass


def _tenant_reverse_many_to_one_manager(base: type) -> type:
    class TenantRelatedManager(base):
        def _apply_rel_filters(self, queryset: models.QuerySet) -> models.QuerySet:
            return scoped_to(super()._apply_rel_filters(queryset), [self.instance])

        def get_prefetch_querysets(self, instances: Any, querysets: Any = None) -> Any:
            queryset = querysets[0] if querysets else super(base, self).get_queryset()  # type: ignore[arg-type]
            return super().get_prefetch_querysets(instances, [scoped_to(queryset, instances)])

    return TenantRelatedManager


def _tenant_many_related_manager(base: type) -> type:
    class TenantManyRelatedManager(base):
        def _apply_rel_filters(self, queryset: models.QuerySet) -> models.QuerySet:
            return scoped_to(super()._apply_rel_filters(queryset), [self.instance])

        def get_prefetch_querysets(self, instances: Any, querysets: Any = None) -> Any:
            queryset = querysets[0] if querysets else super(base, self).get_queryset()  # type: ignore[arg-type]
            return super().get_prefetch_querysets(instances, [scoped_to(queryset, instances)])

        def _build_remove_filters(self, removed_vals: Any) -> models.Q:
            return super()._build_remove_filters(removed_vals) & models.Q(municipality_id=self.instance.municipality_id)

        def _add_items(self, source_field_name: str, target_field_name: str, *objs: Any, through_defaults: Any = None):
            defaults = dict(through_defaults or {})
            if "municipality" not in defaults and "municipality_id" not in defaults:
                defaults["municipality_id"] = self.instance.municipality_id
            return super()._add_items(source_field_name, target_field_name, *objs, through_defaults=defaults)

    return TenantManyRelatedManager


class TenantReverseManyToOneDescriptor(ReverseManyToOneDescriptor):
    @cached_property
    def related_manager_cls(self) -> type:
        return _tenant_reverse_many_to_one_manager(super().related_manager_cls)


class TenantManyToManyDescriptor(ManyToManyDescriptor):
    @cached_property
    def related_manager_cls(self) -> type:
        return _tenant_many_related_manager(super().related_manager_cls)


class TenantRelationMixin:
    """What a reference between two tenant-owned rows adds to Django's foreign key.

    No one-column database constraint (the model gets a composite ``TenantForeignKeyConstraint``); the
    municipality equality in every JOIN (``get_extra_restriction``) and in ``obj.relation`` look-ups
    (``get_extra_descriptor_filter``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["db_constraint"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("db_constraint", None)
        return name, path, args, kwargs

    def get_extra_restriction(self, alias: str | None, related_alias: str | None) -> WhereNode | None:
        # ``alias`` is the target table's, ``related_alias`` this model's (reverse joins swap them through
        # the rel). Django passes ``alias=None`` when it trimmed the target table out of a subquery.
        if alias is None or related_alias is None:
            return None
        source = self.model._meta.get_field("municipality")  # type: ignore[attr-defined]
        target = self.related_model._meta.get_field("municipality")  # type: ignore[attr-defined]
        lookup = target.get_lookup("exact")(target.get_col(alias), source.get_col(related_alias))
        return WhereNode([lookup], connector=AND)

    def get_extra_descriptor_filter(self, instance: Any) -> dict[str, Any]:
        municipality_id = getattr(instance, "municipality_id", None)
        return {} if municipality_id is None else {"municipality_id": municipality_id}

    def get_forward_related_filter(self, obj: Any) -> dict[str, Any]:
        filters = super().get_forward_related_filter(obj)
        municipality_id = getattr(obj, "municipality_id", None)
        if municipality_id is not None:
            filters["municipality_id"] = municipality_id
        return filters


class _TenantForeignKey(TenantRelationMixin, models.ForeignKey):
    """A foreign key from a tenant-owned row to a row of the same municipality."""

    related_accessor_class = TenantReverseManyToOneDescriptor
    forward_related_accessor_class = TenantForwardManyToOneDescriptor


class _TenantOneToOneField(TenantRelationMixin, models.OneToOneField):
    """A one-to-one reference within one municipality; unique together with the municipality."""

    related_accessor_class = TenantReverseOneToOneDescriptor
    forward_related_accessor_class = TenantForwardOneToOneDescriptor

    # Unique for Django's ORM (``select_related`` follows it back); in the database, the column alone is
    # only indexed and the model gets UNIQUE (column, municipality_id) instead (tenant_constraints below;
    # the schema editors of carenet/core/db/backends leave the column's own UNIQUE out).


class _TenantManyToManyField(models.ManyToManyField):
    """A many-to-many between tenant-owned models, through a tenant-owned model of TenantForeignKeys.

    The related managers read within the instance's municipality and fill the through row's
    municipality on ``add()``/``set()``.
    """

    def contribute_to_class(self, cls: Any, name: str, **kwargs: Any) -> None:  # type: ignore[override]
        super().contribute_to_class(cls, name, **kwargs)
        setattr(cls, self.name, TenantManyToManyDescriptor(self.remote_field, reverse=False))

    def contribute_to_related_class(self, cls: Any, related: Any) -> None:
        super().contribute_to_related_class(cls, related)
        if not self.remote_field.hidden and not related.related_model._meta.swapped:
            setattr(cls, related.accessor_name, TenantManyToManyDescriptor(self.remote_field, reverse=True))


# The public names. For the type checker they are Django's own relation fields, so django-stubs' plugin
# types ``case.person`` as ``Person`` (it resolves only the classes it knows); at run time the tenant ones.
# The classes keep their public name so migrations and ``deconstruct`` write ``TenantForeignKey``.
if TYPE_CHECKING:
    TenantForeignKey = models.ForeignKey
    TenantOneToOneField = models.OneToOneField
    TenantManyToManyField = models.ManyToManyField
else:
    _TenantForeignKey.__name__ = _TenantForeignKey.__qualname__ = "TenantForeignKey"
    _TenantOneToOneField.__name__ = _TenantOneToOneField.__qualname__ = "TenantOneToOneField"
    _TenantManyToManyField.__name__ = _TenantManyToManyField.__qualname__ = "TenantManyToManyField"
    TenantForeignKey = _TenantForeignKey
    TenantOneToOneField = _TenantOneToOneField
    TenantManyToManyField = _TenantManyToManyField


class TenantCollector(Collector):
    """Deletion's look-ups of related rows stay within the municipality of the rows being deleted."""

    def related_objects(self, related_model: Any, related_fields: Any, objs: Any) -> Any:
        queryset = super().related_objects(related_model, related_fields, objs)
        if issubclass(related_model, TenantOwnedModel):
            queryset = scoped_to(queryset, objs)
        return queryset


# --- the model --------------------------------------------------------------------------------------


class TenantOwnedModel(models.Model):
    """A row that belongs to one municipality (also the sharding key of a national deployment)."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="+")

    plain = models.Manager()  # framework internals (related managers, unique checks)
    objects = TenantManager()

    class Meta:
        abstract = True
        default_manager_name = "plain"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.municipality_id is None:
            # A row created from its parent (``SurveyResponse(survey=survey, …)``) belongs to the parent's
            # municipality; the composite foreign key would refuse any other.
            self.municipality_id = self._municipality_of_parent()
        super().save(*args, **kwargs)

    def _municipality_of_parent(self) -> Any:
        for field in self._meta.concrete_fields:
            if isinstance(field, TenantRelationMixin) and getattr(self, field.attname) is not None:
                return getattr(self, field.name).municipality_id
        return None

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        # ``UPDATE … WHERE id = %s AND municipality_id = %s``: one shard, not all of them. A tenant
        # row never moves to another municipality (the composite foreign keys would refuse it).
        if self.municipality_id is not None:
            base_qs = base_qs.filter(municipality_id=self.municipality_id)
        return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        municipality_id = self.__dict__.get("municipality_id")  # a deferred one is not read (it would recurse)
        if from_queryset is None and municipality_id is not None:
            from_queryset = self.__class__._base_manager.db_manager(using).filter(municipality_id=municipality_id)
        return super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)

    def delete(self, using=None, keep_parents=False):
        if not self._is_pk_set():  # type: ignore[attr-defined]
            raise ValueError(f"{self._meta.object_name} object can't be deleted because its id is None.")
        using = using or router.db_for_write(self.__class__, instance=self)
        collector = TenantCollector(using=using, origin=self)
        collector.collect([self], keep_parents=keep_parents)
        return collector.delete()

    delete.alters_data = True  # type: ignore[attr-defined]


def tenant_constraints(model: type[models.Model]) -> list[models.BaseConstraint]:
    """The constraints decision 0011 gives a tenant-owned model: its composite key, then one composite
    foreign key per tenant relation (and the unique pair of a one-to-one)."""
    table = model._meta.db_table
    pk = model._meta.pk
    assert pk is not None
    found: list[models.BaseConstraint] = [
        TenantKey(name=constraint_name(table, "tkey"), fields=(pk.name, "municipality"))
    ]
    for field in model._meta.local_fields:
        if isinstance(field, TenantRelationMixin):
            found.append(TenantForeignKeyConstraint(name=constraint_name(table, "tfk", field.column), field=field.name))
            if field.one_to_one and not field.primary_key:
                found.append(
                    models.UniqueConstraint(
                        fields=[field.name, "municipality"], name=constraint_name(table, "tuniq", field.column)
                    )
                )
    return found


def _add_tenant_constraints(sender: type[models.Model], **kwargs: Any) -> None:
    opts = sender._meta
    if not issubclass(sender, TenantOwnedModel) or opts.abstract or opts.proxy or not opts.managed:
        return
    if sender.__module__ == "__fake__":  # historical models of migrations: their state says it all
        return
    present = {c.name for c in opts.constraints}
    missing = [c for c in tenant_constraints(sender) if c.name not in present]
    if missing:
        opts.constraints = [*missing, *opts.constraints]
        opts.original_attrs["constraints"] = opts.constraints  # what migrations read (ModelState.from_model)


class_prepared.connect(_add_tenant_constraints)

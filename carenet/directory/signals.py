"""Every save or delete of public directory data bumps its municipality's data version
(``services.directory_changed``), whoever writes it: the directory's services, imports, the admin,
a shell. Writes that bypass model signals (``QuerySet.update``, ``bulk_create``) call it themselves."""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import F
from django.db.models.signals import post_delete, post_migrate, post_save

from carenet.core.models import Municipality, Organisation

from . import models
from .services import directory_changed

TENANT_MODELS = (
    Organisation,
    models.OrganisationProfile,
    models.Program,
    models.Service,
    models.ServiceAttribute,
    models.Location,
    models.ServiceAtLocation,
    models.Phone,
    models.Contact,
    models.Schedule,
    models.CostOption,
    models.RequiredDocument,
    models.Funding,
    models.ServiceArea,
)
SHARED_MODELS = (models.Taxonomy, models.TaxonomyTerm)


def _tenant_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    directory_changed(municipality=instance.municipality_id)


def _shared_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    directory_changed(municipality=None)


def _municipality_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    directory_changed(municipality=instance.pk)  # slug, country (identifier scheme) are in the answers


def _migrated(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # Data migrations (taxonomies) write through historical models, which send no save signals.
    from django.db import connections

    if sender.name != "carenet.directory":
        return
    tables = connections[using].introspection.table_names()
    if models.TaxonomyTerm._meta.db_table in tables and not models.TaxonomyTerm.objects.using(using).exists():
        # The reference taxonomies come with the migrations; a database emptied since (``flush``, as the test
        # runner does after a transactional test) gets them back, as Django's content types do.
        from django.apps import apps as global_apps

        from .taxonomy_data import load_taxonomies

        load_taxonomies(global_apps)
    if models.DataVersion._meta.db_table in tables:
        step = secrets.randbelow(2**31) + 1
        shared = models.DataVersion.objects.using(using).filter(scope=models.DataVersion.SHARED)
        if not shared.update(version=F("version") + step):
            models.DataVersion.objects.using(using).get_or_create(
                scope=models.DataVersion.SHARED, defaults={"version": step}
            )


def connect() -> None:
    for model in TENANT_MODELS:
        post_save.connect(_tenant_row_changed, sender=model, dispatch_uid=f"directory-version-{model.__name__}")
        post_delete.connect(_tenant_row_changed, sender=model, dispatch_uid=f"directory-version-d-{model.__name__}")
    for shared in SHARED_MODELS:
        post_save.connect(_shared_row_changed, sender=shared, dispatch_uid=f"directory-version-{shared.__name__}")
        post_delete.connect(_shared_row_changed, sender=shared, dispatch_uid=f"directory-version-d-{shared.__name__}")
    post_save.connect(_municipality_changed, sender=Municipality, dispatch_uid="directory-version-municipality")
    post_migrate.connect(_migrated, dispatch_uid="directory-version-migrate")

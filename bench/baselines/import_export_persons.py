"""Baseline: the same persons CSV through django-import-export (what a Django team would reach for).

A plain ``ModelResource`` over Person, configured as a careful team would: model validation on
(``clean_model_instances``), one transaction, dry-run off; the tenant and registering organisation
filled in per row, name keys computed on save (``Person.save``).
"""

from __future__ import annotations

from typing import Any

from import_export import resources
from tablib import Dataset

from carenet.people.models import Person

FIELDS = (
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "identifier_kind",
    "national_id",
    "document_status",
    "other_spellings",
    "address",
    "phone",
    "email",
)


def person_resource(*, municipality_id: Any, organisation_id: Any) -> resources.ModelResource:
    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person
            fields = FIELDS
            force_init_instance = True
            clean_model_instances = True
            use_transactions = True
            skip_diff = True

        def get_queryset(self) -> Any:
            return Person.objects.for_tenant(municipality_id)

        def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            instance.municipality_id = municipality_id
            instance.registered_by_organisation_id = organisation_id

        def import_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            super().import_instance(instance, row, **kwargs)
            instance.municipality_id = municipality_id
            instance.registered_by_organisation_id = organisation_id

    return PersonResource()


def import_csv(text: str, *, municipality_id: Any, organisation_id: Any) -> int:
    dataset = Dataset().load(text, format="csv")
    resource = person_resource(municipality_id=municipality_id, organisation_id=organisation_id)
    result = resource.import_data(dataset, dry_run=False, raise_errors=True)
    if result.has_errors() or result.has_validation_errors():
        raise RuntimeError("django-import-export refused the file")
    return result.totals.get("new", 0)

"""Every table that holds a person is in the subject-data registry, so the export cannot forget one."""

from django.apps import apps
from django.db import models

from carenet.core.subject_data import registered, registered_labels
from carenet.people.models import Person


def _points_at_person(model: type[models.Model]) -> bool:
    return any(
        f.is_relation and f.concrete and (f.many_to_one or f.one_to_one) and f.related_model is Person
        for f in model._meta.get_fields()
    )


def test_every_model_with_a_foreign_key_to_person_is_registered():
    holders = {m._meta.label_lower for m in apps.get_models() if _points_at_person(m)}
    assert "cases.case" in holders and "referrals.referral" in holders  # the check sees the real models
    missing = sorted(holders - registered_labels())
    assert not missing, (
        f"{missing} hold a person but no app registered them in its subject_data.py "
        "(carenet.core.subject_data.register): the subject-access export would forget them"
    )


def test_every_registered_table_is_a_real_model_with_a_path_to_the_person():
    for table in registered():
        model = table.model_class
        if table.rows is None:
            model._meta.get_field(table.via.split("__")[0])  # raises if the lookup does not exist

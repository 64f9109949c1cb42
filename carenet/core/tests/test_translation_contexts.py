"""One English word, two meanings: the apps' catalogues are merged and the first app's translation of a
msgid wins everywhere (Django's INSTALLED_APPS order), so a word that means something else in a later app
carries a translation context. Without it, the audit log's noun "Record" labelled the register's buttons and
the referral letter's recipient ("To") read as a date ("Până la")."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext


@pytest.mark.parametrize(
    ("context", "msgid", "romanian"),
    [
        ("audit log", "Record", "Înregistrare"),
        ("person record", "Record", "Fișa"),
        ("letter recipient", "To", "Către"),
        ("legal hold", "placed on", "instituită la"),
        ("dwelling", "room", "cameră"),
        ("participants", "completed", "absolvenți"),
        ("to do", "Answer", "Răspundeți"),
        ("button", "Filter", "Filtrează"),  # Django admin's catalogue says the noun "Filtru"
        ("person", "Name", "Nume"),  # without it, a person's name read "Denumire", a thing's
    ],
)
def test_a_word_with_two_meanings_is_translated_by_its_context(context: str, msgid: str, romanian: str) -> None:
    with translation.override("ro"):
        assert pgettext(context, msgid) == romanian


def test_a_record_button_is_a_verb_not_the_audit_logs_noun() -> None:
    with translation.override("ro"):
        assert pgettext("button", "Record").startswith("Înregistr")
        assert pgettext("button", "Record") != pgettext("audit log", "Record")
        assert gettext("To") == "Până la"  # a date range's end, as on every filter


@pytest.mark.parametrize(("language", "person_name"), [("ro", "Nume"), ("ru", "Имя"), ("uk", "Ім'я"), ("hu", "Név")])
def test_a_persons_name_is_not_the_name_of_a_thing(language: str, person_name: str) -> None:
    with translation.override(language):
        assert pgettext("person", "Name") == person_name

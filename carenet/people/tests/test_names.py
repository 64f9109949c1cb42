"""Name keys: the same person under Romanian, Cyrillic, Hungarian and swapped spellings."""

import pytest

from carenet.people.names import name_key, name_similarity


@pytest.mark.parametrize(
    "spelling",
    ["Ștefan Munteanu", "Stefan Munteanu", "Ştefan Munteanu", "Штефан Мунтяну", "Munteanu Stefan", "MUNTEANU ȘTEFAN"],
)
def test_every_spelling_of_stefan_munteanu_has_the_same_key(spelling):
    assert name_key(spelling) == name_key("Ștefan", "Munteanu")


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [("Ion Ciobanu", "Ион Чобану"), ("Mihail Șevciuc", "Михаил Шевчук"), ("Ion Țurcanu", "Ион Цуркану")],
)
def test_cyrillic_and_latin_spellings_share_a_key(latin, cyrillic):
    assert name_key(latin) == name_key(cyrillic)


def test_a_typo_keeps_the_names_similar():
    assert name_similarity(name_key("Stefan Muntenu"), name_key("Ștefan Munteanu")) >= 0.75
    assert name_similarity(name_key("Maria Pop"), name_key("Ștefan Munteanu")) < 0.5

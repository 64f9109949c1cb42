"""The linkage engine on its own: readings, Jaro-Winkler, equivalent names, the Fellegi-Sunter scorer."""

import datetime

import pytest

from carenet.people.linkage.model import Model, Scorer, clusters, compare_birth, default_model, prepare
from carenet.people.linkage.names import equivalent, jaro_winkler, readings, word_similarity

BORN = datetime.date(1957, 3, 2)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Чебан", "Ceban"),
        ("Ceban", "Cheban"),
        ("Мунтяну", "Munteanu"),
        ("Чобану", "Ciobanu"),
        ("Ţurcanu", "Țurcanu"),
        ("Цуркану", "Tsurkanu"),
        ("Наталья", "Natalya"),
        ("Георге", "Gheorghe"),
        ("Kuznetsova", "Cuznețova"),
    ],
)
def test_spellings_of_one_name_share_a_reading(a, b):
    assert set(readings(a.lower())) & set(readings(b.lower()))


@pytest.mark.parametrize(("a", "b"), [("Ion", "Ioana"), ("Pop", "Papp"), ("Olga", "Oleg"), ("Мельник", "Мельничук")])
def test_vowels_are_kept_so_different_names_stay_different(a, b):
    assert not set(readings(a.lower())) & set(readings(b.lower()))


def test_jaro_winkler_matches_the_textbook_values():
    assert jaro_winkler("martha", "marhta") == pytest.approx(0.961, abs=0.001)
    assert jaro_winkler("dwayne", "duane") == pytest.approx(0.84, abs=0.001)
    assert jaro_winkler("", "x") == 0.0 and word_similarity("ion", "ion") == 1.0


@pytest.mark.parametrize(
    ("a", "b"), [("ion", "ionel"), ("саша", "alexandru"), ("mária", "marika"), ("gheorghe", "ghiță")]
)
def test_equivalent_names_come_from_the_shipped_table(a, b):
    assert equivalent(a, b)


def test_ion_and_ioana_are_not_equivalent():
    assert not equivalent("ion", "ioana")


def test_birth_dates_far_apart_are_their_own_level():
    assert compare_birth(BORN, datetime.date(1982, 5, 9)) == 0
    assert compare_birth(BORN, datetime.date(1957, 2, 3)) == 3
    assert compare_birth(BORN, datetime.date(1957, 3, 3)) == 2


def _model() -> Model:
    return default_model()


def test_a_cyrillic_record_of_a_latin_registered_person_is_linked():
    scorer = Scorer(_model())
    latin = prepare(1, first_name="Ion", last_name="Ceban", birth_date=BORN, sex="M")
    cyrillic = prepare(2, first_name="Ион", last_name="Чебан", birth_date=BORN, sex="M")
    assert scorer.score(latin, cyrillic).probability > 0.99


@pytest.mark.parametrize(
    ("other", "born"),
    [
        ({"first_name": "Ion", "last_name": "Ceban"}, datetime.date(1982, 5, 9)),  # his son, the same name
        ({"first_name": "Vasile", "last_name": "Ceban"}, BORN),  # his twin brother
    ],
)
def test_hard_negatives_are_not_linked(other, born):
    model = _model()
    model.frequencies = {"given": {"ion": 0.02, "vasile": 0.02}, "family": {"cheban": 0.01}}
    scorer = Scorer(model)
    person = prepare(1, first_name="Ion", last_name="Ceban", birth_date=BORN, sex="M", address="Str. Horea 3")
    relative = prepare(2, birth_date=born, sex="M", address="Str. Horea 3", **other)
    assert scorer.score(person, relative).probability < 0.5


def test_a_valid_cnp_supplies_the_birth_date_and_sex():
    p = prepare(1, first_name="Ion", last_name="Pop", national_id="1800101221144", identifier_kind="cnp")
    assert p.birth == datetime.date(1980, 1, 1) and p.sex == "M" and p.nid_valid


def test_clusters_are_connected_components():
    assert clusters([(1, 2), (2, 3), (7, 8)]) == [[1, 2, 3], [7, 8]]

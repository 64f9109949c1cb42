"""The linkage engine on its own: readings, Jaro-Winkler, equivalent names, the Fellegi-Sunter scorer."""

import datetime

import pytest

from carenet.people.linkage.columns import deduplicate
from carenet.people.linkage.model import (
    Model,
    Scorer,
    clusters,
    compare_birth,
    default_model,
    prepare,
    share_rivals,
)
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


def _family_at_one_address():
    """A father and his son, both Ion Ceban at Str. Horea 3, and a third record with that name and no birth date."""
    father = prepare(1, first_name="Ion", last_name="Ceban", birth_date=BORN, sex="M", address="Str. Horea 3")
    son = prepare(
        2, first_name="Ion", last_name="Ceban", birth_date=datetime.date(1982, 5, 9), sex="M", address="Str. Horea 3"
    )
    undated = prepare(3, first_name="Ion", last_name="Ceban", sex="M", address="Str. Horea 3")
    return father, son, undated


def test_a_record_like_a_father_and_his_son_is_not_claimed_to_be_either():
    scorer = Scorer(_model())
    father, son, undated = _family_at_one_address()
    alone = [scorer.score(undated, other) for other in (father, son)]
    assert all(s.probability > 0.9 for s in alone)  # each on its own looks like a duplicate
    shared = share_rivals(
        [(3, 1, alone[0]), (3, 2, alone[1])],
        lambda y, z: scorer.distinct({1: father, 2: son}[y], {1: father, 2: son}[z]),
    )
    assert all(s.probability < 0.5 and s.rivals == 1 for _a, _b, s in shared)


def test_a_rival_much_less_like_the_record_leaves_the_true_duplicate_linked():
    scorer = Scorer(_model())
    father, son, _undated = _family_at_one_address()
    again = prepare(4, first_name="Ion", last_name="Ceban", birth_date=BORN, sex="M", address="Str. Horea 3")
    pairs = [(4, 1, scorer.score(again, father)), (4, 2, scorer.score(again, son))]
    shared = share_rivals(pairs, lambda y, z: True)
    assert shared[0][2].probability > 0.99


def test_batch_linking_does_not_join_a_father_and_his_son_through_an_undated_record():
    father, son, undated = _family_at_one_address()
    records = [father, son, undated] + [
        prepare(10 + i, first_name=f"Name{i}", last_name=f"Family{i}", birth_date=BORN, sex="F") for i in range(20)
    ]
    _model_used, linked, _candidates = deduplicate(records, threshold=0.8, model=_model())
    assert not clusters((i, j) for i, j, _s in linked if {i, j} & {0, 1})


def test_swapped_names_weigh_the_same_whichever_record_comes_first():
    """ "Morozov" is rare as a given name and common as a family name: a record with the names swapped must
    not gain by being read first (it took a father's undated record for his son's)."""
    model = _model()
    model.frequencies = {"given": {"nikolai": 0.01}, "family": {"morozov": 0.005}}
    model.min_frequency = 1e-5
    scorer = Scorer(model)
    straight = prepare(1, first_name="Nicolai", last_name="Morozov", sex="M", address="Str. Independenței 56")
    swapped = prepare(2, first_name="Морозов", last_name="Николай", sex="M", address="Str. Independenței 56")
    forward, backward = scorer.score(straight, swapped), scorer.score(swapped, straight)
    assert forward.swapped and backward.swapped
    assert forward.weight == pytest.approx(backward.weight, abs=0.6)
    records = [straight, swapped]
    _m, linked, _c = deduplicate(records, threshold=0.0, model=model)
    [(_i, _j, in_columns)] = linked
    assert in_columns.weight == pytest.approx(forward.weight, abs=0.6)

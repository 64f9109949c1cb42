"""CNP, CIF, IDNP and IDNO: every valid code passes; single-digit typos are caught."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from carenet.core.identifiers import (
    _CNP_WEIGHTS,
    cif_check_digit,
    cnp_check_digit,
    is_valid,
    md_check_digit,
    validate_cif,
    validate_cnp,
    validate_idno,
    validate_idnp,
)

COUNTIES = [f"{i:02d}" for i in range(1, 47)] + ["51", "52"]


@st.composite
def cnps(draw):
    sex_century = draw(st.sampled_from("123456"))
    base = {"1": 1900, "2": 1900, "3": 1800, "4": 1800, "5": 2000, "6": 2000}[sex_century]
    birth = draw(st.dates(datetime.date(base, 1, 1), datetime.date(base + 99, 12, 31)))
    county = draw(st.sampled_from(COUNTIES))
    serial = draw(st.integers(1, 999))
    first12 = f"{sex_century}{birth:%y%m%d}{county}{serial:03d}"
    return first12 + str(cnp_check_digit(first12))


@st.composite
def md_codes(draw, prefix):
    body = draw(st.text("0123456789", min_size=11, max_size=11))
    first12 = prefix + body
    return first12 + str(md_check_digit(first12))


def single_digit_changes(code):
    for i, digit in enumerate(code):
        for replacement in "0123456789":
            if replacement != digit:
                yield i, code[:i] + replacement + code[i + 1 :]


def cnp_remainder(code):
    return sum(int(d) * w for d, w in zip(code[:12], _CNP_WEIGHTS, strict=True)) % 11


@given(cnps())
def test_every_valid_cnp_is_accepted(cnp):
    validate_cnp(cnp)


@given(cnps())
def test_every_single_digit_change_of_a_cnp_is_rejected(cnp):
    """The official CNP key maps remainders 1 and 10 to the same control digit 1; that one
    collision of the national algorithm is the only way a one-digit typo can pass."""
    for position, changed in single_digit_changes(cnp):
        if is_valid(validate_cnp, changed):
            assert position < 12 and changed[12] == "1"
            assert {cnp_remainder(cnp), cnp_remainder(changed)} == {1, 10}


@given(md_codes("2"))
def test_every_valid_idnp_is_accepted(idnp):
    validate_idnp(idnp)


@given(md_codes("2"))
def test_every_single_digit_change_of_an_idnp_is_rejected(idnp):
    for _position, changed in single_digit_changes(idnp):
        assert not is_valid(validate_idnp, changed), changed


@given(md_codes("1"))
def test_every_valid_idno_is_accepted_and_single_digit_changes_are_rejected(idno):
    validate_idno(idno)
    for _position, changed in single_digit_changes(idno):
        assert not is_valid(validate_idno, changed)


@given(st.integers(10, 99_999_999))
def test_every_valid_cif_is_accepted(body):
    cif = f"{body}{cif_check_digit(str(body))}"
    validate_cif(cif)
    validate_cif("RO" + cif)


def test_known_real_cnp_and_cif():
    validate_cnp("1800101221144")  # the textbook example CNP
    validate_cif("RO18547290")  # a published company CIF


@pytest.mark.parametrize(
    ("validator", "value", "message"),
    [
        (validate_cnp, "123", "exactly 13 digits"),
        (validate_cnp, "1800101221145", "control digit"),
        (validate_cnp, "1801301221144", "impossible date"),
        (validate_idnp, "20000000000", "exactly 13 digits"),
        (validate_idnp, "5000000000000", "must start with"),
        (validate_cif, "ABC", "2 to 10 digits"),
    ],
)
def test_errors_say_what_is_wrong(validator, value, message):
    from django.utils import translation

    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            validator(value)
        assert message in str(excinfo.value.messages[0])


def test_error_messages_are_translated_to_romanian():
    from django.utils import translation

    with translation.override("ro"):
        with pytest.raises(ValidationError) as excinfo:
            validate_cnp("123")
        assert "13 cifre" in str(excinfo.value.messages[0])

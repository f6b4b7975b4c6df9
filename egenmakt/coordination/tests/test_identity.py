"""Personal identity and co-ordination numbers: both kinds pass, wrong ones get a clear
error. The numbers here are made up for the tests (check digits computed with Luhn)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from egenmakt.coordination.identity import parse_identity_number


def with_check_digit(nine: str) -> str:
    return nine + luhn.calc_check_digit(nine)


def test_a_personnummer_in_every_usual_form():
    number = "811218" + with_check_digit("811218987")[-4:]
    for written in (f"19{number[:6]}-{number[6:]}", f"{number[:6]}-{number[6:]}", f"19{number}"):
        parsed = parse_identity_number(written)
        assert parsed.digits == f"19{number}"
        assert not parsed.coordination
        assert parsed.birth_date == datetime.date(1981, 12, 18)
        assert parsed.masked == "19811218-****"


def test_a_coordination_number_keeps_its_plus_sixty():
    ten = with_check_digit("811278987")  # born 18 December 1981, day + 60
    parsed = parse_identity_number(f"19{ten[:6]}-{ten[6:]}")
    assert parsed.coordination
    assert parsed.digits == f"19{ten}"
    assert parsed.display == f"19{ten[:6]}-{ten[6:]}"
    assert parsed.birth_date == datetime.date(1981, 12, 18)


def test_a_plus_sign_means_a_hundred_years_old():
    ten = with_check_digit("180101123")
    assert parse_identity_number(f"{ten[:6]}+{ten[6:]}").digits == f"19{ten}"
    assert parse_identity_number(f"{ten[:6]}-{ten[6:]}").digits.startswith("20")


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("19811218-9870", "checksum"),  # wrong check digit
        (with_check_digit("811278987")[:-1] + "0", "checksum"),
        ("19811232-" + with_check_digit("811232123")[-4:], "invalid"),  # 32 December
        ("19811292-" + with_check_digit("811292123")[-4:], "invalid"),  # 92 - 60 = 32
        ("1981-12-18", "format"),
        ("", "format"),
        ("abc", "format"),
    ],
)
def test_wrong_numbers_get_a_clear_error(written, code):
    with pytest.raises(ValidationError) as caught:
        parse_identity_number(written)
    assert caught.value.code == code


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)),
    st.integers(min_value=0, max_value=999),
    st.booleans(),
)
def test_every_valid_date_and_serial_parses_back(birth, serial, coordination):
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    ten = with_check_digit(nine)
    parsed = parse_identity_number(f"{birth.year}{ten[2:6]}-{ten[6:]}")
    assert parsed.birth_date == birth
    assert parsed.coordination is coordination
    assert parsed.digits == f"{birth.year}{ten[2:]}"

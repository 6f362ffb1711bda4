"""Identifier validation: NHS number (modulus 11), UPN (check letter, temporary), LA child id."""

from __future__ import annotations

import pytest

from joinedup.linkage.identifiers import (
    InvalidIdentifier,
    check_la_child_id,
    check_nhs_number,
    check_upn,
    nhs_check_digit,
    upn_check_letter,
)


def test_known_valid_nhs_number() -> None:
    # 943 476 5919 is the NHS Data Dictionary's worked example of a valid number.
    result = check_nhs_number("943 476 5919")
    assert result.value == "9434765919"
    assert result.is_test is False


def test_nhs_test_range_is_flagged() -> None:
    first_nine = "999000012"
    digit = nhs_check_digit(first_nine)
    assert digit is not None
    assert check_nhs_number(first_nine + str(digit)).is_test is True


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("9434765918", "fails the modulus-11 check: last digit should be 9"),
        ("943476591", "must have 10 digits, not 9"),
        ("94347659X9", "must contain only digits"),
        ("1111111111", "placeholder"),
        ("", "blank"),
    ],
)
def test_invalid_nhs_numbers_say_why(raw: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        check_nhs_number(raw)


def test_nhs_number_whose_check_value_is_ten_is_never_valid() -> None:
    # Find nine digits whose check value is 10; no tenth digit can make them valid.
    candidates = (f"{n:09d}" for n in range(100000000, 100001000))
    nine = next(c for c in candidates if nhs_check_digit(c) is None)
    for last in range(10):
        with pytest.raises(InvalidIdentifier, match="check value 10"):
            check_nhs_number(nine + str(last))


def test_upn_check_letter_round_trip() -> None:
    body = "820200101001"  # LA 820, establishment 2001, year 01, serial 001
    upn = upn_check_letter(body) + body
    assert check_upn(upn).value == upn
    assert check_upn(upn).is_temporary is False
    assert check_upn(upn.lower()).value == upn


def test_temporary_upn_has_a_letter_last_and_a_valid_check_letter() -> None:
    body = "82020010100A"
    upn = upn_check_letter(body) + body
    result = check_upn(upn)
    assert result.is_temporary is True


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("A82020010100", "must have 13 characters, not 12"),
        ("I820200101001", "must start with a check letter"),
        ("A8202001X1001", "characters 2 to 12 must be digits"),
        ("", "blank"),
    ],
)
def test_invalid_upns_say_why(raw: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        check_upn(raw)


def test_upn_with_wrong_check_letter_names_the_right_one() -> None:
    body = "820200101001"
    right = upn_check_letter(body)
    wrong = next(c for c in "ABCDEFGH" if c != right)
    with pytest.raises(InvalidIdentifier, match=f"should start with {right}"):
        check_upn(wrong + body)


def test_temporary_upn_with_forbidden_last_letter() -> None:
    body = "82020010100O"
    with pytest.raises(InvalidIdentifier, match="not I, O or S"):
        check_upn("A" + body)


def test_la_child_id() -> None:
    assert check_la_child_id(" LA-12345 ").value == "LA-12345"
    with pytest.raises(InvalidIdentifier, match="1-20 letters"):
        check_la_child_id("has spaces in it")

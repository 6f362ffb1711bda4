"""Validation of the identifiers that link a child's records: NHS number and UPN.

Pure Python (no Django) so linkage can run anywhere, including on Spark executors.

- NHS number: 10 digits, the tenth a modulus-11 check digit (NHS Data Dictionary).
  Numbers beginning 999 are the NHS test range, never issued to real people; the synthetic
  area uses only these.
- UPN: 13 characters, a check letter then 12 characters: LA code (3), establishment (4),
  year (2), serial (3). A temporary UPN has a letter as its last character. The check letter is
  the weighted sum of characters 2-13 (weights 2-13) modulo 23, looked up in
  UPN_CHECK_LETTERS (DfE "Unique pupil numbers (UPN): guidance for schools").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "IDENTITY_FIELDS",
    "IdentifierCheck",
    "InvalidIdentifier",
    "UPN_CHECK_LETTERS",
    "check_la_child_id",
    "check_nhs_number",
    "check_upn",
    "nhs_check_digit",
    "normalise_nhs_number",
    "upn_check_letter",
]

# A source record's identity fields, as every agency's extract is mapped onto them (and as
# people.SourceRecord stores them, exactly as received).
IDENTITY_FIELDS = (
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "upn",
    "former_upn",
    "la_child_id",
)

UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S


class InvalidIdentifier(ValueError):
    """An identifier that fails validation; the message says why in plain words."""


@dataclass(frozen=True)
class IdentifierCheck:
    value: str
    is_test: bool = False
    is_temporary: bool = False


def normalise_nhs_number(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None when no valid digit exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def check_nhs_number(raw: str) -> IdentifierCheck:
    value = normalise_nhs_number(raw)
    if not value:
        raise InvalidIdentifier("NHS number is blank.")
    if not value.isdigit():
        raise InvalidIdentifier(f"NHS number {raw!r} must contain only digits.")
    if len(value) != 10:
        raise InvalidIdentifier(f"NHS number {raw!r} must have 10 digits, not {len(value)}.")
    if len(set(value)) == 1:
        raise InvalidIdentifier(f"NHS number {raw!r} is a placeholder (all digits the same).")
    expected = nhs_check_digit(value[:9])
    if expected is None:
        raise InvalidIdentifier(
            f"NHS number {raw!r} cannot be valid: its first nine digits give check value 10."
        )
    if int(value[9]) != expected:
        raise InvalidIdentifier(
            f"NHS number {raw!r} fails the modulus-11 check: last digit should be {expected}."
        )
    return IdentifierCheck(value=value, is_test=value.startswith("999"))


def _upn_char_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    return UPN_CHECK_LETTERS.index(ch)


def upn_check_letter(last_twelve: str) -> str:
    total = sum(_upn_char_value(ch) * w for ch, w in zip(last_twelve, range(2, 14), strict=True))
    return UPN_CHECK_LETTERS[total % 23]


def check_upn(raw: str) -> IdentifierCheck:
    value = (raw or "").strip().upper()
    if not value:
        raise InvalidIdentifier("UPN is blank.")
    if len(value) != 13:
        raise InvalidIdentifier(f"UPN {raw!r} must have 13 characters, not {len(value)}.")
    if value[0] not in UPN_CHECK_LETTERS:
        raise InvalidIdentifier(f"UPN {raw!r} must start with a check letter (A-Z, not I, O or S).")
    if not value[1:12].isdigit():
        raise InvalidIdentifier(f"UPN {raw!r}: characters 2 to 12 must be digits.")
    last = value[12]
    temporary = not last.isdigit()
    if temporary and last not in UPN_CHECK_LETTERS:
        raise InvalidIdentifier(
            f"UPN {raw!r}: the last character must be a digit, or a letter (not I, O or S) "
            "in a temporary UPN."
        )
    expected = upn_check_letter(value[1:])
    if value[0] != expected:
        raise InvalidIdentifier(
            f"UPN {raw!r} fails the check-letter test: it should start with {expected}."
        )
    return IdentifierCheck(value=value, is_temporary=temporary)


_LA_CHILD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_-]{0,19}$")


def check_la_child_id(raw: str) -> IdentifierCheck:
    value = (raw or "").strip()
    if not value:
        raise InvalidIdentifier("LA child id is blank.")
    if not _LA_CHILD_ID.match(value):
        raise InvalidIdentifier(
            f"LA child id {raw!r} must be 1-20 letters, digits, '/', '_' or '-'."
        )
    return IdentifierCheck(value=value)

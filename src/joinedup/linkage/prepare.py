"""Normalise one table of source records into linkage features.

Input: one row per source record with the columns in `RECORD_COLUMNS` (strings; any may be
blank or null). Output: one row per record with a dense integer `unique_id` (records sorted by
agency and record id, so the same input always gives the same ids) and the features the model
compares. Nothing here raises on bad values: a date, postcode or identifier that cannot be read
becomes null, and a null is never evidence for or against a match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from functools import cache

import numpy as np
import pandas as pd

from joinedup.linkage.identifiers import IDENTITY_FIELDS, UPN_CHECK_LETTERS
from joinedup.linkage.nicknames import canonical_names

__all__ = [
    "FEATURE_COLUMNS",
    "RECORD_COLUMNS",
    "address_number",
    "normalise_address",
    "normalise_name",
    "normalise_postcode",
    "parse_date_of_birth",
    "prepare_records",
    "soundex",
]

# `other_id`: any other identifier an agency holds for a person (say a national id keyed by
# hand). Optional and never decisive: the model weighs it like any other field.
RECORD_COLUMNS = ("agency", "record_id", *IDENTITY_FIELDS, "other_id")

FEATURE_COLUMNS = (
    "unique_id",
    "agency",
    "record_id",
    "first_name",
    "first_name_key",
    "first_name_canon",
    "first_name_sx",
    "given_tokens",
    "middle_names",
    "family_name",
    "family_name_parts",
    "family_name_sx",
    "dob",
    "dob_swap",
    "dob_year",
    "sex",
    "postcode",
    "postcode_sector",
    "postcode_district",
    "address",
    "address_number",
    "nhs_number",
    "upn",
    "upn_set",
    "la_child_id",
    "other_id",
)

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]*)?$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_ADDRESS_WORDS = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "dr": "drive",
    "cres": "crescent",
    "ct": "court",
    "gdns": "gardens",
    "pl": "place",
    "sq": "square",
    "ter": "terrace",
    "terr": "terrace",
    "apt": "flat",
}
_NAME_PARTICLES = {"mr", "mrs", "miss", "ms", "master", "dr"}
_SEX = {
    "m": "M",
    "male": "M",
    "1": "M",
    "boy": "M",
    "f": "F",
    "female": "F",
    "2": "F",
    "girl": "F",
}


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return ""
    return str(value).strip()


# Letters that Unicode does not decompose into a base letter plus accent.
_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i"})
_LIGATURES = {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th"}


@cache
def _ascii_words(raw: str) -> str:
    """Lowercase ASCII words: accents stripped, apostrophes dropped, other punctuation a space."""
    raw = raw.translate(_LETTERS)
    for ligature, letters in _LIGATURES.items():
        raw = raw.replace(ligature, letters)
    folded = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    folded = folded.lower().replace("'", "").replace("`", "")
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", folded)).strip()


def normalise_name(raw: object) -> str:
    """'  O'Brien-Smith ' -> 'obrien smith'; titles dropped; '' when nothing is left."""
    words = [w for w in _ascii_words(_text(raw)).split() if w not in _NAME_PARTICLES]
    return " ".join(words)


def normalise_address(raw: object) -> str:
    words = _ascii_words(_text(raw)).split()
    return " ".join(_ADDRESS_WORDS.get(w, w) for w in words)


_NUMBER = re.compile(r"\d+")


def address_number(address: str) -> str | None:
    """The first number in a normalised address (the house or flat number), or None:
    '92 mcintyre street apt 27' -> '92'."""
    number = _NUMBER.search(address)
    return number.group() if number else None


def normalise_postcode(raw: object) -> tuple[str | None, str | None, str | None]:
    """(postcode, sector, district) for a UK postcode, e.g. ('JU1 0TN', 'JU1 0', 'JU1').

    A value that is not a UK postcode keeps its letters and digits (upper case) with no sector
    or district, so foreign postal codes still compare exactly.
    """
    compact = re.sub(r"[^A-Z0-9]", "", _text(raw).upper())
    if not compact:
        return None, None, None
    m = _UK_POSTCODE.match(compact)
    if not m:
        return compact, None, None
    outward, inward = m.groups()
    return f"{outward} {inward}", f"{outward} {inward[0]}", outward


def parse_date_of_birth(raw: object) -> date | None:
    """ISO YYYY-MM-DD (time part ignored), DD/MM/YYYY, D/M/YYYY or YYYYMMDD; else None."""
    text = _text(raw)
    parts: tuple[str, str, str] | None = None
    if m := _ISO.match(text):
        parts = (m.group(1), m.group(2), m.group(3))
    elif m := _DMY.match(text):
        parts = (m.group(3), m.group(2), m.group(1))
    elif m := _COMPACT.match(text):
        parts = (m.group(1), m.group(2), m.group(3))
    if parts is None:
        return None
    try:
        value = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
    return value if value.year >= 1900 else None


_SOUNDEX = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556")


@cache
def soundex(name: str) -> str:
    """American Soundex of a normalised name ('' for '')."""
    letters = [c for c in name if "a" <= c <= "z"]
    if not letters:
        return ""
    codes = []
    previous = letters[0].translate(_SOUNDEX)
    for c in letters[1:]:
        code = c.translate(_SOUNDEX)
        if code.isdigit() and code != previous:
            codes.append(code)
        if c not in "hw":
            previous = code
    return (letters[0].upper() + "".join(codes) + "000")[:4]


_DIGITS = frozenset("0123456789")
_UPN_VALUES = {c: i for i, c in enumerate(UPN_CHECK_LETTERS)} | {str(d): d for d in range(10)}


def _valid_nhs(raw: object) -> str | None:
    """The NHS number if `check_nhs_number` accepts it, else None (the same test, written
    for speed: it runs once per distinct number in an area)."""
    value = "".join(_text(raw).split()).replace("-", "")
    if len(value) != 10 or not _DIGITS.issuperset(value) or len(set(value)) == 1:
        return None
    total = sum(int(d) * w for d, w in zip(value[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 10:
        return None
    return value if (0 if check == 11 else check) == int(value[9]) else None


def _valid_upn(raw: object) -> str | None:
    """A valid permanent UPN (as `check_upn` decides); temporary UPNs are not evidence of
    identity."""
    value = _text(raw).upper()
    if len(value) != 13 or not _DIGITS.issuperset(value[1:]):  # permanent: all 12 digits
        return None
    if value[0] not in _UPN_VALUES or value[0] in _DIGITS:
        return None
    total = sum(_UPN_VALUES[c] * w for c, w in zip(value[1:], range(2, 14), strict=True))
    return value if UPN_CHECK_LETTERS[total % 23] == value[0] else None


def _la_child_id(raw: object) -> str | None:
    value = re.sub(r"\s", "", _text(raw)).upper()
    return value if len(value) >= 4 and re.fullmatch(r"[A-Z0-9/_-]{4,20}", value) else None


def _none_if_empty(value: str) -> str | None:
    return value or None


def _given_features(given_raw: str, middle_raw: str) -> tuple[object, ...]:
    """first_name, first_name_key, first_name_canon, first_name_sx, given_tokens, middle_names."""
    given = normalise_name(given_raw).split()
    middle = normalise_name(middle_raw).split()
    first = given[0] if given else ""
    canon = canonical_names(first)
    tokens = sorted(set(given + middle))
    return (
        _none_if_empty(first),
        canon[0] if canon else None,
        list(canon) or None,
        _none_if_empty(soundex(first)),
        tokens or None,
        _none_if_empty(" ".join(given[1:] + middle)),
    )


def _family_features(raw: str) -> tuple[object, ...]:
    """family_name, family_name_parts, family_name_sx."""
    family = normalise_name(raw)
    return (
        _none_if_empty(family),
        sorted(set(family.split())) or None,
        _none_if_empty(soundex(family.replace(" ", ""))),
    )


def _dob_features(raw: str) -> tuple[object, ...]:
    """dob, dob_swap (day and month swapped, where that is a different valid date), dob_year."""
    dob = parse_date_of_birth(raw)
    if dob is None:
        return None, None, None
    swapped = None
    if dob.day <= 12 and dob.day != dob.month:
        swapped = date(dob.year, dob.day, dob.month).isoformat()
    return dob.isoformat(), swapped, str(dob.year)


def _address_features(raw: object) -> tuple[object, ...]:
    """address, address_number."""
    address = normalise_address(raw)
    return address or None, address_number(address)


def _upn_set(upn: str | None, former: str | None) -> list[str] | None:
    return sorted({u for u in (upn, former) if u}) or None


def _column(frame: pd.DataFrame, name: str, *, text: bool = False) -> pd.Series:
    """An input column as it is (the per-value functions read it with `_text`), or with
    `text`, as stripped text ('' for blank, null or NaN)."""
    if name not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    column = frame[name]
    if not text:
        return column  # Arrow-backed strings stay in Arrow: only distinct values become str
    column = column.astype(object)
    return column.where(column.notna(), "").astype(str).str.strip()


def _by_value(values: pd.Series, function: Callable[..., object], width: int) -> list[list[object]]:
    """`function` applied once per distinct value (names, dates and postcodes repeat a lot),
    spread back to every row: `width` output columns, each a list aligned with `values`."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    results = [function(u) for u in uniques]
    if width == 1:
        results = [(r,) for r in results]
    columns: list[list[object]] = []
    for i in range(width):
        per_value = np.empty(len(results), dtype=object)
        per_value[:] = [r[i] for r in results]  # type: ignore[index]
        columns.append(list(per_value[codes]))
    return columns


def prepare_records(records: pd.DataFrame) -> pd.DataFrame:
    """One row of linkage features per record, with a dense `unique_id` from 0.

    Records are sorted by (agency, record_id) first; a repeated (agency, record_id) keeps its
    first row only. Missing input columns are treated as blank. Each distinct value (name,
    date, postcode, identifier) is normalised once and spread to every row holding it, so a
    million records cost about as much as their distinct values.
    """
    text = ("agency", "record_id", "given_name", "middle_names")
    frame = pd.DataFrame({c: _column(records, c, text=c in text) for c in RECORD_COLUMNS})
    frame.index = range(len(frame))
    frame = frame.sort_values(["agency", "record_id"], kind="stable")
    frame = frame.drop_duplicates(["agency", "record_id"], keep="first")
    out: dict[str, object] = {
        "unique_id": np.arange(len(frame)),
        "agency": frame["agency"].to_numpy(),
        "record_id": frame["record_id"].to_numpy(),
    }
    given = frame["given_name"] + "\x1f" + frame["middle_names"]
    names = _by_value(given, lambda v: _given_features(*v.split("\x1f", 1)), 6)
    given_columns = (
        "first_name",
        "first_name_key",
        "first_name_canon",
        "first_name_sx",
        "given_tokens",
        "middle_names",
    )
    out.update(zip(given_columns, names, strict=True))
    family = _by_value(frame["family_name"], _family_features, 3)
    out.update(zip(("family_name", "family_name_parts", "family_name_sx"), family, strict=True))
    dob = _by_value(frame["date_of_birth"], _dob_features, 3)
    out.update(zip(("dob", "dob_swap", "dob_year"), dob, strict=True))
    (out["sex"],) = _by_value(frame["sex"], lambda v: _SEX.get(_text(v).lower()), 1)
    postcode = _by_value(frame["postcode"], normalise_postcode, 3)
    out.update(zip(("postcode", "postcode_sector", "postcode_district"), postcode, strict=True))
    address = _by_value(frame["address"], _address_features, 2)
    out.update(zip(("address", "address_number"), address, strict=True))
    (out["nhs_number"],) = _by_value(frame["nhs_number"], _valid_nhs, 1)
    (upn,) = _by_value(frame["upn"], _valid_upn, 1)
    (former,) = _by_value(frame["former_upn"], _valid_upn, 1)
    out["upn"] = upn
    out["upn_set"] = [_upn_set(a, b) for a, b in zip(upn, former, strict=True)]  # type: ignore[arg-type]
    (out["la_child_id"],) = _by_value(frame["la_child_id"], _la_child_id, 1)
    (out["other_id"],) = _by_value(frame["other_id"], _la_child_id, 1)
    return pd.DataFrame(out, columns=list(FEATURE_COLUMNS))

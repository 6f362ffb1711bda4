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
from datetime import date
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa

from joinedup.linkage.distinct import (
    FeatureColumns,
    distinct,
    pair_codes,
    ranks,
    text,
    valid_nhs,
    valid_upn,
)
from joinedup.linkage.identifiers import IDENTITY_FIELDS
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
    "prepare_table",
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


_text = text


# Letters that Unicode does not decompose into a base letter plus accent.
_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i"})
_LIGATURES = {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th"}


@cache
def _ascii_words(raw: str) -> str:
    """Lowercase ASCII words: accents stripped, apostrophes dropped, other punctuation a space."""
    folded = raw  # ASCII is already decomposed: only other text needs folding
    if not raw.isascii():
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


def _input(records: pd.DataFrame, name: str) -> pd.Series:
    if name in records.columns:
        return records[name]
    return pd.Series("", index=records.index, dtype=object)


def _record_order(agency: tuple[np.ndarray, list[str]], record_id: list[str]) -> np.ndarray:
    """Input positions sorted by (agency, record_id) text, stably, a repeat dropped."""
    agency_rank = ranks(agency[1])[agency[0]]
    record_rank = ranks(record_id)
    order = np.lexsort((record_rank, agency_rank))  # stable: a repeat keeps its first row
    a, r = agency_rank[order], record_rank[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (r[1:] != r[:-1])
    return order[first]


def prepare_records(records: pd.DataFrame) -> pd.DataFrame:
    """One row of linkage features per record, with a dense `unique_id` from 0.

    Records are sorted by (agency, record_id) first; a repeated (agency, record_id) keeps its
    first row only. Missing input columns are treated as blank. Each distinct value (name,
    date, postcode, identifier) is normalised once and spread to every row holding it, so a
    million records cost about as much as their distinct values.
    """
    return prepare_table(records)[0]


def prepare_table(records: pd.DataFrame) -> tuple[pd.DataFrame, pa.Table]:
    """`prepare_records`, and the same features as an Arrow table for an engine."""
    agency_codes, agency_values = distinct(_input(records, "agency"))
    agency_text = [_text(v) for v in agency_values]
    _, record_values = distinct(_input(records, "record_id"), all_distinct=True)
    record_text = [_text(v) for v in record_values]
    rows = _record_order((agency_codes, agency_text), record_text)
    out = FeatureColumns(rows)
    out.frame["unique_id"] = np.arange(len(rows))
    out.arrow["unique_id"] = pa.array(out.frame["unique_id"])
    out.add(("agency",), agency_codes, agency_text)
    out.add(("record_id",), np.arange(len(record_text)), record_text)

    given_codes, given_values = distinct(_input(records, "given_name"))
    middle_codes, middle_values = distinct(_input(records, "middle_names"))
    codes, given, middle = pair_codes(given_codes, middle_codes, len(middle_values))
    names = [
        _given_features(given_values[g], middle_values[m])
        for g, m in zip(given.tolist(), middle.tolist(), strict=True)
    ]
    given_columns = (
        "first_name",
        "first_name_key",
        "first_name_canon",
        "first_name_sx",
        "given_tokens",
        "middle_names",
    )
    out.add(given_columns, codes, names)
    out.compute(
        ("family_name", "family_name_parts", "family_name_sx"),
        _input(records, "family_name"),
        _family_features,
    )
    out.compute(("dob", "dob_swap", "dob_year"), _input(records, "date_of_birth"), _dob_features)
    out.compute(("sex",), _input(records, "sex"), lambda v: _SEX.get(_text(v).lower()))
    out.compute(
        ("postcode", "postcode_sector", "postcode_district"),
        _input(records, "postcode"),
        normalise_postcode,
    )
    out.compute(("address", "address_number"), _input(records, "address"), _address_features)
    codes, values = distinct(_input(records, "nhs_number"))
    out.add(("nhs_number",), codes, valid_nhs(values))
    upn_codes, upn_values = distinct(_input(records, "upn"))
    former_codes, former_values = distinct(_input(records, "former_upn"))
    upn, former = valid_upn(upn_values), valid_upn(former_values)
    out.add(("upn",), upn_codes, upn)
    codes, upn_of, former_of = pair_codes(upn_codes, former_codes, len(former_values))
    pairs = zip(upn_of.tolist(), former_of.tolist(), strict=True)
    upn_sets = [_upn_set(upn[u], former[f]) for u, f in pairs]
    out.add(("upn_set",), codes, upn_sets)
    out.compute(("la_child_id",), _input(records, "la_child_id"), _la_child_id)
    out.compute(("other_id",), _input(records, "other_id"), _la_child_id)
    return out.frame_and_table(FEATURE_COLUMNS)

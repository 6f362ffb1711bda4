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

import pandas as pd

from joinedup.linkage.identifiers import (
    IDENTITY_FIELDS,
    InvalidIdentifier,
    check_nhs_number,
    check_upn,
)
from joinedup.linkage.nicknames import canonical_names

__all__ = [
    "FEATURE_COLUMNS",
    "RECORD_COLUMNS",
    "normalise_address",
    "normalise_name",
    "normalise_postcode",
    "parse_date_of_birth",
    "prepare_records",
    "soundex",
]

RECORD_COLUMNS = ("agency", "record_id", *IDENTITY_FIELDS)

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
    "nhs_number",
    "upn",
    "upn_set",
    "la_child_id",
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


def _valid_nhs(raw: object) -> str | None:
    try:
        return check_nhs_number(_text(raw)).value
    except InvalidIdentifier:
        return None


def _valid_upn(raw: object) -> str | None:
    """A valid permanent UPN; temporary UPNs are not evidence of identity."""
    try:
        check = check_upn(_text(raw))
    except InvalidIdentifier:
        return None
    return None if check.is_temporary else check.value


def _la_child_id(raw: object) -> str | None:
    value = re.sub(r"\s", "", _text(raw)).upper()
    return value if len(value) >= 4 and re.fullmatch(r"[A-Z0-9/_-]{4,20}", value) else None


def _none_if_empty(value: str) -> str | None:
    return value or None


def _row_features(row: dict[str, object]) -> dict[str, object]:
    given = normalise_name(row.get("given_name")).split()
    middle = normalise_name(row.get("middle_names")).split()
    family = normalise_name(row.get("family_name"))
    first = given[0] if given else ""
    canon = canonical_names(first)
    dob = parse_date_of_birth(row.get("date_of_birth"))
    swapped = None
    if dob is not None and dob.day <= 12 and dob.day != dob.month:
        swapped = date(dob.year, dob.day, dob.month).isoformat()
    postcode, sector, district = normalise_postcode(row.get("postcode"))
    upn = _valid_upn(row.get("upn"))
    upns = sorted({u for u in (upn, _valid_upn(row.get("former_upn"))) if u})
    tokens = sorted(set(given + middle))
    return {
        "agency": _text(row.get("agency")),
        "record_id": _text(row.get("record_id")),
        "first_name": _none_if_empty(first),
        "first_name_key": canon[0] if canon else None,
        "first_name_canon": list(canon) or None,
        "first_name_sx": _none_if_empty(soundex(first)),
        "given_tokens": tokens or None,
        "middle_names": _none_if_empty(" ".join(given[1:] + middle)),
        "family_name": _none_if_empty(family),
        "family_name_parts": sorted(set(family.split())) or None,
        "family_name_sx": _none_if_empty(soundex(family.replace(" ", ""))),
        "dob": dob.isoformat() if dob else None,
        "dob_swap": swapped,
        "dob_year": str(dob.year) if dob else None,
        "sex": _SEX.get(_text(row.get("sex")).lower()),
        "postcode": postcode,
        "postcode_sector": sector,
        "postcode_district": district,
        "address": _none_if_empty(normalise_address(row.get("address"))),
        "nhs_number": _valid_nhs(row.get("nhs_number")),
        "upn": upn,
        "upn_set": upns or None,
        "la_child_id": _la_child_id(row.get("la_child_id")),
    }


def prepare_records(records: pd.DataFrame) -> pd.DataFrame:
    """One row of linkage features per record, with a dense `unique_id` from 0.

    Records are sorted by (agency, record_id) first; a repeated (agency, record_id) keeps its
    first row only. Missing input columns are treated as blank.
    """
    frame = records.copy()
    for column in RECORD_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame["agency"] = frame["agency"].map(_text)
    frame["record_id"] = frame["record_id"].map(_text)
    frame = frame.sort_values(["agency", "record_id"], kind="stable")
    frame = frame.drop_duplicates(["agency", "record_id"], keep="first")
    rows = [_row_features(r) for r in frame[list(RECORD_COLUMNS)].to_dict("records")]
    features = pd.DataFrame(rows, columns=[c for c in FEATURE_COLUMNS if c != "unique_id"])
    features.insert(0, "unique_id", range(len(features)))
    return features

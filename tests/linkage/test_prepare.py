"""prepare_records at scale: per-distinct-value features, numpy identifier checks, Arrow table,
record order, and the integer group-bys of the household evidence."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from joinedup.linkage.distinct import valid_nhs, valid_upn
from joinedup.linkage.identifiers import (
    InvalidIdentifier,
    check_nhs_number,
    check_upn,
    nhs_check_digit,
    upn_check_letter,
)
from joinedup.linkage.prepare import prepare_records, prepare_table
from joinedup.linkage.siblings import NEARBY_FAMILY, sibling_households


# The identifier rules, with ASCII digits only (linkage never reads other scripts' digits).
def _nhs_reference(raw: object) -> str | None:
    try:
        value = check_nhs_number("" if raw is None else str(raw).strip()).value
    except InvalidIdentifier:
        return None
    return value if value.isascii() else None


def _upn_reference(raw: object) -> str | None:
    try:
        check = check_upn("" if raw is None else str(raw))
    except InvalidIdentifier:
        return None
    return None if check.is_temporary or not check.value.isascii() else check.value


def _mutations(rng: random.Random, value: str) -> list[object]:
    i = rng.randrange(len(value))
    return [
        value,
        value[:i] + rng.choice("0123456789") + value[i + 1 :],  # a keying error
        value[:i] + value[i + 1 :],
        value + "1",
        f" {value[:3]} {value[3:6]}-{value[6:]} ",
        value.lower(),
        value[:-1] + "A",  # a temporary UPN's last letter
        value.translate(str.maketrans("0123456789", "０１２３４５６７８９")),  # full width
    ]


def test_numpy_identifier_checks_agree_with_the_identifier_rules() -> None:
    rng = random.Random(7)
    values: list[object] = [None, "", float("nan"), "1111111111", "0000000000", 9434765919]
    for _ in range(400):
        nine = "".join(rng.choice("0123456789") for _ in range(9))
        check = nhs_check_digit(nine)
        values += _mutations(rng, nine + str(check if check is not None else 0))
        twelve = "".join(rng.choice("0123456789") for _ in range(12))
        values += _mutations(rng, upn_check_letter(twelve) + twelve)
    assert valid_nhs(values) == [_nhs_reference(v) for v in values]
    assert valid_upn(values) == [_upn_reference(v) for v in values]
    assert any(valid_nhs(values)) and any(valid_upn(values))


def _messy_records() -> pd.DataFrame:
    rng = random.Random(3)
    names = ["O'Brien-Smith", "  Zoë ", "Łukasz", "Mr John", "", None, "Mary Ann", 12, "Émile"]
    rows = [
        {
            "agency": rng.choice(["a", " a", "b", None]),
            "record_id": rng.choice([str(i), f" {i % 40}", str(i % 7), None]),
            "given_name": rng.choice(names),
            "middle_names": rng.choice([*names, "Anne"]),
            "family_name": rng.choice(names),
            "date_of_birth": rng.choice(["2010-01-02", "02/01/2010", "2010-13-01", None]),
            "sex": rng.choice(["m", "F", "x", None]),
            "postcode": rng.choice(["ju1 0tn", "12345", "", None]),
            "address": rng.choice(["12 High St", "Apt 27 Rue Dé", None]),
            "nhs_number": rng.choice(["943 476 5919", "9434765918", None]),
            "upn": rng.choice(["A990200318100", "a990200318100", None]),
            "former_upn": rng.choice(["A990200318100", "bad", None]),
            "la_child_id": rng.choice(["LA-123", "x", None]),
        }
        for i in range(600)
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("arrow", [False, True])
def test_the_engine_table_is_the_feature_frame(arrow: bool) -> None:
    records = _messy_records()
    if arrow:
        records = records.astype(str).astype("string[pyarrow]")
    frame, table = prepare_table(records)
    assert table.equals(pa.Table.from_pandas(frame, preserve_index=False))
    assert frame["unique_id"].tolist() == list(range(len(frame)))
    assert prepare_records(records).equals(frame)


def test_records_sort_by_agency_and_record_id_and_a_repeat_keeps_its_first_row() -> None:
    records = pd.DataFrame(
        {
            "agency": ["b", " a", "a", "a", "a", "a"],
            "record_id": ["1", "é", "z", " z", "10", "9"],
            "given_name": ["one", "two", "three", "four", "five", "six"],
        }
    )
    frame = prepare_records(records)
    keys = list(zip(frame["agency"], frame["record_id"], strict=True))
    assert keys == [("a", "10"), ("a", "9"), ("a", "z"), ("a", "é"), ("b", "1")]
    assert frame.loc[frame["record_id"] == "z", "first_name"].item() == "three"


def test_arrow_nulls_read_as_blank() -> None:
    records = pd.DataFrame(
        {"agency": ["a"], "record_id": ["1"], "family_name": [None], "given_name": ["Ann"]},
        dtype="string[pyarrow]",
    )
    row = prepare_records(records).iloc[0]
    assert row["family_name"] is None and row["first_name"] == "ann"


def _household(rows: list[tuple[str, str, str | None, str | None, str]]) -> pd.DataFrame:
    """(agency, first name key, postcode, nhs number, date of birth) per record."""
    frame = pd.DataFrame(
        rows, columns=["agency", "first_name_key", "postcode", "nhs_number", "dob"], dtype=object
    )
    frame["unique_id"] = np.arange(len(frame))
    frame["family_name"] = "smith"
    frame["postcode_district"] = frame["postcode"].str.split().str[0]
    frame["address"] = None
    return frame


def test_household_with_two_differently_named_children_of_one_agency_is_flagged() -> None:
    features = _household(
        [
            ("a", "amy", "JU1 1AA", None, "2015-01-01"),
            ("a", "bea", "JU1 1AA", None, "2015-01-01"),
            ("b", "amy", "JU1 1AA", None, "2015-01-01"),
            ("a", "amy", "JU1 1AA", None, "2016-01-01"),  # another birthday
            ("a", None, "JU1 1AA", None, "2015-01-01"),  # no first name: cannot be flagged
            ("c", "cat", "JU9 9ZZ", "9434765919", "2015-01-01"),  # two NHS numbers
            ("d", "cat", "JU9 9ZZ", "9434765870", "2015-01-01"),
            ("d", "dan", "JU9 9ZZ", None, "2015-01-01"),
        ]
    )
    homes = [True, True, True, False, False, True, True, True]
    assert sibling_households(features, family=("postcode",)).tolist() == homes
    # The surname alone joins the two postcodes into one family with two children.
    assert sibling_households(features).tolist() == [True] * 3 + [False, False] + [True] * 3
    assert sibling_households(features, family=NEARBY_FAMILY).tolist() == homes

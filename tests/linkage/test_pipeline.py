"""Record linkage on small hand-built tables (no database).

The model is trained once, on a synthetic background area, and reused (model_json) for the
hand-built cases, so each case tests the rules and clustering against a realistically trained
model. One test trains from scratch with the cases mixed into the background.

The hand-built cases take the `engine` fixture (tests/conftest.py), so each runs on DuckDB and
on Spark with the same model and must come out the same.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable

import pandas as pd
import pytest

from joinedup.linkage import LinkResult, link_records
from joinedup.linkage.clustering import cluster
from joinedup.linkage.engine import LinkageEngine
from joinedup.linkage.identifiers import nhs_check_digit, upn_check_letter
from joinedup.linkage.nicknames import canonical_names
from joinedup.linkage.prepare import normalise_postcode, parse_date_of_birth, prepare_records

_serial = itertools.count(1)
MakeEngine = Callable[[], LinkageEngine]  # the `engine` fixture: DuckDB, then Spark


def nhs() -> str:
    while True:
        first_nine = f"999{next(_serial) * 7919 % 1_000_000:06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def upn() -> str:
    body = f"990{next(_serial) * 104729 % 10**9:09d}"
    return upn_check_letter(body) + body


def rec(agency: str, record_id: str, given: str, family: str, dob: str, **kw: str) -> dict:
    row = {
        "agency": agency,
        "record_id": record_id,
        "given_name": given,
        "middle_names": "",
        "family_name": family,
        "date_of_birth": dob,
        "sex": "",
        "postcode": "",
        "address": "",
        "nhs_number": "",
        "upn": "",
        "former_upn": "",
        "la_child_id": "",
    }
    row.update(kw)
    return row


def same(result: LinkResult, a: tuple[str, str], b: tuple[str, str]) -> bool:
    ids = result.clusters.set_index(["agency", "record_id"])["cluster_id"]
    return bool(ids[a] == ids[b])


def run(rows: list[dict], trained: str, engine: MakeEngine, **kw: object) -> LinkResult:
    """Link `rows` with the trained model on a fresh engine of the kind under test."""
    return link_records(
        pd.DataFrame(rows),
        model_json=trained,
        engine=engine(),
        **kw,  # type: ignore[arg-type]
    )


HOME = {"postcode": "ZZ1 4AB", "address": "12 Mill Lane, Ashby"}


def test_identical_twins_with_different_first_names_stay_apart(
    trained: str, engine: MakeEngine
) -> None:
    rows = [
        rec("health", "h1", "Oliver", "Smith", "2015-03-04", sex="M", nhs_number=nhs(), **HOME),
        rec("health", "h2", "Harry", "Smith", "2015-03-04", sex="M", nhs_number=nhs(), **HOME),
        rec("school", "s1", "Oliver", "Smith", "2015-03-04", sex="M", upn=upn(), **HOME),
        rec("school", "s2", "Harry", "Smith", "2015-03-04", sex="M", upn=upn(), **HOME),
        rec("police", "p1", "Ollie", "Smith", "04/03/2015", **HOME),
    ]
    result = run(rows, trained, engine)
    assert same(result, ("health", "h1"), ("school", "s1"))
    assert same(result, ("health", "h2"), ("school", "s2"))
    assert same(result, ("police", "p1"), ("health", "h1"))
    assert not same(result, ("health", "h1"), ("health", "h2"))
    assert not same(result, ("school", "s1"), ("school", "s2"))
    guard = result.pairs[result.pairs["decided_by"] == "twin_guard"]
    assert len(guard) >= 2 and (guard["match_probability"] == 0).all()


def test_twins_with_near_identical_names_stay_apart(trained: str, engine: MakeEngine) -> None:
    rows = [
        rec("health", "h1", "Amelia", "Khan", "2016-07-21", sex="F", nhs_number=nhs(), **HOME),
        rec("health", "h2", "Amelie", "Khan", "2016-07-21", sex="F", nhs_number=nhs(), **HOME),
        rec("school", "s1", "Amelia", "Khan", "2016-07-21", sex="F", upn=upn(), **HOME),
        rec("school", "s2", "Amelie", "Khan", "2016-07-21", sex="F", upn=upn(), **HOME),
        rec("police", "p1", "Amelie", "Khan", "2016-07-21", **HOME),
    ]
    result = run(rows, trained, engine)
    assert not same(result, ("health", "h1"), ("health", "h2"))
    assert not same(result, ("school", "s1"), ("school", "s2"))
    assert not same(result, ("health", "h1"), ("school", "s2"))
    assert not same(result, ("police", "p1"), ("health", "h1"))
    assert same(result, ("police", "p1"), ("health", "h2"))


def test_nickname_links(trained: str, engine: MakeEngine) -> None:
    rows = [
        rec("youth", "y1", "Billy", "Jones", "2012-11-02", **HOME),
        rec("health", "h1", "William", "Jones", "2012-11-02", sex="M", **HOME),
    ]
    result = run(rows, trained, engine)
    assert same(result, ("youth", "y1"), ("health", "h1"))


def test_surname_change_with_same_nhs_number_links(trained: str, engine: MakeEngine) -> None:
    number = nhs()
    rows = [
        rec("health", "h1", "Chloe", "Brown", "2013-05-09", sex="F", nhs_number=number),
        rec("social-care", "c1", "Chloe", "Okoro", "2013-05-09", sex="F", nhs_number=number),
    ]
    result = run(rows, trained, engine)
    assert same(result, ("health", "h1"), ("social-care", "c1"))
    assert set(result.pairs["decided_by"]) == {"identifier"}


def test_day_month_swap_links(trained: str, engine: MakeEngine) -> None:
    rows = [
        rec("health", "h1", "Ruby", "Patel", "2014-02-10", sex="F", **HOME),
        rec("school", "s1", "Ruby", "Patel", "2014-10-02", sex="F", **HOME),
    ]
    assert same(run(rows, trained, engine), ("health", "h1"), ("school", "s1"))


def test_house_move_with_same_upn_links(trained: str, engine: MakeEngine) -> None:
    number = upn()
    rows = [
        rec("school-a", "1", "Noah", "Evans", "2011-01-30", upn=number, postcode="ZZ9 9ZZ"),
        rec("school-b", "2", "Noah", "Evans", "2011-01-30", upn=number, **HOME),
    ]
    assert same(run(rows, trained, engine), ("school-a", "1"), ("school-b", "2"))


def test_shared_nhs_number_with_contradicting_dob_and_name_is_not_auto_linked(
    trained: str, engine: MakeEngine
) -> None:
    number = nhs()
    rows = [
        rec("health", "h1", "Grace", "Taylor", "2010-04-01", nhs_number=number, **HOME),
        rec("social-care", "c1", "Mason", "Taylor", "2016-09-17", nhs_number=number, **HOME),
    ]
    result = run(rows, trained, engine)
    assert not same(result, ("health", "h1"), ("social-care", "c1"))
    assert len(result.review) == 1
    assert "contradicted" in result.review.loc[0, "evidence"]


def _chain() -> list[dict]:
    return [
        rec("a", "1", "Jack", "Reid", "2012-06-15", sex="M", **HOME),
        rec("b", "2", "Jack", "Reid", "2012-06-15", **HOME),
        rec("c", "3", "Jack", "Reid", "2012-06-15", sex="M", **HOME),
    ]


def test_reviewed_non_match_splits_a_cluster(trained: str, engine: MakeEngine) -> None:
    assert same(run(_chain(), trained, engine), ("a", "1"), ("c", "3"))
    decisions = pd.DataFrame(
        [{"agency_l": "a", "record_id_l": "1", "agency_r": "c", "record_id_r": "3"}]
    ).assign(decision="non_match")
    result = run(_chain(), trained, engine, decisions=decisions)
    assert not same(result, ("a", "1"), ("c", "3"))
    reviewed = result.pairs[result.pairs["decided_by"] == "review"]
    assert len(reviewed) == 1 and reviewed.iloc[0]["match_probability"] == 0


def test_reviewed_match_joins(trained: str, engine: MakeEngine) -> None:
    rows = [
        rec("a", "1", "Kai", "Lewis", "2009-12-01", postcode="ZZ2 1AA"),
        rec("b", "2", "Kai", "Lewis-Obi", "", postcode="ZZ7 3BB"),
    ]
    assert not same(run(rows, trained, engine), ("a", "1"), ("b", "2"))
    decisions = pd.DataFrame(
        [{"agency_l": "b", "record_id_l": "2", "agency_r": "a", "record_id_r": "1"}]
    ).assign(decision="match")
    assert same(run(rows, trained, engine, decisions=decisions), ("a", "1"), ("b", "2"))


@pytest.mark.parametrize(
    "raw",
    ["", None, float("nan"), "31/02/2014", "2014-13-01", "20141301", "1/1/14", "abc", "0000-00-00"]
    + ["2014/01/01", "  ", "12-03-2014", "99999999", "1800-01-01", "2014-1-1x"],
)
def test_invalid_dates_are_null_never_raise(raw: object) -> None:
    assert parse_date_of_birth(raw) is None


def test_date_formats() -> None:
    expected = parse_date_of_birth("2014-03-07")
    assert expected is not None
    for raw in ("07/03/2014", "7/3/2014", "20140307", " 2014-03-07 "):
        assert parse_date_of_birth(raw) == expected


def test_invalid_dates_in_records_do_not_raise(trained: str, engine: MakeEngine) -> None:
    rows = [rec("a", str(i), "Ava", "Hall", d, **HOME) for i, d in enumerate(["31/02/2014", "x"])]
    result = run(rows, trained, engine)
    assert len(result.clusters) == 2


def test_determinism(background: pd.DataFrame) -> None:
    sample = background.head(600)
    first = link_records(sample)
    second = link_records(sample.sample(frac=1.0, random_state=3))
    key = ["agency", "record_id"]
    a = first.clusters.sort_values(key, ignore_index=True)
    b = second.clusters.sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(a, b)
    # DuckDB sums in parallel, so trained probabilities may differ in the last bits only.
    assert _shape(json.loads(first.model_json)) == _shape(json.loads(second.model_json))
    assert _numbers(json.loads(first.model_json)) == pytest.approx(
        _numbers(json.loads(second.model_json)), rel=1e-9, abs=1e-12
    )


def _shape(tree: object) -> object:
    """A JSON tree with every number replaced by 0."""
    if isinstance(tree, dict):
        return {key: _shape(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [_shape(item) for item in tree]
    if isinstance(tree, int | float) and not isinstance(tree, bool):
        return 0
    return tree


def _numbers(tree: object) -> list[float]:
    """Every number in a JSON tree, in a fixed order."""
    if isinstance(tree, dict):
        return [n for key in sorted(tree) for n in _numbers(tree[key])]
    if isinstance(tree, list):
        return [n for item in tree for n in _numbers(item)]
    if isinstance(tree, bool) or not isinstance(tree, int | float):
        return []
    return [float(tree)]


def test_training_from_scratch_keeps_twins_apart(background: pd.DataFrame) -> None:
    twins = [
        rec("health", "tw1", "Isla", "Moore", "2018-08-08", sex="F", nhs_number=nhs(), **HOME),
        rec("health", "tw2", "Freya", "Moore", "2018-08-08", sex="F", nhs_number=nhs(), **HOME),
        rec("police", "tw3", "Isla", "Moore", "2018-08-08", **HOME),
        rec("youth", "tw4", "Freya", "Moore", "", **HOME),
    ]
    result = link_records(pd.concat([background, pd.DataFrame(twins)], ignore_index=True))
    assert not same(result, ("health", "tw1"), ("health", "tw2"))
    assert same(result, ("health", "tw1"), ("police", "tw3"))
    assert not same(result, ("police", "tw3"), ("youth", "tw4"))
    levels = result.model["comparisons"]["first_name"]
    assert {"label", "m", "u", "match_weight"} <= set(levels[0])
    assert result.thresholds["match_threshold"] == 0.99


def test_cannot_link_holds_through_a_third_record() -> None:
    # 0-1 and 1-2 are strong edges, 0-2 must stay apart: 2 is refused.
    labels, refused = cluster(
        3,
        must_link=[],
        edges=[(0, 1), (1, 2)],
        cannot_link=[(0, 2)],
        nhs=[None, None, None],
        upns=[None, None, None],
    )
    assert labels[0] == labels[1] != labels[2]
    assert len(refused) == 1


def test_two_nhs_numbers_never_share_a_cluster() -> None:
    labels, _ = cluster(
        3,
        must_link=[],
        edges=[(0, 2), (1, 2)],
        cannot_link=[],
        nhs=["a", "b", None],
        upns=[None] * 3,
    )
    assert labels[0] != labels[1]


def test_prepare_normalises() -> None:
    frame = prepare_records(
        pd.DataFrame(
            [
                rec(
                    "a",
                    "1",
                    "  Zoë ",
                    "O'Brien-Smith",
                    "2014-01-05",
                    postcode="ju27pr",
                    sex="Female",
                )
                | {"nhs_number": "999 123 4561", "upn": "A990200318100X"}
            ]
        )
    )
    row = frame.iloc[0]
    assert row["first_name"] == "zoe"
    assert row["family_name"] == "obrien smith"
    assert list(row["family_name_parts"]) == ["obrien", "smith"]
    assert row["postcode"] == "JU2 7PR" and row["postcode_district"] == "JU2"
    assert row["sex"] == "F"
    assert row["dob_swap"] == "2014-05-01"
    assert row["upn"] is None  # not a valid UPN
    assert normalise_postcode("") == (None, None, None)


def test_nicknames() -> None:
    assert set(canonical_names("billy")) & set(canonical_names("william"))
    assert set(canonical_names("lizzie")) & set(canonical_names("elizabeth"))
    assert set(canonical_names("alex")) & set(canonical_names("alexandra"))
    assert set(canonical_names("muhammad")) & set(canonical_names("mohammed"))
    assert set(canonical_names("mia")) & set(canonical_names("amelia"))  # and still Maria
    assert set(canonical_names("mia")) & set(canonical_names("maria"))
    assert not set(canonical_names("alexander")) & set(canonical_names("alexandra"))
    assert canonical_names("unlisted") == ("unlisted",)

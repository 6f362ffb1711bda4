"""Levels and settings added for link tasks such as FEBRL4: names given the wrong way round,
an address or postcode keyed with a typo, another identifier with a typo (model evidence,
never decisive), and one-to-one linking of two files each free of duplicates."""

from __future__ import annotations

import pandas as pd
import pytest

from joinedup.linkage import link_records
from joinedup.linkage.levels import LevelScorer
from joinedup.linkage.model import gamma_of
from joinedup.linkage.pipeline import ONE_TO_ONE
from joinedup.linkage.prepare import address_number, prepare_records
from tests.linkage.test_pipeline import HOME, rec, same


def _features(*rows: dict) -> list[dict]:
    return prepare_records(pd.DataFrame(rows)).to_dict("records")  # type: ignore[return-value]


def _gammas(trained: str, left: dict, right: dict) -> dict[str, int]:
    scorer = LevelScorer(trained)
    a, b = _features(left, right)
    return dict(zip(scorer.names, scorer.score(a, b)[0], strict=True))


def test_address_number() -> None:
    assert address_number("92 mcintyre street apt 27 woollahra") == "92"
    assert address_number("flat 3 12 acacia road") == "3"
    assert address_number("mill lane") is None
    assert address_number("") is None


def test_names_the_wrong_way_round_are_their_own_level(trained: str) -> None:
    g = _gammas(
        trained,
        rec("a", "1", "Claudia", "Huxley", "2014-10-20", **HOME),
        rec("b", "1", "Huxley", "Claudia", "2014-10-20", **HOME),
    )
    assert g["first_name"] == gamma_of("first_name", "swapped with family name")
    assert g["family_name"] == gamma_of("family_name", "swapped with first name")


def test_address_and_postcode_typos_are_their_own_levels(trained: str) -> None:
    left = rec(
        "a", "1", "Ruby", "Reid", "2014-06-20", postcode="ZZ1 4AB", address="12 Judkins Street"
    )
    typo = dict(left, record_id="2", address="12 Judkins Stret")
    assert _gammas(trained, left, typo)["location"] == gamma_of(
        "location", "same postcode, similar address"
    )
    moved = dict(typo, postcode="ZZ9 9ZZ")
    assert _gammas(trained, left, moved)["location"] == gamma_of("location", "similar address")
    neighbour = dict(left, record_id="3", address="14 Judkins Street", postcode="ZZ9 9ZZ")
    assert _gammas(trained, left, neighbour)["location"] != gamma_of("location", "similar address")
    postcode = dict(left, record_id="4", postcode="ZZ1 4AD", address="")
    assert _gammas(trained, left, postcode)["location"] == gamma_of(
        "location", "postcode one character different"
    )


def test_other_identifier_levels_and_never_decisive(trained: str) -> None:
    left = rec("a", "1", "Oliver", "Smith", "2015-03-04", other_id="5304218", **HOME)
    assert _gammas(trained, left, dict(left, record_id="2", other_id="5304219"))[
        "other_id"
    ] == gamma_of("other_id", "one character different")
    # Two plainly different children sharing the other identifier are not linked by it.
    rows = [left, rec("b", "1", "Amira", "Khan", "2011-09-30", other_id="5304218")]
    result = link_records(pd.DataFrame(rows), model_json=trained)
    assert not same(result, ("a", "1"), ("b", "1"))
    assert "identifier" not in set(result.pairs["decided_by"])


def test_one_to_one_links_each_record_to_one_record_of_the_other_file(trained: str) -> None:
    rows = [
        rec("a", "1", "Oliver", "Smith", "2015-03-04", sex="M", **HOME),
        rec("b", "1", "Oliver", "Smith", "2015-03-04", sex="M", **HOME),
        rec("b", "2", "Oliver", "Smith", "2015-03-05", sex="M", **HOME),
    ]
    frame = pd.DataFrame(rows)
    plain = link_records(frame, model_json=trained, link_type="link_only")
    assert same(plain, ("b", "1"), ("b", "2"))  # both join a1: one child, three records
    one = link_records(frame, model_json=trained, link_type="link_only", one_to_one=True)
    assert one.thresholds["one_to_one"] is True
    assert same(one, ("a", "1"), ("b", "1"))  # the stronger link is kept
    assert not same(one, ("a", "1"), ("b", "2"))
    queued = one.review[(one.review["record_id_r"] == "2") | (one.review["record_id_l"] == "2")]
    assert len(queued) == 1
    assert queued["evidence"].iloc[0].startswith(f"not linked: {ONE_TO_ONE}")


def test_one_to_one_needs_link_only(trained: str) -> None:
    rows = [rec("a", "1", "Oliver", "Smith", "2015-03-04"), rec("b", "1", "Ollie", "Smith", "")]
    with pytest.raises(ValueError, match="one_to_one needs link_type='link_only'"):
        link_records(pd.DataFrame(rows), model_json=trained, one_to_one=True)

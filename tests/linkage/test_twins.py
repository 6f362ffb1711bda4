"""The twin guard's household evidence, ambiguity between twins, link-only mode and the fast
clustering, on small hand-built tables scored with the shared trained model (conftest.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from joinedup.linkage import LinkResult, link_records
from joinedup.linkage.clustering import ambiguous_edges, cluster, cluster_arrays
from tests.linkage.test_pipeline import HOME, _chain, nhs, rec, same, upn


def run(rows: list[dict], trained: str, **kw: object) -> LinkResult:
    """Link `rows` with the shared trained model on DuckDB (the default engine)."""
    return link_records(pd.DataFrame(rows), model_json=trained, **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------ twins, siblings and link modes


def test_record_between_twins_goes_to_review_not_into_either(trained: str) -> None:
    # Hassan and Hussain are twins (same DOB, home, sex). A police record "Hussan" with a
    # wrong year is as close to one as to the other: it must not join either twin's cluster
    # by the order edges happen to come in, and it must not join the twins through itself.
    rows = [
        rec("health", "h1", "Hassan", "Hodgson", "2015-10-24", sex="M", nhs_number=nhs(), **HOME),
        rec("health", "h2", "Hussain", "Hodgson", "2015-10-24", sex="M", nhs_number=nhs(), **HOME),
        rec("school", "s1", "Hassan", "Hodgson", "2015-10-24", sex="M", upn=upn(), **HOME),
        rec("school", "s2", "Hussain", "Hodgson", "2015-10-24", sex="M", upn=upn(), **HOME),
        rec("police", "p1", "Hussan", "Hodgson", "2010-10-24", **HOME),
    ]
    result = run(rows, trained)
    assert same(result, ("health", "h1"), ("school", "s1"))
    assert same(result, ("health", "h2"), ("school", "s2"))
    assert not same(result, ("health", "h1"), ("health", "h2"))
    assert not same(result, ("police", "p1"), ("health", "h1"))
    assert not same(result, ("police", "p1"), ("health", "h2"))
    queued = result.review[
        (result.review["record_id_l"] == "p1") | (result.review["record_id_r"] == "p1")
    ]
    assert len(queued) >= 2
    assert queued["evidence"].str.contains("kept apart").all()


def test_twins_never_merge_through_a_third_record(trained: str) -> None:
    # A record with no first name matches both twins strongly; the twins must stay apart.
    rows = [
        rec("health", "h1", "Oliver", "Smith", "2015-03-04", sex="M", **HOME),
        rec("health", "h2", "Harry", "Smith", "2015-03-04", sex="M", **HOME),
        rec("police", "p1", "", "Smith", "2015-03-04", sex="M", **HOME),
    ]
    result = run(rows, trained)
    assert not same(result, ("health", "h1"), ("health", "h2"))


def test_variant_first_name_still_links_beside_a_twin(trained: str) -> None:
    rows = [
        rec("health", "h1", "William", "Green", "2014-06-01", sex="M", nhs_number=nhs(), **HOME),
        rec("health", "h2", "Jack", "Green", "2014-06-01", sex="M", nhs_number=nhs(), **HOME),
        rec("youth", "y1", "Billy", "Green", "2014-06-01", **HOME),
        rec("school", "s1", "Mohammed", "Ali", "2013-02-02", sex="M", **HOME),
        rec("youth", "y2", "Muhammad", "Ali", "2013-02-02", **HOME),
    ]
    result = run(rows, trained)
    assert same(result, ("youth", "y1"), ("health", "h1"))
    assert not same(result, ("youth", "y1"), ("health", "h2"))
    assert same(result, ("school", "s1"), ("youth", "y2"))


ELSEWHERE = {"postcode": "ZZ7 2QP", "address": "3 Hill Road, Barton"}


def test_near_named_twins_stay_apart_beside_a_namesake_of_another_family(trained: str) -> None:
    # Twins Leo and Leon (one school holds both). Reece Fletcher, born the same day to another
    # family across the area, is kept apart from both - which says nothing about whether
    # Leo and Leon are one child: the near names still go to review, never into one child.
    rows = [
        rec("health", "h1", "Leo", "Fletcher", "2018-03-12", sex="M", nhs_number=nhs(), **HOME),
        rec("school", "s1", "Leo", "Fletcher", "2018-03-12", sex="M", **HOME),
        rec("school", "s2", "Leon", "Fletcher", "2018-03-12", sex="M", **HOME),
        rec(
            "health",
            "h9",
            "Reece",
            "Fletcher",
            "2018-03-12",
            sex="M",
            nhs_number=nhs(),
            **ELSEWHERE,
        ),
    ]
    result = run(rows, trained)
    assert same(result, ("health", "h1"), ("school", "s1"))
    assert not same(result, ("school", "s1"), ("school", "s2"))
    assert not same(result, ("health", "h1"), ("school", "s2"))
    assert not same(result, ("health", "h9"), ("health", "h1"))
    queued = result.review[
        (result.review["record_id_l"] == "s2") | (result.review["record_id_r"] == "s2")
    ]
    assert queued["evidence"].str.contains("first names only nearly agree").any()


def test_nickname_links_beside_a_same_birthday_namesake_in_another_district(
    trained: str,
) -> None:
    # Health holds William Green and, across the county, an unrelated Jack Green born the same
    # day: that is no same-birthday sibling in William's home, so Billy is William.
    rows = [
        rec("health", "h1", "William", "Green", "2014-06-01", sex="M", nhs_number=nhs(), **HOME),
        rec("health", "h9", "Jack", "Green", "2014-06-01", sex="M", nhs_number=nhs(), **ELSEWHERE),
        rec("youth", "y1", "Billy", "Green", "2014-06-01", **HOME),
    ]
    result = run(rows, trained)
    assert same(result, ("youth", "y1"), ("health", "h1"))
    assert not same(result, ("health", "h9"), ("health", "h1"))


def test_sibling_households_count_a_surname_only_nearby() -> None:
    from joinedup.linkage.prepare import prepare_records
    from joinedup.linkage.siblings import NEARBY_FAMILY, sibling_households

    rows = [
        rec("health", "h1", "William", "Green", "2014-06-01", **HOME),
        rec("health", "h9", "Jack", "Green", "2014-06-01", **ELSEWHERE),
        rec("school", "s1", "Amy", "Khan", "2015-01-02", postcode="ZZ1 4AB"),
        rec("school", "s2", "Zara", "Khan", "2015-01-02", postcode="ZZ1 9XX"),
    ]
    features = prepare_records(pd.DataFrame(rows))
    assert sibling_households(features).tolist() == [True, True, True, True]
    # Green: one surname in two districts, two families. Khan: one district, one family
    # (a move between two postcodes of a district keeps the family together).
    assert sibling_households(features, family=NEARBY_FAMILY).tolist() == [
        False,
        False,
        True,
        True,
    ]


def _replaced_first_name() -> list[dict]:
    """One child, two agencies; the second wrote a wholly different first name."""
    home = {"postcode": "ZZ3 7QT", "address": "4 Orchard Way, Ashby"}
    return [
        rec("health", "h1", "Daniel", "Marsh", "2012-09-14", sex="M", **home),
        rec("school", "s1", "Robert", "Marsh", "2012-09-14", sex="M", **home),
    ]


def test_replaced_first_name_links_when_the_household_shows_no_sibling(trained: str) -> None:
    result = run(_replaced_first_name(), trained)
    assert same(result, ("health", "h1"), ("school", "s1"))
    pair = result.pairs.iloc[0]
    assert pair["decided_by"] == "model" and "no same-birthday sibling" in pair["evidence"]


def test_replaced_first_name_with_nothing_else_to_weigh_goes_to_review(trained: str) -> None:
    # Health holds Andre; the police hold his twin Tyrone, with no sex. Name, date of birth
    # and home are all there is: the home and birthday must not outweigh the first name.
    rows = _replaced_first_name()
    rows[1]["sex"] = ""
    result = run(rows, trained)
    assert not same(result, ("health", "h1"), ("school", "s1"))
    assert len(result.review) == 1
    assert "neither sex nor another identifier" in result.review.loc[0, "evidence"]
    assert result.review.loc[0, "decided_by"] == "model"  # not guarded: a person decides


def test_replaced_first_name_is_guarded_when_an_agency_holds_both_children(trained: str) -> None:
    home = {"postcode": "ZZ3 7QT", "address": "4 Orchard Way, Ashby"}
    rows = _replaced_first_name() + [
        rec("early-help", "e1", "Daniel", "Marsh", "2012-09-14", sex="M", **home),
        rec("early-help", "e2", "Robert", "Marsh", "2012-09-14", sex="M", **home),
    ]
    result = run(rows, trained)
    assert not same(result, ("health", "h1"), ("school", "s1"))
    assert not same(result, ("early-help", "e1"), ("early-help", "e2"))
    assert same(result, ("health", "h1"), ("early-help", "e1"))
    assert same(result, ("school", "s1"), ("early-help", "e2"))


def test_replaced_first_name_with_different_sex_is_guarded(trained: str) -> None:
    rows = _replaced_first_name()
    rows[0]["sex"], rows[1]["sex"] = "M", "F"
    assert not same(run(rows, trained), ("health", "h1"), ("school", "s1"))


def test_replaced_first_name_guarded_without_household_evidence_in_realtime_rules() -> None:
    # apply_rules without `siblings` (as real-time matching calls it) guards every such pair.
    from joinedup.linkage.model import COMPARISONS, gamma_of
    from joinedup.linkage.rules import apply_rules

    gammas = {f"gamma_{c}": [gamma_of(c, COMPARISONS[c][0])] for c in COMPARISONS}
    gammas["gamma_first_name"] = [gamma_of("first_name", "different")]
    for c in ("nhs_number", "upn_set", "la_child_id", "middle_names", "other_id"):
        gammas[f"gamma_{c}"] = [-1]
    pairs = pd.DataFrame(
        {"unique_id_l": [0], "unique_id_r": [1], "match_weight": [20.0]}
        | {"match_probability": [0.99999]}
        | gammas
    )
    parameters = {"comparisons": {c: [] for c in COMPARISONS}, "prior_match_weight": -10.0}
    for c in COMPARISONS:
        parameters["comparisons"][c] = [{"match_weight": 0.0} for _ in COMPARISONS[c]]
    kw = {"match_threshold": 0.99, "review_band": (0.5, 0.99)}
    guarded = apply_rules(pairs, parameters, **kw)  # type: ignore[arg-type]
    assert guarded.loc[0, "decided_by"] == "twin_guard" and not guarded.loc[0, "accept"]
    released = apply_rules(pairs, parameters, siblings=np.array([False]), **kw)  # type: ignore[arg-type]
    assert released.loc[0, "decided_by"] == "model" and released.loc[0, "accept"]
    # The same pair with no sex on one side: nothing beyond the household fields, review.
    pairs["gamma_sex"] = [-1]
    unweighed = apply_rules(pairs, parameters, siblings=np.array([False]), **kw)  # type: ignore[arg-type]
    assert not unweighed.loc[0, "accept"] and not unweighed.loc[0, "cannot_link"]
    assert 0.5 <= unweighed.loc[0, "match_probability"] < 0.99
    # ... unless another identifier is held by both (the model weighs it).
    pairs["gamma_other_id"] = [gamma_of("other_id", "different")]
    weighed = apply_rules(pairs, parameters, siblings=np.array([False]), **kw)  # type: ignore[arg-type]
    assert weighed.loc[0, "accept"]


def test_link_only_never_links_within_one_agency(trained: str) -> None:
    rows = [
        rec("a", "1", "Jack", "Reid", "2012-06-15", sex="M", **HOME),
        rec("a", "2", "Jack", "Reid", "2012-06-15", sex="M", **HOME),
        rec("b", "3", "Jack", "Reid", "2012-06-15", sex="M", **HOME),
    ]
    default = run(rows, trained)
    assert same(default, ("a", "1"), ("a", "2"))
    linked = run(rows, trained, link_type="link_only")
    assert linked.thresholds["link_type"] == "link_only"
    within = linked.pairs[linked.pairs["agency_l"] == linked.pairs["agency_r"]]
    assert within.empty
    assert same(linked, ("a", "1"), ("b", "3")) or same(linked, ("a", "2"), ("b", "3"))


def test_unknown_link_type_is_a_clear_error(trained: str) -> None:
    with pytest.raises(ValueError, match="link_type must be one of"):
        run(_chain(), trained, link_type="dedupe")


def test_fast_clustering_matches_greedy_clustering() -> None:
    rng = np.random.default_rng(7)
    for _ in range(30):
        n = 40
        edges = [tuple(map(int, e)) for e in rng.integers(0, n, size=(60, 2)) if e[0] != e[1]]
        cannot = [tuple(map(int, e)) for e in rng.integers(0, n, size=(6, 2)) if e[0] != e[1]]
        must = [tuple(map(int, e)) for e in rng.integers(0, n, size=(2, 2)) if e[0] != e[1]]
        nhs_numbers = [str(v) if v < 3 else None for v in rng.integers(0, 12, size=n)]
        upns = [[str(v)] if v < 3 else None for v in rng.integers(0, 12, size=n)]
        expected, refused = cluster(
            n, must_link=must, edges=edges, cannot_link=cannot, nhs=nhs_numbers, upns=upns
        )

        def arrays(pairs: list) -> tuple[np.ndarray, np.ndarray]:
            return np.array([a for a, _ in pairs], dtype=np.int64), np.array(
                [b for _, b in pairs], dtype=np.int64
            )

        labels, fast_refused = cluster_arrays(
            n,
            must_link=arrays(must),
            edges=arrays(edges),
            cannot_link=arrays(cannot),
            nhs=np.array(nhs_numbers, dtype=object),
            upns=upns,
        )
        assert list(labels) == expected
        as_tuples = [(r.left, r.right, r.reason) for r in refused]
        assert sorted((r.left, r.right, r.reason) for r in fast_refused) == sorted(as_tuples)


def test_ambiguous_edges_only_where_weights_are_close() -> None:
    edges = pd.DataFrame(
        {
            "unique_id_l": [0, 0, 3, 3],
            "unique_id_r": [1, 2, 4, 5],
            "match_weight": [20, 20.5, 28, 20],
        }
    )
    apart = pd.DataFrame({"unique_id_l": [1, 4], "unique_id_r": [2, 5]})
    flags = ambiguous_edges(edges, apart, margin=1.0)
    assert flags.tolist() == [True, True, False, False]


def test_near_name_in_a_household_of_near_named_twins_goes_to_review(trained: str) -> None:
    # Twins Leo and Leon (two NHS numbers: two children). A police "Leno" is a typo of
    # either: it is not linked to one of them by edge order, it is queued for review.
    rows = [
        rec("health", "h1", "Leo", "Hunt", "2010-11-04", sex="M", nhs_number=nhs(), **HOME),
        rec("health", "h2", "Leon", "Hunt", "2010-11-04", sex="M", nhs_number=nhs(), **HOME),
        rec("police", "p1", "Leno", "Hunt", "2010-11-04", **HOME),
        rec("police", "p2", "Leo", "Hunt", "2010-11-04", **HOME),
    ]
    result = run(rows, trained)
    assert not same(result, ("health", "h1"), ("health", "h2"))
    assert not same(result, ("police", "p1"), ("health", "h1"))
    assert not same(result, ("police", "p1"), ("health", "h2"))
    assert same(result, ("police", "p2"), ("health", "h1"))  # an exact name still links
    queued = result.review[
        result.review["record_id_l"].eq("p1") | result.review["record_id_r"].eq("p1")
    ]
    assert queued["evidence"].str.contains("same-birthday siblings").any()

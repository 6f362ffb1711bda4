"""The in-memory candidate index gives exactly what Splink gives, only faster.

Consistency with the trained Splink model is the point: every comparison level scored in
Python (`linkage.levels`) must equal Splink's comparison vector and match weight for the same
pair; the pandas-free rules (`linkage.fast_rules`) must equal `rules.apply_rules`; the query
features must equal `prepare_records`; and a whole match must equal `realtime.match_one`
(stock Splink `predict_between`). Change a level in model.py, a rule in rules.py or a feature
in prepare.py without changing the real-time copy, and these tests fail.
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest

from joinedup.demo.generator import generate_area
from joinedup.linkage import link_records
from joinedup.linkage import model as linkage_model
from joinedup.linkage.candidate_index import CandidateIndex
from joinedup.linkage.engine import DuckDBEngine
from joinedup.linkage.fast_rules import PairRules
from joinedup.linkage.identifiers import IDENTITY_FIELDS
from joinedup.linkage.levels import LevelScorer, UnknownLevel
from joinedup.linkage.model import COMPARISONS, gamma_of
from joinedup.linkage.prepare import prepare_records
from joinedup.linkage.realtime import (
    PERSON_FIELDS,
    match_one,
    prepare_query,
    rank_children,
    realtime_blocking_rules,
)
from joinedup.linkage.rules import apply_rules
from joinedup.linkage.thresholds import MATCH_THRESHOLD, REVIEW_BAND

FIELDS = [*IDENTITY_FIELDS, "other_id"]


@dataclass
class Area:
    records: pd.DataFrame  # link_records input plus person (the truth)
    index: pd.DataFrame  # input columns plus cluster_id (the batch link's children)
    model_json: str
    people: dict[str, Any]
    child_of: dict[str, str]  # person -> the cluster (child) of their first record


def _extras(records: pd.DataFrame) -> pd.DataFrame:
    """Copies of a few records with the rarer levels' conditions: an initial for a first name,
    no names, no postcode or address, an unknown sex, nicknames and accents, an address typo,
    and another identifier the same, one character different or different."""
    rows = []
    for i, r in enumerate(records.head(12).to_dict("records")):
        r = dict(r, agency="extra", record_id=f"x{i}")
        r["other_id"] = (r["other_id"], r["other_id"] + "Z", f"OTHER{i:04d}")[i % 3]
        if i % 4 == 0:
            r["given_name"] = r["given_name"][:1]
            r["address"] = f"{r['address']}e"  # a typo: same postcode, similar address
        elif i % 4 == 1:
            r.update(given_name="", family_name="")
        elif i % 4 == 2:
            r.update(postcode="", address="", sex="")
        else:
            r.update(given_name="Élodie-Anne", family_name=f"Mrs O'{r['family_name']}")
        rows.append(r)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def area() -> Area:
    generated = generate_area(children=400, seed=9, schools=3)
    records = pd.DataFrame(
        [
            {
                "agency": r.agency_code,
                "record_id": r.record_id,
                **{c: getattr(r, c) for c in IDENTITY_FIELDS},
                "person": r.person_id,
            }
            for r in generated.records
        ]
    )
    records["other_id"] = ""
    records.loc[:11, "other_id"] = [f"ID{i:06d}" for i in range(12)]
    records = pd.concat([records, _extras(records)], ignore_index=True)
    result = link_records(records[["agency", "record_id", *FIELDS]])
    linked = records.merge(result.clusters, on=["agency", "record_id"])
    child_of = dict(zip(linked["person"][::-1], linked["cluster_id"][::-1], strict=True))
    people = {p.person_id: p for p in generated.people}
    return Area(records, linked.drop(columns=["person"]), result.model_json, people, child_of)


@pytest.fixture(scope="module")
def built(area: Area) -> CandidateIndex:
    return CandidateIndex(area.index, model_json=area.model_json)


# ---------------------------------------------------------------- levels equal Splink's


def _splink_pairs(area: Area) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Splink's scored pairs over the area: the batch blocking rules plus same birth year,
    so unlike pairs (every else level) are scored too."""
    features = prepare_records(area.records[["agency", "record_id", *FIELDS]])
    settings = json.loads(area.model_json)
    settings["blocking_rules_to_generate_predictions"] = [
        *settings["blocking_rules_to_generate_predictions"],
        {"blocking_rule": "l.dob_year = r.dob_year", "sql_dialect": "duckdb"},
    ]
    engine = DuckDBEngine()
    try:
        linker = linkage_model.load_linker(engine.register(features), settings)
        pairs = engine.to_pandas(linker.inference.predict())
    finally:
        engine.close()
    return features, pairs


def _sample(pairs: pd.DataFrame, per_level: int = 30) -> pd.DataFrame:
    """Up to `per_level` pairs for every (comparison, level) Splink produced: a few hundred."""
    chosen: set[int] = set()
    for name in COMPARISONS:
        for _, group in pairs.groupby(f"gamma_{name}"):
            chosen.update(group.sample(min(per_level, len(group)), random_state=1).index)
    return pairs.loc[sorted(chosen)]


def test_each_level_and_weight_equals_splinks_predict(area: Area, built: CandidateIndex) -> None:
    features, pairs = _splink_pairs(area)
    sample = _sample(pairs)
    scorer = LevelScorer(area.model_json)
    assert scorer.names == tuple(COMPARISONS)
    records = {i: {c: features.at[i, c] for c in features.columns} for i in range(len(features))}
    for key, value in list(records.items()):
        records[key] = {
            c: tuple(v) if isinstance(v, list | np.ndarray) else v for c, v in value.items()
        }
    seen = set()
    memos: dict[int, list[dict]] = {}
    for row in sample.itertuples(index=False):
        left, right = records[row.unique_id_l], records[row.unique_id_r]
        gammas, weight = scorer.score(left, right)
        expected = [int(getattr(row, f"gamma_{c}")) for c in scorer.names]
        assert gammas == expected, (left, right)
        assert weight == pytest.approx(row.match_weight, abs=1e-6)
        # The other way round too: the query may sit on either side.
        assert scorer.score(right, left)[0] == expected
        seen.update(zip(scorer.names, expected, strict=True))
        # The remembering path used per query gives the same (one memo per query record).
        memo = memos.setdefault(row.unique_id_r, scorer.new_memo())
        assert scorer.score_against(left, right, memo) == (gammas, weight)
    # Every level of every comparison was checked at least once, null levels included.
    every = {(c, g) for c, labels in COMPARISONS.items() for g in range(-1, len(labels))}
    assert every <= seen, f"levels never checked: {sorted(every - seen)}"
    assert len(sample) >= 300


def test_a_level_changed_in_the_model_is_refused(area: Area) -> None:
    model = json.loads(area.model_json)
    level = model["comparisons"][0]["comparison_levels"][3]
    level["sql_condition"] = level["sql_condition"].replace("0.92", "0.9")
    with pytest.raises(UnknownLevel, match="first_name level 'close spelling'"):
        LevelScorer(model)
    with pytest.raises(UnknownLevel, match="no Python implementation"):
        CandidateIndex(area.index.head(5), model_json=json.dumps(model))


# ---------------------------------------------------------------- rules equal apply_rules


def test_pair_rules_equal_apply_rules_for_every_level_combination(area: Area) -> None:
    read = ["first_name", "family_name", "dob", "sex", "location", *linkage_model.IDENTIFIERS]
    values = [range(-1, len(COMPARISONS[c])) for c in read]
    combos = pd.DataFrame(list(itertools.product(*values)), columns=[f"gamma_{c}" for c in read])
    for c in COMPARISONS:
        if c not in read:
            combos[f"gamma_{c}"] = 0
    rng = np.random.default_rng(3)
    combos["match_weight"] = rng.uniform(-30, 40, len(combos))
    combos["match_probability"] = 1 / (1 + 2.0 ** -combos["match_weight"])
    combos["unique_id_l"], combos["unique_id_r"] = np.arange(len(combos)), len(combos)
    parameters = linkage_model.model_parameters(area.model_json)
    expected = apply_rules(
        combos, parameters, match_threshold=MATCH_THRESHOLD, review_band=REVIEW_BAND
    )
    rules = PairRules(area.model_json)
    names = [f"gamma_{c}" for c in COMPARISONS]
    for i, row in enumerate(combos[[*names, "match_weight", "match_probability"]].itertuples()):
        gamma = {c: int(getattr(row, f"gamma_{c}")) for c in COMPARISONS}
        got = rules.decide(gamma, row.match_weight, row.match_probability)
        p = float(expected.at[i, "match_probability"])
        by = str(expected.at[i, "decided_by"])
        if by == "identifier" and p < 1.0:
            by = "identifier_contradicted"
        assert (got.decided_by, got.probability) == (by, pytest.approx(p, abs=1e-12)), gamma


# ---------------------------------------------------------------- query features


def test_query_features_equal_prepare_records(area: Area) -> None:
    odd = [
        {
            "given_name": " Mr  Zoë-Jane ",
            "middle_names": "Ann  marie",
            "family_name": "O'Brien-Smith",
        },
        {
            "date_of_birth": "04/03/2015",
            "sex": "girl",
            "postcode": "ju10tn",
            "address": "1 High St",
        },
        {"date_of_birth": "20150304", "sex": "2", "postcode": "75001", "la_child_id": " ab 12 34"},
        {"date_of_birth": "2015-02-30", "sex": "x", "nhs_number": "943 476 5919", "upn": "bad"},
        {"given_name": "Łukasz", "family_name": "Þórsdóttir", "date_of_birth": "1899-01-01"},
        {},
    ]
    people = [{c: r[c] for c in PERSON_FIELDS} for r in area.records.head(300).to_dict("records")]
    for person in [*people, *odd]:
        row = {c: person.get(c) for c in PERSON_FIELDS} | {
            "agency": "__query__",
            "record_id": "query",
        }
        expected = prepare_records(pd.DataFrame([row])).iloc[0].to_dict()
        expected.pop("unique_id")
        expected = {
            k: tuple(v) if isinstance(v, list | np.ndarray) else v for k, v in expected.items()
        }
        assert prepare_query(person) == expected, person


def test_an_unknown_field_is_refused(built: CandidateIndex) -> None:
    with pytest.raises(ValueError, match="unknown fields: shoe_size"):
        built.match({"given_name": "Ann", "shoe_size": "4"})


# ---------------------------------------------------------------- whole matches equal Splink's


def _queries(area: Area, n: int) -> list[dict[str, str]]:
    rng = random.Random(4)
    out = []
    for r in area.records.sample(n, random_state=4).to_dict("records"):
        q = {c: str(r[c] or "") for c in PERSON_FIELDS}
        roll = rng.random()
        if roll < 0.3 and len(q["given_name"]) > 3:
            name = q["given_name"]
            q["given_name"] = name[0] + name[2] + name[1] + name[3:]
        elif roll < 0.5:
            q["postcode"] = ""
        if rng.random() < 0.6:
            q["nhs_number"] = q["upn"] = ""
        out.append({k: v for k, v in q.items() if v})
    return [*out, {"given_name": "Nobody", "family_name": "Atall", "date_of_birth": "2001-01-01"}]


def test_matches_equal_splinks_predict_between(area: Area, built: CandidateIndex) -> None:
    """One `predict_between` for all the queries (the reference), then the same ranking as
    `match_one`; the index must offer the same children, probabilities and evidence, and
    its blocking keys must find every record Splink's real-time blocking rules find."""
    queries = _queries(area, 40)
    features = prepare_records(area.index.drop(columns=["cluster_id"]))
    size = len(features)
    rows = [
        {c: q.get(c) for c in PERSON_FIELDS} | {"agency": "q", "record_id": f"{i:03d}"}
        for i, q in enumerate(queries)
    ]
    right = prepare_records(pd.DataFrame(rows))
    right["unique_id"] = right["unique_id"] + size
    engine = DuckDBEngine()
    try:
        left_sdf = engine.register(features)
        linker = linkage_model.load_linker(left_sdf, area.model_json)
        scored = engine.to_pandas(
            linker.inference.predict_between(
                left_sdf,
                engine.register(right),
                blocking_rules_to_generate_predictions=realtime_blocking_rules(),
                warning_mode="never",
            )
        )
    finally:
        engine.close()
    ids_l, ids_r = scored["unique_id_l"].to_numpy(), scored["unique_id_r"].to_numpy()
    scored["record"] = np.where(ids_l >= size, ids_r, ids_l)
    scored["query"] = np.where(ids_l >= size, ids_l, ids_r) - size
    cluster_of = dict(
        zip(
            features["unique_id"],
            features.merge(
                area.index[["agency", "record_id", "cluster_id"]], on=["agency", "record_id"]
            )["cluster_id"],
            strict=True,
        )
    )
    scored["cluster_id"] = scored["record"].map(cluster_of)
    offered = extra = 0
    for i, query in enumerate(queries):
        pairs = scored[scored["query"] == i]
        found = set(built.candidates(prepare_query(query)).tolist())
        assert set(pairs["record"].tolist()) <= found, query
        expected = rank_children(pairs.copy(), area.model_json, top=5) if len(pairs) else []
        got = built.rank(prepare_query(query), sorted(set(pairs["record"].tolist())), top=5)
        assert [(c.cluster_id, c.evidence, c.decided_by) for c in got] == [
            (c.cluster_id, c.evidence, c.decided_by) for c in expected
        ], query
        for a, b in zip(got, expected, strict=True):
            assert a.match_probability == pytest.approx(b.match_probability, abs=1e-9)
        offered += bool(got)
        extra += len(found) - len(pairs)
    assert extra > 0  # the index's extra keys do find more than Splink's rules
    assert offered >= 30  # the queries mostly find someone: the comparison is not vacuous


def test_match_one_and_the_index_agree_on_a_known_child(area: Area, built: CandidateIndex) -> None:
    record = area.index.iloc[7].to_dict()
    person = {c: record[c] for c in PERSON_FIELDS if record[c]}
    assert built.match(person)[0].cluster_id == record["cluster_id"]
    reference = match_one(person, area.index, model_json=area.model_json)
    # The index's blocking keys find every record Splink's real-time rules find, and may find
    # more (a sibling at the same address, say): every child Splink offers is offered, in
    # the same order, with the same probability.
    offered = {c.cluster_id: c for c in built.match(person)}
    assert reference
    assert [c.cluster_id for c in reference] == [
        c for c in offered if c in {r.cluster_id for r in reference}
    ]
    for c in reference:
        assert offered[c.cluster_id].match_probability == pytest.approx(c.match_probability)


def test_an_identifier_is_decisive_and_twins_are_kept_apart(
    area: Area, built: CandidateIndex
) -> None:
    with_nhs = area.index[area.index["nhs_number"] != ""].iloc[0]
    found = built.match({"nhs_number": with_nhs["nhs_number"]})
    assert found[0].cluster_id == with_nhs["cluster_id"]
    assert (found[0].match_probability, found[0].decided_by) == (1.0, "identifier")

    people, child_of = area.people, area.child_of
    twins = [
        (p, people[p.twin_of])
        for p in people.values()
        if p.twin_of in child_of
        and p.person_id in child_of
        and p.given_name[0] != people[p.twin_of].given_name[0]
    ]
    assert twins, "the area should hold twins with different initials"
    for one, other in twins[:5]:
        query = {
            "given_name": one.given_name,
            "family_name": one.family_name,
            "date_of_birth": one.date_of_birth.isoformat(),
        }
        offered = [c.cluster_id for c in built.match(query, top=50)]
        assert offered and offered[0] == child_of[one.person_id]
        assert child_of[other.person_id] not in offered


def test_gamma_helpers_agree_with_the_model() -> None:
    # The rules port reads levels by label through gamma_of, like rules.py.
    assert gamma_of("first_name", "different") == 0
    assert gamma_of("dob", "exact") == len(COMPARISONS["dob"]) - 1


def test_a_misspelt_name_with_no_date_of_birth_still_finds_the_child(
    area: Area, built: CandidateIndex
) -> None:
    """No Splink real-time rule blocks on names alone once the first name is misspelt; the
    index's name-sound key does, for a query with no date of birth."""
    record = area.index[area.index["given_name"].str.len() > 4].iloc[3].to_dict()
    typo = record["given_name"] + record["given_name"][-1]  # same sound, another spelling
    query = {"given_name": typo, "family_name": record["family_name"]}
    original = prepare_query({"given_name": record["given_name"]})["first_name_key"]
    assert prepare_query(query)["first_name_key"] != original
    offered = [c.cluster_id for c in built.match(query, top=10)]
    assert record["cluster_id"] in offered

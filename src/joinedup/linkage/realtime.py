"""Real time: which known children might this one person be?

`match_one` scores one person's details against an index of already-linked source records
(the `link_records` input columns plus `cluster_id`, the child) with the same preparation,
identifier rule and twin guard as the batch pipeline, and the trained Splink model for the
rest (`Linker.inference.predict_between`). Pure Python over DuckDB/Splink: no Django.

Per child, the strongest record wins, with two exceptions that follow the batch rules:
a shared valid identifier (not contradicted) is decisive, and a child any of whose records
the twin guard says is a different child (same birthday and family/home, different first
name) is never offered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from splink import block_on

from joinedup.linkage import model as linkage_model
from joinedup.linkage.engine import DuckDBEngine
from joinedup.linkage.model import COMPARISONS
from joinedup.linkage.prepare import RECORD_COLUMNS, prepare_records
from joinedup.linkage.rules import apply_rules

__all__ = ["PERSON_FIELDS", "Candidate", "match_one"]

# The identity fields a query may give (agency and record id are the index's, not the query's).
PERSON_FIELDS = tuple(c for c in RECORD_COLUMNS if c not in ("agency", "record_id"))
QUERY_AGENCY = "__query__"
FLOOR = 0.01  # candidates below this probability are not offered

# What each comparison level says, in a caseworker's words. The else level is "different".
_PHRASES: dict[str, dict[str, str]] = {
    "nhs_number": {"same": "same NHS number", "different": "different NHS number"},
    "upn_set": {"same": "same UPN", "different": "different UPN"},
    "la_child_id": {"same": "same LA child id", "different": "different LA child id"},
    "first_name": {
        "exact": "same first name",
        "nickname": "nickname of first name",
        "close spelling": "first name spelt similarly",
        "known by another given name": "known by another given name",
        "similar": "similar first name",
        "initial": "same first initial",
        "different": "different first name",
    },
    "family_name": {
        "exact": "same family name",
        "shared part": "shares part of family name",
        "close spelling": "family name spelt similarly",
        "similar": "similar family name",
        "different": "different family name",
    },
    "middle_names": {
        "exact": "same middle names",
        "similar": "similar middle names",
        "different": "different middle names",
    },
    "dob": {
        "exact": "same date of birth",
        "day and month swapped": "date of birth with day and month swapped",
        "one digit": "date of birth one digit different",
        "same year": "same year of birth",
        "different": "different date of birth",
    },
    "sex": {"exact": "same sex", "different": "different sex"},
    "location": {
        "same address": "same address",
        "same postcode": "same postcode",
        "same street address": "same street address",
        "same postcode sector": "same postcode sector",
        "same postcode district": "same postcode district",
        "different": "different postcode",
    },
}


@dataclass(frozen=True)
class Candidate:
    cluster_id: str
    match_probability: float
    evidence: list[str] = field(default_factory=list)
    decided_by: str = "model"  # "identifier" or "model"


def _realtime_blocking_rules() -> list[Any]:
    # The batch rules, plus two looser ones that are cheap for one query record: a name with
    # no date of birth, or a date of birth with a misspelt name, still finds candidates.
    return [
        *linkage_model.prediction_blocking_rules(),
        block_on("first_name_key", "family_name_sx"),
        block_on("dob"),
    ]


def _evidence(row: dict[str, Any], decided_by: str) -> list[str]:
    out = []
    if decided_by == "identifier_contradicted":
        out.append("shared identifier contradicted by other fields: needs review")
    for comparison, phrases in _PHRASES.items():
        gamma = int(row[f"gamma_{comparison}"])
        if gamma < 0:
            continue  # missing on one side: no evidence either way
        labels = COMPARISONS[comparison]
        label = labels[len(labels) - 1 - gamma]
        out.append(phrases[label])
    return out


def _prepare_query(person: dict[str, Any], next_id: int) -> pd.DataFrame:
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    row = {c: person.get(c) for c in PERSON_FIELDS}
    row.update(agency=QUERY_AGENCY, record_id="query")
    query = prepare_records(pd.DataFrame([row]))
    query["unique_id"] = next_id  # distinct from every index record
    return query


def match_one(
    person: dict[str, Any],
    index: pd.DataFrame,
    *,
    model_json: str,
    top: int = 5,
) -> list[Candidate]:
    """The `top` most likely children for `person`, most likely first.

    `person` holds any of PERSON_FIELDS (strings); `index` the link_records input columns
    plus `cluster_id`. Raises ValueError for a field that is not an identity field.
    """
    if index.empty:
        _prepare_query(person, 0)  # still validate the fields
        return []
    features = prepare_records(index.drop(columns=["cluster_id"]))
    keys = index[["agency", "record_id", "cluster_id"]].astype(str)
    features = features.merge(keys, on=["agency", "record_id"], how="left")
    query = _prepare_query(person, int(features["unique_id"].max()) + 1)

    engine = DuckDBEngine(threads=1)
    try:
        left = engine.register(features.drop(columns=["cluster_id"]))
        right = engine.register(query)
        linker = linkage_model.load_linker(left, model_json)
        predictions = linker.inference.predict_between(
            left,
            right,
            blocking_rules_to_generate_predictions=_realtime_blocking_rules(),
            warning_mode="never",
        )
        scored = engine.to_pandas(predictions)
    finally:
        engine.close()
    if scored.empty:
        return []

    # Index record on the left, the query on the right, whichever way Splink ordered them.
    query_id = int(query["unique_id"].iloc[0])
    ids_l = scored["unique_id_l"].to_numpy(dtype=np.int64)
    ids_r = scored["unique_id_r"].to_numpy(dtype=np.int64)
    scored["record"] = np.where(ids_l == query_id, ids_r, ids_l)

    parameters = linkage_model.model_parameters(model_json)
    ruled = apply_rules(scored, parameters, match_threshold=0.99, review_band=(0.5, 0.99))
    scored["probability"] = ruled["match_probability"].to_numpy(dtype=float)
    decided = ruled["decided_by"].to_numpy()
    identifier = decided == "identifier"
    contradicted = identifier & (scored["probability"].to_numpy() < 1.0)
    scored["decided_by"] = np.where(
        contradicted, "identifier_contradicted", np.where(identifier, "identifier", decided)
    )
    cluster_of = dict(zip(features["unique_id"], features["cluster_id"], strict=True))
    scored["cluster_id"] = scored["record"].map(cluster_of)

    candidates = []
    for cluster_id, rows in scored.groupby("cluster_id", sort=False):
        rows = rows.sort_values("probability", ascending=False, kind="stable")
        best = rows.iloc[0].to_dict()
        if best["decided_by"] != "identifier" and (rows["decided_by"] == "twin_guard").any():
            continue  # the twin guard: one of this child's records is a different child
        probability = float(best["probability"])
        if probability < FLOOR:
            continue
        kind = "identifier" if best["decided_by"] == "identifier" else "model"
        candidates.append(
            Candidate(
                cluster_id=str(cluster_id),
                match_probability=probability,
                evidence=_evidence(best, str(best["decided_by"])),
                decided_by=kind,
            )
        )
    candidates.sort(key=lambda c: (-c.match_probability, c.cluster_id))
    return candidates[:top]

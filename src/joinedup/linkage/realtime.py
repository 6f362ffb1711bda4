"""Real time: which known children might this one person be?

Two paths give the same answer (tests/linkage/test_candidate_index.py holds them equal):
- `candidate_index.CandidateIndex.match`, the one services use: an in-memory index built once,
  milliseconds per query;
- `match_one` here, the reference: stock Splink `Linker.inference.predict_between` against the
  index's records with the real-time blocking rules, hundreds of milliseconds per query.

Both prepare the query as the batch pipeline prepares records (`prepare_query`), score with
the trained model, and rank children with the batch rules. Per child, the strongest record
wins, with two exceptions that follow the batch rules: a shared valid identifier (not
contradicted) is decisive, and a child any of whose records the twin guard says is a
different child (same birthday and family/home, different first name) is never offered.
Pure Python over DuckDB/Splink: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from splink import block_on

from joinedup.linkage import model as linkage_model
from joinedup.linkage.engine import DuckDBEngine
from joinedup.linkage.identifiers import InvalidIdentifier, check_nhs_number, check_upn
from joinedup.linkage.model import COMPARISONS, IDENTIFIERS, gamma_of
from joinedup.linkage.nicknames import canonical_names
from joinedup.linkage.prepare import (
    RECORD_COLUMNS,
    address_number,
    normalise_address,
    normalise_name,
    normalise_postcode,
    parse_date_of_birth,
    prepare_records,
    soundex,
)
from joinedup.linkage.rules import apply_rules
from joinedup.linkage.thresholds import CANDIDATE_FLOOR, MATCH_THRESHOLD, REVIEW_BAND

__all__ = [
    "PERSON_FIELDS",
    "Candidate",
    "evidence",
    "match_one",
    "prepare_query",
    "rank_children",
    "realtime_blocking_rules",
]

# The identity fields a query may give (agency and record id are the index's, not the query's).
PERSON_FIELDS = tuple(c for c in RECORD_COLUMNS if c not in ("agency", "record_id"))
QUERY_AGENCY = "__query__"

# What each comparison level says, in a caseworker's words. The else level is "different".
_PHRASES: dict[str, dict[str, str]] = {
    "nhs_number": {"same": "same NHS number", "different": "different NHS number"},
    "upn_set": {"same": "same UPN", "different": "different UPN"},
    "la_child_id": {"same": "same LA child id", "different": "different LA child id"},
    "other_id": {
        "same": "same other identifier",
        "one character different": "other identifier one character different",
        "different": "different other identifier",
    },
    "first_name": {
        "exact": "same first name",
        "nickname": "nickname of first name",
        "close spelling": "first name spelt similarly",
        "known by another given name": "known by another given name",
        "swapped with family name": "first name given as family name",
        "similar": "similar first name",
        "initial": "same first initial",
        "different": "different first name",
    },
    "family_name": {
        "exact": "same family name",
        "shared part": "shares part of family name",
        "close spelling": "family name spelt similarly",
        "swapped with first name": "family name given as first name",
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
        "same postcode, similar address": "same postcode, address spelt similarly",
        "same postcode": "same postcode",
        "same street address": "same street address",
        "similar address": "address spelt similarly",
        "postcode one character different": "postcode one character different",
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


def realtime_blocking_rules() -> list[Any]:
    """The batch rules, plus two looser ones that are cheap for one query record: a name with
    no date of birth, or a date of birth with a misspelt name, still finds candidates."""
    return [
        *linkage_model.prediction_blocking_rules(),
        block_on("first_name_key", "family_name_sx"),
        block_on("dob"),
    ]


def evidence(row: dict[str, Any], decided_by: str) -> list[str]:
    """What each comparison level of a pair (`gamma_*` in `row`) says, in words."""
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


def _query_frame(person: dict[str, Any], next_id: int) -> pd.DataFrame:
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    row = {c: person.get(c) for c in PERSON_FIELDS}
    row.update(agency=QUERY_AGENCY, record_id="query")
    query = prepare_records(pd.DataFrame([row]))
    query["unique_id"] = next_id  # distinct from every index record
    return query


_SEX = {"m": "M", "male": "M", "1": "M", "boy": "M", "f": "F", "female": "F", "2": "F", "girl": "F"}
_LA_CHILD_ID = re.compile(r"[A-Z0-9/_-]{4,20}")


def _valid_nhs(text: str) -> str | None:
    try:
        return check_nhs_number(text).value
    except InvalidIdentifier:
        return None


def _valid_upn(text: str) -> str | None:
    try:
        check = check_upn(text)
    except InvalidIdentifier:
        return None
    return None if check.is_temporary else check.value


def prepare_query(person: dict[str, Any]) -> dict[str, Any]:
    """One person's details as linkage features, the same as `prepare_records` gives for a
    one-row table (lists as tuples), in microseconds rather than a pandas round trip.
    tests/linkage/test_candidate_index.py holds the two equal. Raises ValueError for a
    field that is not an identity field."""
    unknown = set(person) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    text = {c: "" if person.get(c) is None else str(person.get(c)).strip() for c in PERSON_FIELDS}
    given = normalise_name(text["given_name"]).split()
    middle = normalise_name(text["middle_names"]).split()
    first = given[0] if given else ""
    canon = canonical_names(first)
    tokens = sorted(set(given + middle))
    family = normalise_name(text["family_name"])
    dob = parse_date_of_birth(text["date_of_birth"])
    swapped = None
    if dob is not None and dob.day <= 12 and dob.day != dob.month:
        swapped = date(dob.year, dob.day, dob.month).isoformat()
    postcode, sector, district = normalise_postcode(text["postcode"])
    upn = _valid_upn(text["upn"])
    upns = sorted({u for u in (upn, _valid_upn(text["former_upn"])) if u})
    la_child_id = re.sub(r"\s", "", text["la_child_id"]).upper()
    other_id = re.sub(r"\s", "", text["other_id"]).upper()
    address = normalise_address(text["address"])
    return {
        "agency": QUERY_AGENCY,
        "record_id": "query",
        "first_name": first or None,
        "first_name_key": canon[0] if canon else None,
        "first_name_canon": tuple(canon) or None,
        "first_name_sx": soundex(first) or None,
        "given_tokens": tuple(tokens) or None,
        "middle_names": " ".join(given[1:] + middle) or None,
        "family_name": family or None,
        "family_name_parts": tuple(sorted(set(family.split()))) or None,
        "family_name_sx": soundex(family.replace(" ", "")) or None,
        "dob": dob.isoformat() if dob else None,
        "dob_swap": swapped,
        "dob_year": str(dob.year) if dob else None,
        "sex": _SEX.get(text["sex"].lower()),
        "postcode": postcode,
        "postcode_sector": sector,
        "postcode_district": district,
        "address": address or None,
        "address_number": address_number(address),
        "nhs_number": _valid_nhs(text["nhs_number"]),
        "upn": upn,
        "upn_set": tuple(upns) or None,
        "la_child_id": la_child_id if _LA_CHILD_ID.fullmatch(la_child_id) else None,
        "other_id": other_id if _LA_CHILD_ID.fullmatch(other_id) else None,
    }


@lru_cache(maxsize=8)
def _parameters(model_json: str) -> dict[str, Any]:
    return linkage_model.model_parameters(model_json)


def _worth_ruling(scored: pd.DataFrame) -> np.ndarray:
    """Pairs that can change the answer: likely enough to offer, sharing an identifier, or
    ones the twin guard may act on (the rest would be dropped below CANDIDATE_FLOOR anyway)."""
    keep = scored["match_probability"].to_numpy(dtype=float) >= CANDIDATE_FLOOR
    for c in IDENTIFIERS:
        keep |= scored[f"gamma_{c}"].to_numpy() == gamma_of(c, "same")
    keep |= (scored["gamma_first_name"].to_numpy() <= gamma_of("first_name", "similar")) & (
        scored["gamma_dob"].to_numpy() >= gamma_of("dob", "day and month swapped")
    )
    return np.asarray(keep, dtype=bool)


def rank_children(scored: pd.DataFrame, model_json: str, *, top: int) -> list[Candidate]:
    """Children from scored pairs (Splink's columns plus `cluster_id`, the index record's
    child): the identifier rule and twin guard applied, the strongest record per child."""
    scored = scored.loc[_worth_ruling(scored)]
    scored = scored.sort_values("record", kind="stable").reset_index(drop=True)
    if scored.empty:
        return []
    ruled = apply_rules(
        scored, _parameters(model_json), match_threshold=MATCH_THRESHOLD, review_band=REVIEW_BAND
    )
    scored["probability"] = ruled["match_probability"].to_numpy(dtype=float)
    decided = ruled["decided_by"].to_numpy()
    identifier = decided == "identifier"
    contradicted = identifier & (scored["probability"].to_numpy() < 1.0)
    scored["decided_by"] = np.where(
        contradicted, "identifier_contradicted", np.where(identifier, "identifier", decided)
    )

    candidates = []
    for cluster_id, rows in scored.groupby("cluster_id", sort=False):
        rows = rows.sort_values("probability", ascending=False, kind="stable")
        best = rows.iloc[0].to_dict()
        if best["decided_by"] != "identifier" and (rows["decided_by"] == "twin_guard").any():
            continue  # the twin guard: one of this child's records is a different child
        probability = float(best["probability"])
        if probability < CANDIDATE_FLOOR:
            continue
        kind = "identifier" if best["decided_by"] == "identifier" else "model"
        candidates.append(
            Candidate(
                cluster_id=str(cluster_id),
                match_probability=probability,
                evidence=evidence(best, str(best["decided_by"])),
                decided_by=kind,
            )
        )
    candidates.sort(key=lambda c: (-c.match_probability, c.cluster_id))
    return candidates[:top]


def match_one(
    person: dict[str, Any],
    index: pd.DataFrame,
    *,
    model_json: str,
    top: int = 5,
) -> list[Candidate]:
    """The `top` most likely children for `person`, most likely first, with Splink's own
    `predict_between` (the reference `CandidateIndex.match` is checked against).

    `person` holds any of PERSON_FIELDS (strings); `index` the link_records input columns
    plus `cluster_id`. Raises ValueError for a field that is not an identity field.
    """
    if index.empty:
        _query_frame(person, 0)  # still validate the fields
        return []
    features = prepare_records(index.drop(columns=["cluster_id"]))
    keys = index[["agency", "record_id", "cluster_id"]].astype(str)
    features = features.merge(keys, on=["agency", "record_id"], how="left")
    query = _query_frame(person, int(features["unique_id"].max()) + 1)

    engine = DuckDBEngine(threads=1)
    try:
        left = engine.register(features.drop(columns=["cluster_id"]))
        right = engine.register(query)
        linker = linkage_model.load_linker(left, model_json)
        predictions = linker.inference.predict_between(
            left,
            right,
            blocking_rules_to_generate_predictions=realtime_blocking_rules(),
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
    cluster_of = dict(zip(features["unique_id"], features["cluster_id"], strict=True))
    scored["cluster_id"] = scored["record"].map(cluster_of)
    return rank_children(scored, model_json, top=top)

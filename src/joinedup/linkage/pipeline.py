"""Link source records into children: the public entry point.

prepare (normalise) -> Splink model (train on the data itself, or load a saved model) ->
score candidate pairs -> rules (identifiers, twin guard) -> reviewed decisions override ->
constrained clustering -> clusters, scored pairs, review queue, model parameters.

`decided_by` in the pairs says what settled each pair:
- `identifier`: a shared valid identifier (probability 1), or - with the evidence saying so -
  a shared identifier contradicted by the other fields, which is not linked and is queued
  for review;
- `twin_guard`: the twin/same-birthday-sibling rule (probability 0, kept apart);
- `model`: the Fellegi-Sunter probability; linked when >= match_threshold, queued for review
  when inside review_band;
- `review`: a person's reviewed decision (probability 1 or 0), which always wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from joinedup.linkage import model as linkage_model
from joinedup.linkage.clustering import Refused, ambiguous_edges, cluster_arrays
from joinedup.linkage.engine import DuckDBEngine, LinkageEngine, model_translate
from joinedup.linkage.prepare import prepare_table
from joinedup.linkage.rules import apply_rules, candidate_filter_sql
from joinedup.linkage.siblings import pair_siblings, sibling_households_both
from joinedup.linkage.thresholds import KEEP_FLOOR, MATCH_THRESHOLD, PREDICT_FLOOR, REVIEW_BAND

__all__ = ["LinkResult", "link_records"]

PAIR_COLUMNS = [
    "agency_l",
    "record_id_l",
    "agency_r",
    "record_id_r",
    "match_probability",
    "match_weight",
    "model_probability",
    "decided_by",
    "evidence",
    "linked",
]
AMBIGUITY_MARGIN = 1.0  # match-weight bits: closer than this to two children -> review
AMBIGUOUS = "about as close to another record it must be kept apart from; needs review"
ONE_TO_ONE = "one-to-one: a record here is already linked to a closer record of that agency"


@dataclass
class LinkResult:
    clusters: pd.DataFrame  # agency, record_id, cluster_id
    pairs: pd.DataFrame  # PAIR_COLUMNS
    review: pd.DataFrame  # pairs for clerical review, same columns, most likely first
    model: dict[str, Any]  # trained parameters for display (model.model_parameters)
    thresholds: dict[str, Any]
    model_json: str = field(default="", repr=False)  # Splink's saved model, to reuse


def _decision_pairs(decisions: pd.DataFrame | None, features: pd.DataFrame) -> pd.DataFrame:
    columns = ["unique_id_l", "unique_id_r", "decision"]
    if decisions is None or decisions.empty:
        return pd.DataFrame(columns=columns)
    ids = {
        (a, r): i
        for a, r, i in zip(
            features["agency"], features["record_id"], features["unique_id"], strict=True
        )
    }
    rows = []
    for d in decisions.to_dict("records"):
        left = ids.get((str(d["agency_l"]).strip(), str(d["record_id_l"]).strip()))
        right = ids.get((str(d["agency_r"]).strip(), str(d["record_id_r"]).strip()))
        decision = str(d.get("decision", "")).strip().lower()
        if left is None or right is None or left == right or decision not in ("match", "non_match"):
            continue
        rows.append((min(left, right), max(left, right), decision))
    # The latest decision about a pair wins.
    frame = pd.DataFrame(rows, columns=columns)
    return frame.drop_duplicates(["unique_id_l", "unique_id_r"], keep="last")


def _apply_decisions(scored: pd.DataFrame, decided: pd.DataFrame) -> pd.DataFrame:
    if decided.empty:
        return scored
    merged = scored.merge(decided, on=["unique_id_l", "unique_id_r"], how="outer")
    has = merged["decision"].notna()
    match = (merged["decision"] == "match").to_numpy()
    merged.loc[has, "match_probability"] = np.where(match[has.to_numpy()], 1.0, 0.0)
    merged.loc[has, "decided_by"] = "review"
    merged.loc[has, "evidence"] = "reviewed: " + merged.loc[has, "decision"].str.replace("_", "-")
    merged.loc[has, "accept"] = False  # reviewed matches are must-links, handled first
    merged.loc[has, "cannot_link"] = ~match[has.to_numpy()]
    merged.loc[has, "apart"] = ~match[has.to_numpy()]
    for column in ("accept", "cannot_link", "apart"):
        merged[column] = merged[column].eq(True)
    return merged.drop(columns=["decision"])


def _score(
    features: pd.DataFrame,
    table: pa.Table,
    engine: LinkageEngine,
    saved_model: str | None,
    link_type: str,
) -> tuple[pd.DataFrame, str]:
    sdf = engine.register(features, table)
    if saved_model:
        saved_model = model_translate(saved_model, engine.name)  # saved in DuckDB SQL
        linker = linkage_model.load_linker(sdf, saved_model, link_type)
    else:
        trained = linkage_model.train_model(
            sdf,
            records=len(features),
            link_type=link_type,
            other_id=bool(features["other_id"].notna().any()),
        )
        linker = linkage_model.load_linker(sdf, trained, link_type)
    # Pairs far below any use are never materialised (most blocked pairs are plainly two
    # people); the filter then keeps likely matches, shared identifiers and twin-guard pairs.
    predictions = linker.inference.predict(
        threshold_match_probability=PREDICT_FLOOR, warning_mode="never"
    )
    sql = candidate_filter_sql(predictions.physical_name, KEEP_FLOOR)
    scored = linker.misc.query_sql(sql, output_type="pandas")
    predictions.drop_table_from_database_and_remove_from_cache()
    # link_only orders each pair by source dataset: put the smaller unique id on the left.
    left = scored["unique_id_l"].to_numpy(dtype=np.int64)
    right = scored["unique_id_r"].to_numpy(dtype=np.int64)
    scored["unique_id_l"], scored["unique_id_r"] = np.minimum(left, right), np.maximum(left, right)
    return scored, model_translate(linkage_model.model_json(linker), "duckdb")


def one_to_one_edges(edges: pd.DataFrame, agency: np.ndarray) -> np.ndarray:
    """Which edges (in order, strongest first) one-to-one linking keeps: each record links to
    at most one record of each other agency, the strongest first. Returns a boolean mask."""
    used: set[tuple[int, str]] = set()
    keep = np.zeros(len(edges), dtype=bool)
    for i, (a, b) in enumerate(zip(*ids(edges), strict=True)):
        if (a, agency[b]) in used or (b, agency[a]) in used:
            continue
        used.update(((a, agency[b]), (b, agency[a])))
        keep[i] = True
    return keep


def ids(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """A pair frame's (unique_id_l, unique_id_r) as int64 arrays."""
    return (
        frame["unique_id_l"].to_numpy(dtype=np.int64),
        frame["unique_id_r"].to_numpy(dtype=np.int64),
    )


def _check_options(link_type: str, one_to_one: bool) -> None:
    if link_type not in linkage_model.LINK_TYPES:
        raise ValueError(
            f"link_type must be one of {', '.join(linkage_model.LINK_TYPES)}, not {link_type!r}"
        )
    if one_to_one and link_type != "link_only":
        raise ValueError(
            "one_to_one needs link_type='link_only': within one agency a child can be "
            "recorded twice, so one-to-one linking would leave the second record unlinked"
        )


def _score_on(
    engine: LinkageEngine | None,
    features: pd.DataFrame,
    table: pa.Table,
    saved_model: str | None,
    link_type: str,
) -> tuple[pd.DataFrame, str]:
    """`_score` on the caller's engine, or on a DuckDB engine of our own, closed after."""
    own_engine = engine is None
    engine = engine or DuckDBEngine()
    try:
        if len(features) >= 2:
            return _score(features, table, engine, saved_model, link_type)
        return pd.DataFrame(), saved_model or ""
    finally:
        if own_engine:
            engine.close()  # an engine the caller passed in is the caller's to close


def _ruled(
    scored: pd.DataFrame,
    features: pd.DataFrame,
    parameters: dict[str, Any],
    *,
    match_threshold: float,
    review_band: tuple[float, float],
    twin_guard: bool,
) -> pd.DataFrame:
    """The scored pairs with the rules applied (identifiers, twin guard, model)."""
    if scored.empty:
        return pd.DataFrame(
            columns=["unique_id_l", "unique_id_r", "match_weight", "model_probability"]
            + ["match_probability", "decided_by", "evidence", "accept", "cannot_link", "apart"]
        )
    left, right = ids(scored)
    # The guard reads a surname anywhere as a family (cautious); whether a home holds
    # same-birthday siblings counts a surname only within one postcode district.
    households, with_siblings = sibling_households_both(features)
    siblings = pair_siblings(features, left, right, households)
    return apply_rules(
        scored,
        parameters,
        match_threshold=match_threshold,
        review_band=review_band,
        twin_guard=twin_guard,
        siblings=siblings,
        sibling_household=with_siblings[left] | with_siblings[right],
    )


def _ambiguous(pairs: pd.DataFrame) -> pd.Series:
    """Per pair: an accepted pair about as close as one its records must be kept apart from."""
    return ambiguous_edges(
        pairs.loc[pairs["accept"], ["unique_id_l", "unique_id_r", "match_weight"]],
        pairs.loc[pairs["apart"], ["unique_id_l", "unique_id_r"]],
        margin=AMBIGUITY_MARGIN,
    ).reindex(pairs.index, fill_value=False)


def _edges(
    pairs: pd.DataFrame, features: pd.DataFrame, *, one_to_one: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(edges, second_best): the accepted pairs clustering joins, identifiers first, then
    strongest first; and, one-to-one, those left out for a closer record of that agency."""
    accepted = pairs.loc[pairs["accept"], ["unique_id_l", "unique_id_r", "decided_by"]].copy()
    accepted["rank"] = np.where(accepted["decided_by"] == "identifier", 0, 1)
    accepted["weight"] = pairs.loc[pairs["accept"], "match_weight"].astype(float).round(6)
    accepted = accepted.sort_values(
        ["rank", "weight", "unique_id_l", "unique_id_r"], ascending=[True, False, True, True]
    )
    second_best = pd.DataFrame(columns=["unique_id_l", "unique_id_r"])
    if one_to_one:
        keep = one_to_one_edges(accepted, features["agency"].to_numpy())
        second_best = accepted.loc[~keep, ["unique_id_l", "unique_id_r"]]
        accepted = accepted.loc[keep]
    return accepted, second_best


def _clusters(features: pd.DataFrame, label_array: np.ndarray) -> pd.DataFrame:
    """Each record's child, named by the key (agency:record_id) of one of its records."""
    keys = (features["agency"] + ":" + features["record_id"]).to_numpy()
    return pd.DataFrame(
        {
            "agency": features["agency"],
            "record_id": features["record_id"],
            "cluster_id": keys[label_array] if len(keys) else [],
        }
    )


def _note_refusals(
    pairs: pd.DataFrame,
    refused: list[Refused],
    ambiguous: pd.Series,
    second_best: pd.DataFrame,
) -> np.ndarray:
    """Say in the evidence why a pair clustering or the edge choice left unlinked was refused;
    returns the mask of those pairs."""
    refused_rows = [(min(r.left, r.right), max(r.left, r.right), r.reason) for r in refused]
    amb = pairs.loc[ambiguous]
    refused_rows += [(a, b, AMBIGUOUS) for a, b in zip(*ids(amb), strict=True)]
    refused_rows += [(a, b, ONE_TO_ONE) for a, b in zip(*ids(second_best), strict=True)]
    refused_frame = pd.DataFrame(
        refused_rows, columns=["unique_id_l", "unique_id_r", "reason"]
    ).drop_duplicates(["unique_id_l", "unique_id_r"])
    reasons = pairs[["unique_id_l", "unique_id_r"]].merge(
        refused_frame, on=["unique_id_l", "unique_id_r"], how="left"
    )["reason"]
    refused_mask = reasons.notna().to_numpy() & ~pairs["linked"].to_numpy(dtype=bool)
    if refused_mask.any():
        pairs.loc[refused_mask, "evidence"] = (
            "not linked: "
            + reasons[refused_mask].to_numpy()
            + " ("
            + pairs.loc[refused_mask, "evidence"].to_numpy()
            + ")"
        )
    return refused_mask


def _for_review(
    pairs: pd.DataFrame, refused_mask: np.ndarray, review_band: tuple[float, float]
) -> pd.Series:
    """The unlinked pairs a person should look at: in the review band (and not already
    decided by a person), or refused by clustering or the edge choice."""
    low, high = review_band
    p = pairs["match_probability"].astype(float)
    in_band = (p >= low) & (p < high) & (pairs["decided_by"] != "review")
    return (in_band | refused_mask) & ~pairs["linked"].astype(bool)


def link_records(
    records: pd.DataFrame,
    *,
    decisions: pd.DataFrame | None = None,
    match_threshold: float = MATCH_THRESHOLD,
    review_band: tuple[float, float] = REVIEW_BAND,
    model_json: str | None = None,
    engine: LinkageEngine | None = None,
    twin_guard: bool = True,
    link_type: str = "dedupe_and_link",
    one_to_one: bool = False,
) -> LinkResult:
    """Link source records into children (see the module docstring for the steps).

    `twin_guard=False` switches the twin rule off. Only for data with no twins to protect
    (say adult registers): on children's data it is the rule that stops twins being merged.
    `link_type="link_only"` compares records only across agencies (each agency's records are
    taken as already free of duplicates); the default, `dedupe_and_link`, also finds the same
    child twice in one agency. `one_to_one=True` (only with `link_only`, for sources each
    free of duplicates) links each record to at most one record of each other agency: links
    are taken strongest first, and a weaker link to a record already linked to that agency
    goes to review instead.
    """
    _check_options(link_type, one_to_one)
    features, table = prepare_table(records)
    scored, saved = _score_on(engine, features, table, model_json, link_type)
    parameters = linkage_model.model_parameters(saved) if saved else {}
    pairs = _ruled(
        scored,
        features,
        parameters,
        match_threshold=match_threshold,
        review_band=review_band,
        twin_guard=twin_guard,
    )
    decided = _decision_pairs(decisions, features)
    pairs = _apply_decisions(pairs, decided)
    pairs = pairs.sort_values(["unique_id_l", "unique_id_r"], kind="stable", ignore_index=True)
    pairs["accept"] = pairs["accept"].astype(bool)
    pairs["cannot_link"] = pairs["cannot_link"].astype(bool)

    ambiguous = _ambiguous(pairs)
    pairs["accept"] &= ~ambiguous
    accepted, second_best = _edges(pairs, features, one_to_one=one_to_one)
    label_array, refused = cluster_arrays(
        len(features),
        must_link=ids(decided[decided["decision"] == "match"]),
        edges=ids(accepted),
        cannot_link=ids(pairs.loc[pairs["cannot_link"]]),
        nhs=features["nhs_number"].to_numpy(dtype=object),
        upns=features["upn_set"].tolist(),
    )
    pair_l, pair_r = ids(pairs)
    pairs["linked"] = label_array[pair_l] == label_array[pair_r] if len(pairs) else []
    refused_mask = _note_refusals(pairs, refused, ambiguous, second_best)

    review_mask = _for_review(pairs, refused_mask, review_band)
    for side, index in (("l", pair_l), ("r", pair_r)):
        pairs[f"agency_{side}"] = features["agency"].to_numpy()[index] if len(index) else []
        pairs[f"record_id_{side}"] = features["record_id"].to_numpy()[index] if len(index) else []
    review = pairs[review_mask].sort_values("match_probability", ascending=False, kind="stable")
    return LinkResult(
        clusters=_clusters(features, label_array),
        pairs=pairs[PAIR_COLUMNS].reset_index(drop=True),
        review=review[PAIR_COLUMNS].reset_index(drop=True),
        model=parameters,
        thresholds={
            "match_threshold": match_threshold,
            "review_band": review_band,
            "pairs_kept_from_probability": KEEP_FLOOR,
            "twin_guard": twin_guard,
            "link_type": link_type,
            "one_to_one": one_to_one,
        },
        model_json=saved,
    )

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

from joinedup.linkage import model as linkage_model
from joinedup.linkage.clustering import cluster
from joinedup.linkage.engine import DuckDBEngine, LinkageEngine
from joinedup.linkage.prepare import prepare_records
from joinedup.linkage.rules import apply_rules, candidate_filter_sql

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
KEEP_FLOOR = 0.01  # scored pairs below this (and not otherwise notable) are not returned


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
    merged["accept"] = merged["accept"].astype(bool)
    merged["cannot_link"] = merged["cannot_link"].astype(bool)
    return merged.drop(columns=["decision"])


def _score(
    features: pd.DataFrame, engine: LinkageEngine, saved_model: str | None
) -> tuple[pd.DataFrame, str]:
    sdf = engine.register(features)
    if saved_model:
        linker = linkage_model.load_linker(sdf, saved_model)
    else:
        trained = linkage_model.train_model(sdf, records=len(features))
        linker = linkage_model.load_linker(sdf, trained)
    predictions = linker.inference.predict(warning_mode="never")
    sql = candidate_filter_sql(predictions.physical_name, KEEP_FLOOR)
    scored = linker.misc.query_sql(sql, output_type="pandas")
    predictions.drop_table_from_database_and_remove_from_cache()
    return scored, linkage_model.model_json(linker)


def link_records(
    records: pd.DataFrame,
    *,
    decisions: pd.DataFrame | None = None,
    match_threshold: float = 0.99,
    review_band: tuple[float, float] = (0.5, 0.99),
    model_json: str | None = None,
    engine: LinkageEngine | None = None,
    twin_guard: bool = True,
) -> LinkResult:
    """Link source records into children (see the module docstring for the steps).

    `twin_guard=False` switches the twin rule off. Only for data with no twins to protect
    (say adult registers or a benchmark that corrupts given names by replacing them): on
    children's data it is the rule that stops twins being merged.
    """
    features = prepare_records(records)
    engine = engine or DuckDBEngine()
    if len(features) >= 2:
        scored, saved = _score(features, engine, model_json)
    else:
        scored, saved = pd.DataFrame(), model_json or ""
    parameters = linkage_model.model_parameters(saved) if saved else {}

    if scored.empty:
        pairs = pd.DataFrame(
            columns=["unique_id_l", "unique_id_r", "match_weight", "model_probability"]
            + ["match_probability", "decided_by", "evidence", "accept", "cannot_link"]
        )
    else:
        pairs = apply_rules(
            scored,
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

    accepted = pairs.loc[pairs["accept"]].copy()
    accepted["rank"] = np.where(accepted["decided_by"] == "identifier", 0, 1)
    accepted["weight"] = accepted["match_weight"].astype(float).round(6)
    accepted = accepted.sort_values(
        ["rank", "weight", "unique_id_l", "unique_id_r"], ascending=[True, False, True, True]
    )
    must = decided[decided["decision"] == "match"]
    cannot = pairs.loc[pairs["cannot_link"]]
    labels, refused = cluster(
        len(features),
        must_link=zip(must["unique_id_l"], must["unique_id_r"], strict=True),
        edges=zip(accepted["unique_id_l"], accepted["unique_id_r"], strict=True),
        cannot_link=zip(cannot["unique_id_l"], cannot["unique_id_r"], strict=True),
        nhs=features["nhs_number"].tolist(),
        upns=features["upn_set"].tolist(),
    )
    keys = (features["agency"] + ":" + features["record_id"]).to_numpy()
    label_array = np.asarray(labels, dtype=np.int64)
    clusters = pd.DataFrame(
        {
            "agency": features["agency"],
            "record_id": features["record_id"],
            "cluster_id": keys[label_array] if len(keys) else [],
        }
    )

    pairs["linked"] = (
        label_array[pairs["unique_id_l"].to_numpy(dtype=np.int64)]
        == label_array[pairs["unique_id_r"].to_numpy(dtype=np.int64)]
        if len(pairs)
        else []
    )
    refused_keys = {(min(r.left, r.right), max(r.left, r.right)): r.reason for r in refused}
    refused_mask = np.array(
        [
            (a, b) in refused_keys
            for a, b in zip(pairs["unique_id_l"], pairs["unique_id_r"], strict=True)
        ],
        dtype=bool,
    )
    for i in np.flatnonzero(refused_mask):
        key = (pairs.at[i, "unique_id_l"], pairs.at[i, "unique_id_r"])
        pairs.at[i, "evidence"] = f"not linked: {refused_keys[key]} ({pairs.at[i, 'evidence']})"

    low, high = review_band
    p = pairs["match_probability"].astype(float)
    in_band = (p >= low) & (p < high) & (pairs["decided_by"] != "review")
    review_mask = (in_band | refused_mask) & ~pairs["linked"].astype(bool)

    for side in ("l", "r"):
        ids = pairs[f"unique_id_{side}"].to_numpy(dtype=np.int64)
        pairs[f"agency_{side}"] = features["agency"].to_numpy()[ids] if len(ids) else []
        pairs[f"record_id_{side}"] = features["record_id"].to_numpy()[ids] if len(ids) else []
    review = pairs[review_mask].sort_values("match_probability", ascending=False, kind="stable")
    return LinkResult(
        clusters=clusters,
        pairs=pairs[PAIR_COLUMNS].reset_index(drop=True),
        review=review[PAIR_COLUMNS].reset_index(drop=True),
        model=parameters,
        thresholds={
            "match_threshold": match_threshold,
            "review_band": review_band,
            "pairs_kept_from_probability": KEEP_FLOOR,
            "twin_guard": twin_guard,
        },
        model_json=saved,
    )

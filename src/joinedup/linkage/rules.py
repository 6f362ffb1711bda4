"""The rules applied on top of the model's scores, in order of precedence.

1. **Identifier**: a valid NHS number, permanent UPN (current or former) or LA child id shared
   by two records links them (probability 1) - unless the other fields contradict it: the
   first names are clearly different, another identifier held by both differs, or the dates of
   birth differ along with sex or family name. A contradicted identifier is never linked
   automatically: it goes to clerical review with the probability the other fields give.
2. **Twin guard**: same date of birth (or day/month swapped) and the same family name or
   address, but clearly different first names (not a nickname, variant, typo or a middle name
   in use) - or similar first names and a different sex - is two children: probability 0, and
   the pair becomes a cannot-link constraint for clustering. This is the safeguarding rule:
   in the trained model a shared address and date of birth are worth far more than a
   different first name costs, so the model alone would merge twins.
3. **Model**: otherwise the Fellegi-Sunter probability stands.

Rules read Splink's comparison vector values (gamma), so they are the same SQL-free logic on
any engine.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from joinedup.linkage.model import COMPARISONS, IDENTIFIERS, gamma_of

__all__ = ["apply_rules", "candidate_filter_sql"]

_ID_NAMES = {"nhs_number": "NHS number", "upn_set": "UPN", "la_child_id": "LA child id"}
_EVIDENCE = ("first_name", "family_name", "dob", "sex", "location", *IDENTIFIERS)


def candidate_filter_sql(table: str, floor: float) -> str:
    """The scored pairs worth keeping: likely matches, shared identifiers, twin-guard pairs."""
    columns = ", ".join(f"gamma_{c}" for c in COMPARISONS)
    shared = " or ".join(f"gamma_{c} = {gamma_of(c, 'same')}" for c in IDENTIFIERS)
    twin = (
        f"(gamma_first_name <= {gamma_of('first_name', 'similar')} "
        f"and gamma_dob >= {gamma_of('dob', 'day and month swapped')})"
    )
    # Table and column names come from Splink and this module, never from user input.
    select = f"select unique_id_l, unique_id_r, match_weight, match_probability, {columns} "
    return select + f"from {table} where match_probability >= {floor} or {shared} or {twin}"


def _level_weights(parameters: dict[str, Any]) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {}
    for name, levels in parameters["comparisons"].items():
        n = len(levels)
        out[name] = {n - 1 - i: float(lv["match_weight"] or 0.0) for i, lv in enumerate(levels)}
    return out


def _probability(weight: np.ndarray, prior_weight: float) -> np.ndarray:
    return 1.0 / (1.0 + np.power(2.0, -(weight + prior_weight)))


def _evidence(pairs: pd.DataFrame) -> list[str]:
    labels = {c: {gamma_of(c, lab): lab for lab in COMPARISONS[c]} for c in _EVIDENCE}
    columns = [pairs[f"gamma_{c}"].to_numpy() for c in _EVIDENCE]
    out = []
    for values in zip(*columns, strict=True):
        parts = [
            f"{c.replace('_set', '')}: {labels[c][int(g)]}"
            for c, g in zip(_EVIDENCE, values, strict=True)
            if g >= 0
        ]
        out.append("; ".join(parts))
    return out


def apply_rules(
    pairs: pd.DataFrame,
    parameters: dict[str, Any],
    *,
    match_threshold: float,
    review_band: tuple[float, float],
    twin_guard: bool = True,
) -> pd.DataFrame:
    """Add model_probability, match_probability (after rules), decided_by, evidence,
    accept (an edge for clustering) and cannot_link."""
    g = {c: pairs[f"gamma_{c}"].to_numpy() for c in COMPARISONS}
    out = pairs[["unique_id_l", "unique_id_r", "match_weight"]].copy()
    model_p = pairs["match_probability"].to_numpy(dtype=float)
    out["model_probability"] = model_p

    first_diff = g["first_name"] == gamma_of("first_name", "different")
    first_unlike = first_diff | (g["first_name"] == gamma_of("first_name", "similar"))
    first_loose = np.isin(
        g["first_name"], [gamma_of("first_name", lab) for lab in ("close spelling", "initial")]
    )
    dob_same = g["dob"] >= gamma_of("dob", "day and month swapped")
    dob_diff = np.isin(g["dob"], [gamma_of("dob", "different"), gamma_of("dob", "same year")])
    family_close = g["family_name"] >= gamma_of("family_name", "close spelling")
    family_diff = g["family_name"] == gamma_of("family_name", "different")
    home = g["location"] >= gamma_of("location", "same street address")
    sex_diff = g["sex"] == gamma_of("sex", "different")

    shared = np.zeros(len(out), dtype=bool)
    conflict = np.zeros(len(out), dtype=bool)
    for c in IDENTIFIERS:
        shared |= g[c] == gamma_of(c, "same")
        conflict |= g[c] == gamma_of(c, "different")
    contradicted = shared & (first_diff | conflict | (dob_diff & (sex_diff | family_diff)))
    identifier = shared & ~contradicted
    twin = ~shared & dob_same & (family_close | home) & (first_unlike | (first_loose & sex_diff))
    twin &= twin_guard

    weights = _level_weights(parameters)
    id_weight = np.zeros(len(out))
    for c in IDENTIFIERS:
        id_weight += np.array([weights[c].get(int(v), 0.0) for v in g[c]])
    prior = parameters.get("prior_match_weight") or 0.0
    without_ids = _probability(
        pairs["match_weight"].to_numpy(dtype=float) - prior - id_weight, prior
    )
    low, high = review_band
    review_p = np.clip(without_ids, low, math.nextafter(high, 0.0))

    p = np.where(identifier, 1.0, np.where(contradicted, review_p, np.where(twin, 0.0, model_p)))
    out["match_probability"] = p
    out["decided_by"] = np.where(identifier | contradicted, "identifier", "model")
    out.loc[twin, "decided_by"] = "twin_guard"
    out["accept"] = identifier | (~contradicted & ~twin & (model_p >= match_threshold))
    out["cannot_link"] = twin

    evidence = pd.Series(_evidence(pairs), index=out.index)
    id_names = pd.Series("", index=out.index)
    for c in IDENTIFIERS:
        same = g[c] == gamma_of(c, "same")
        id_names[same] = id_names[same] + np.where(id_names[same] == "", "", ", ") + _ID_NAMES[c]
    evidence[identifier] = "same " + id_names[identifier] + " (" + evidence[identifier] + ")"
    evidence[contradicted] = (
        "shared "
        + id_names[contradicted]
        + " contradicted by other fields; needs review ("
        + evidence[contradicted]
        + ")"
    )
    evidence[twin] = "twin guard: same date of birth and family/home, different child (" + (
        evidence[twin] + ")"
    )
    out["evidence"] = evidence
    return out

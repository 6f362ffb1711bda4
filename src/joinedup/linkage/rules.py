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
   The caller may pass `siblings`, per pair, saying whether the household evidence points
   to a same-birthday sibling (see `siblings.py`: some agency holds two differently named
   children with that date of birth in that family or home, the pair comes from one agency,
   or the sexes differ). A pair whose records differ only in the first name and whose
   household shows no such sibling is left to the model instead: that is one person whose
   first name was recorded differently (the FEBRL benchmark replaces first names this way).
   A wholly different first name is left to the model only when both records also give the
   sex or another identifier; with nothing beyond name, date of birth and home the pair goes
   to review (an agency may hold only one of two twins). Without `siblings` every such pair
   is guarded.
3. **Model**: otherwise the Fellegi-Sunter probability stands.

Rules read Splink's comparison vector values (gamma), so they are the same SQL-free logic on
any engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from joinedup.linkage.model import COMPARISONS, IDENTIFIERS, gamma_of

__all__ = ["apply_rules", "candidate_filter_sql"]

_ID_NAMES = {"nhs_number": "NHS number", "upn_set": "UPN", "la_child_id": "LA child id"}
_EVIDENCE = ("first_name", "family_name", "dob", "sex", "location", *IDENTIFIERS, "other_id")


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


def _evidence(pairs: pd.DataFrame) -> np.ndarray:
    """Each pair's evidence in words. Pairs share few distinct comparison vectors, so the
    words are built once per distinct vector."""
    labels = {c: {gamma_of(c, lab): lab for lab in COMPARISONS[c]} for c in _EVIDENCE}
    if pairs.empty:
        return np.empty(0, dtype=object)
    vectors = np.stack([pairs[f"gamma_{c}"].to_numpy(dtype=np.int64) for c in _EVIDENCE], axis=1)
    # One integer per vector (levels from -1, null, upward; a digit each), far cheaper to
    # find the distinct ones of than rows.
    key = np.zeros(len(vectors), dtype=np.int64)
    for column in (vectors + 1).T:
        key = key * (int(column.max()) + 1) + column
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    distinct = vectors[first]
    words = np.empty(len(distinct), dtype=object)
    words[:] = [
        "; ".join(
            f"{c.replace('_set', '')}: {labels[c][int(g)]}"
            for c, g in zip(_EVIDENCE, values, strict=True)
            if g >= 0
        )
        for values in distinct
    ]
    return words[inverse.reshape(-1)]


def _both_apart_from_one_home_child(
    left: np.ndarray, right: np.ndarray, candidates: np.ndarray, guard: np.ndarray
) -> np.ndarray:
    """Per pair: is there a record z with (left, z) and (right, z) both `guard` pairs (kept
    apart, at the same home)? Only `candidates` pairs are checked; others get False."""
    out = np.zeros(len(left), dtype=bool)
    if not candidates.any() or not guard.any():
        return out
    g_l, g_r = left[guard], right[guard]
    apart = pd.DataFrame({"x": np.concatenate([g_l, g_r]), "z": np.concatenate([g_r, g_l])})
    index = np.flatnonzero(candidates)
    pair = pd.DataFrame({"i": index, "x": left[index], "y": right[index]})
    via = pair.merge(apart, on="x")[["i", "y", "z"]]
    hits = via.merge(apart.rename(columns={"x": "y"}), on=["y", "z"])["i"].to_numpy()
    out[hits] = True
    return out


@dataclass(frozen=True)
class _Levels:
    """Per pair, the comparison levels the rules read (boolean arrays)."""

    first_diff: np.ndarray
    first_unlike: np.ndarray  # different, or only similar
    first_loose: np.ndarray  # close spelling or an initial
    first_exact: np.ndarray
    dob_same: np.ndarray  # the same, or day and month swapped
    dob_diff: np.ndarray
    family_close: np.ndarray
    family_diff: np.ndarray
    home: np.ndarray  # the same street address, or closer
    sex_diff: np.ndarray

    @classmethod
    def of(cls, g: dict[str, np.ndarray]) -> _Levels:
        first_diff = g["first_name"] == gamma_of("first_name", "different")
        return cls(
            first_diff=first_diff,
            first_unlike=first_diff | (g["first_name"] == gamma_of("first_name", "similar")),
            first_loose=np.isin(
                g["first_name"],
                [gamma_of("first_name", lab) for lab in ("close spelling", "initial")],
            ),
            first_exact=g["first_name"] == gamma_of("first_name", "exact"),
            dob_same=g["dob"] >= gamma_of("dob", "day and month swapped"),
            dob_diff=np.isin(
                g["dob"], [gamma_of("dob", "different"), gamma_of("dob", "same year")]
            ),
            family_close=g["family_name"] >= gamma_of("family_name", "close spelling"),
            family_diff=g["family_name"] == gamma_of("family_name", "different"),
            home=g["location"] >= gamma_of("location", "same street address"),
            sex_diff=g["sex"] == gamma_of("sex", "different"),
        )


@dataclass(frozen=True)
class _Verdicts:
    """Per pair, what the rules found (boolean arrays)."""

    identifier: np.ndarray  # a shared identifier: linked
    contradicted: np.ndarray  # a shared identifier the other fields contradict: review
    conflict: np.ndarray  # an identifier held by both differs
    twin: np.ndarray  # the twin guard: kept apart
    released: np.ndarray  # only the first name differs, no same-birthday sibling: the model's
    unconfirmed: np.ndarray  # released, but nothing beyond name, birth and home to weigh: review
    near_twin: np.ndarray  # a same-birthday-sibling home, first names only nearly agree: review


def _verdicts(
    pairs: pd.DataFrame,
    g: dict[str, np.ndarray],
    *,
    twin_guard: bool,
    siblings: np.ndarray | None,
    sibling_household: np.ndarray | None,
) -> _Verdicts:
    lv = _Levels.of(g)
    shared = np.zeros(len(pairs), dtype=bool)
    conflict = np.zeros(len(pairs), dtype=bool)
    for c in IDENTIFIERS:
        shared |= g[c] == gamma_of(c, "same")
        conflict |= g[c] == gamma_of(c, "different")
    contradicted = shared & (
        lv.first_diff | conflict | (lv.dob_diff & (lv.sex_diff | lv.family_diff))
    )
    suspect = ~shared & lv.dob_same & (lv.family_close | lv.home)
    suspect &= lv.first_unlike | (lv.first_loose & lv.sex_diff)
    released = np.zeros(len(pairs), dtype=bool)
    if siblings is not None:
        released = suspect & ~np.asarray(siblings, dtype=bool) & ~lv.sex_diff
    twin = suspect & ~released & twin_guard
    # A wholly different first name is left to the model only when the model has a field
    # beyond name, date of birth and home to weigh: the sex (given by both; it agrees, or the
    # pair is guarded), or another identifier held by both. With nothing else, the shared
    # date of birth and home alone would outweigh the first name - exactly the twins' case
    # when an agency holds only one of them - so the pair goes to review instead.
    weighed = (g["sex"] >= 0) | (g["other_id"] >= 0)
    unconfirmed = released & lv.first_diff & ~weighed & twin_guard
    near_twin = np.zeros(len(pairs), dtype=bool)
    if sibling_household is not None and twin_guard:
        near_twin = np.asarray(sibling_household, dtype=bool) & ~shared & ~twin & ~lv.first_exact
        near_twin &= lv.dob_same & (lv.family_close | lv.home) & (g["first_name"] >= 0)
        # Billy beside twins William and Jack is not in doubt: both Billy and William are kept
        # apart from Jack, a clearly differently named child of the same home, so the home's
        # other same-birthday child is the one they both are. Being kept apart from someone
        # else (a same-birthday child of another family with the same surname) says nothing.
        near_twin &= ~_both_apart_from_one_home_child(
            pairs["unique_id_l"].to_numpy(),
            pairs["unique_id_r"].to_numpy(),
            near_twin,
            twin & lv.home,
        )
    return _Verdicts(
        identifier=shared & ~contradicted,
        contradicted=contradicted,
        conflict=conflict,
        twin=twin,
        released=released,
        unconfirmed=unconfirmed,
        near_twin=near_twin,
    )


def _without_identifiers(
    pairs: pd.DataFrame, g: dict[str, np.ndarray], parameters: dict[str, Any]
) -> np.ndarray:
    """Each pair's probability from its other fields: the match weight less the identifiers'."""
    weights = _level_weights(parameters)
    id_weight = np.zeros(len(pairs))
    for c in IDENTIFIERS:
        lookup = np.zeros(len(COMPARISONS[c]) + 1)  # index gamma + 1: null (-1) weighs 0
        for gamma, weight in weights[c].items():
            lookup[gamma + 1] = weight
        id_weight += lookup[g[c].astype(np.int64) + 1]
    prior = parameters.get("prior_match_weight") or 0.0
    return _probability(pairs["match_weight"].to_numpy(dtype=float) - prior - id_weight, prior)


def _evidence_text(
    pairs: pd.DataFrame, index: pd.Index, g: dict[str, np.ndarray], v: _Verdicts
) -> pd.Series:
    """Each pair's evidence in words, led by the rule that decided it."""
    evidence = pd.Series(_evidence(pairs), index=index)
    id_names = pd.Series("", index=index)
    for c in IDENTIFIERS:
        same = g[c] == gamma_of(c, "same")
        id_names[same] = id_names[same] + np.where(id_names[same] == "", "", ", ") + _ID_NAMES[c]
    identifier, contradicted, unconfirmed = v.identifier, v.contradicted, v.unconfirmed
    evidence[identifier] = "same " + id_names[identifier] + " (" + evidence[identifier] + ")"
    evidence[contradicted] = (
        "shared "
        + id_names[contradicted]
        + " contradicted by other fields; needs review ("
        + evidence[contradicted]
        + ")"
    )
    evidence[v.released & ~unconfirmed] = (
        "first names differ, but no same-birthday sibling in the household records ("
        + evidence[v.released & ~unconfirmed]
        + ")"
    )
    evidence[unconfirmed] = (
        "first names differ and no same-birthday sibling in the household records, but "
        "neither sex nor another identifier is held by both; needs review ("
        + evidence[unconfirmed]
        + ")"
    )
    evidence[v.near_twin] = (
        "same-birthday siblings in this household and the first names only nearly agree; "
        "needs review (" + evidence[v.near_twin] + ")"
    )
    evidence[v.twin] = "twin guard: same date of birth and family/home, different child (" + (
        evidence[v.twin] + ")"
    )
    return evidence


def apply_rules(
    pairs: pd.DataFrame,
    parameters: dict[str, Any],
    *,
    match_threshold: float,
    review_band: tuple[float, float],
    twin_guard: bool = True,
    siblings: np.ndarray | None = None,
    sibling_household: np.ndarray | None = None,
) -> pd.DataFrame:
    """Add model_probability, match_probability (after rules), decided_by, evidence,
    accept (an edge for clustering), cannot_link and apart (must not be one child).

    `siblings` (optional, one bool per pair): does the household evidence point to a
    same-birthday sibling? Where it is given and False, a pair that differs only in first
    name is not guarded (see the module docstring).

    `sibling_household` (optional, one bool per pair): is either record in a household known
    to hold same-birthday siblings? There a first name that only nearly agrees (nickname,
    close spelling, another given name...) cannot tell the twins apart: such a pair with no
    shared identifier is not linked automatically but queued for review - unless both records
    are guarded against one clearly differently named child at the same home (Billy and
    William beside their twin Jack), which leaves only the other twin for both."""
    g = {c: pairs[f"gamma_{c}"].to_numpy() for c in COMPARISONS}
    out = pairs[["unique_id_l", "unique_id_r", "match_weight"]].copy()
    model_p = pairs["match_probability"].to_numpy(dtype=float)
    out["model_probability"] = model_p
    v = _verdicts(
        pairs, g, twin_guard=twin_guard, siblings=siblings, sibling_household=sibling_household
    )

    low, high = review_band
    below_high = math.nextafter(high, 0.0)
    review_p = np.clip(_without_identifiers(pairs, g, parameters), low, below_high)
    p = np.where(
        v.identifier, 1.0, np.where(v.contradicted, review_p, np.where(v.twin, 0.0, model_p))
    )
    p = np.where(v.near_twin | v.unconfirmed, np.minimum(p, below_high), p)
    out["match_probability"] = p
    out["decided_by"] = np.where(v.identifier | v.contradicted, "identifier", "model")
    out.loc[v.twin, "decided_by"] = "twin_guard"
    doubt = v.twin | v.near_twin | v.unconfirmed
    out["accept"] = v.identifier | (~v.contradicted & ~doubt & (model_p >= match_threshold))
    out["cannot_link"] = v.twin
    # Two records that must not be one child, for clustering's ambiguity check: guarded
    # twins, or two different NHS numbers or UPNs (clustering never joins those either).
    out["apart"] = v.twin | v.conflict
    out["evidence"] = _evidence_text(pairs, out.index, g, v)
    return out

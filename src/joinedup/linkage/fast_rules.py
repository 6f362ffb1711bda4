"""The batch rules (`rules.apply_rules`) for one query's few candidate pairs, without pandas.

`apply_rules` works on a DataFrame of scored pairs: right for millions of pairs, but its
fixed cost (tens of pandas operations) is most of a real-time query's budget. This is the
same decision for one pair at a time in plain Python: the identifier rule, the twin guard,
then the model's probability. tests/linkage/test_candidate_index.py checks it against
`apply_rules` over every combination of the levels the rules read, so the two cannot drift.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from joinedup.linkage.model import IDENTIFIERS, gamma_of, model_parameters
from joinedup.linkage.thresholds import REVIEW_BAND

__all__ = ["PairRules", "Ruled"]


@dataclass(frozen=True)
class Ruled:
    probability: float
    decided_by: str  # "identifier", "identifier_contradicted", "twin_guard" or "model"


class PairRules:
    """The rules for one model: `decide(gammas, match_weight, match_probability)`."""

    def __init__(self, model: str | Mapping[str, Any]) -> None:
        parameters = model_parameters(dict(model) if isinstance(model, Mapping) else model)
        self.prior = float(parameters.get("prior_match_weight") or 0.0)
        self.id_weights: dict[str, dict[int, float]] = {}
        for name in IDENTIFIERS:
            levels = parameters["comparisons"].get(name, [])
            n = len(levels)
            self.id_weights[name] = {
                n - 1 - i: float(lv["match_weight"] or 0.0) for i, lv in enumerate(levels)
            }
        g = gamma_of
        self.first_diff = g("first_name", "different")
        self.first_similar = g("first_name", "similar")
        self.first_loose = {g("first_name", "close spelling"), g("first_name", "initial")}
        self.dob_swap = g("dob", "day and month swapped")
        self.dob_diff = {g("dob", "different"), g("dob", "same year")}
        self.family_close = g("family_name", "close spelling")
        self.family_diff = g("family_name", "different")
        self.home = g("location", "same street address")
        self.sex_diff = g("sex", "different")
        self.id_same = {c: g(c, "same") for c in IDENTIFIERS}
        self.id_diff = {c: g(c, "different") for c in IDENTIFIERS}
        low, high = REVIEW_BAND
        self.low, self.high = low, math.nextafter(high, 0.0)

    def decide(self, gamma: Mapping[str, int], weight: float, probability: float) -> Ruled:
        """What the rules make of one pair (`gamma`: comparison -> level value)."""
        shared = any(gamma[c] == self.id_same[c] for c in IDENTIFIERS)
        first = gamma["first_name"]
        first_diff = first == self.first_diff
        dob_diff = gamma["dob"] in self.dob_diff
        if shared:
            conflict = any(gamma[c] == self.id_diff[c] for c in IDENTIFIERS)
            family_diff = gamma["family_name"] == self.family_diff
            sex_diff = gamma["sex"] == self.sex_diff
            if not (first_diff or conflict or (dob_diff and (sex_diff or family_diff))):
                return Ruled(1.0, "identifier")
            id_weight = 0.0
            for c in IDENTIFIERS:
                id_weight += self.id_weights[c].get(int(gamma[c]), 0.0)
            without_ids = weight - self.prior - id_weight
            p = 1.0 / (1.0 + 2.0 ** (-(without_ids + self.prior)))
            return Ruled(min(max(p, self.low), self.high), "identifier_contradicted")
        dob_same = gamma["dob"] >= self.dob_swap
        close = gamma["family_name"] >= self.family_close or gamma["location"] >= self.home
        unlike = first_diff or first == self.first_similar
        loose_other_sex = first in self.first_loose and gamma["sex"] == self.sex_diff
        if dob_same and close and (unlike or loose_other_sex):
            return Ruled(0.0, "twin_guard")
        return Ruled(probability, "model")

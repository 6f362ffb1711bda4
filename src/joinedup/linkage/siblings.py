"""Household evidence of a same-birthday sibling, for the twin guard (`rules.py`).

Two records that agree on family name, date of birth and home but not on the first name are
either twins (or same-birthday step-siblings) or one child whose first name was recorded
differently. The records themselves cannot tell these apart; the rest of the area can. A
household "shows a same-birthday sibling" when some agency holds two records with that date of
birth in that family (or at that postcode, or that address) under first names that are not
one name (different canonical names, so nicknames and variants do not count): the agency has
two children there. Two different valid NHS numbers with that date of birth in that family or
home say the same. A pair is then treated as possible siblings when either record sits in
such a household, when both records come from one agency, or when their sexes differ.

This is computed from the prepared features with a few group-bys, never pair by pair.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["pair_siblings", "sibling_households"]

_HOME_KEYS = ("family_name", "postcode", "address")


def sibling_households(features: pd.DataFrame) -> np.ndarray:
    """Per record (by unique_id position): does its household show a same-birthday sibling?"""
    flagged = np.zeros(len(features), dtype=bool)
    for key in _HOME_KEYS:
        frame = features[["unique_id", "agency", "dob", key, "first_name_key"]].dropna()
        if frame.empty:
            continue
        names = frame.groupby(["agency", "dob", key], sort=False)["first_name_key"].nunique()
        households = names[names >= 2].reset_index()[["dob", key]]
        # Two valid NHS numbers with one date of birth in one family or home: two children.
        numbers = features[["dob", key, "nhs_number"]].dropna()
        numbers = numbers.groupby(["dob", key], sort=False)["nhs_number"].nunique()
        two = numbers[numbers >= 2].reset_index()[["dob", key]]
        households = pd.concat([households, two]).drop_duplicates()
        if households.empty:
            continue
        members = frame[["unique_id", "dob", key]].merge(households, on=["dob", key])
        flagged[members["unique_id"].to_numpy(dtype=np.int64)] = True
    return flagged


def pair_siblings(
    features: pd.DataFrame, left: np.ndarray, right: np.ndarray, flagged: np.ndarray
) -> np.ndarray:
    """Per pair (unique ids `left`, `right`): may the two records be same-birthday siblings?"""
    agency = features["agency"].to_numpy()
    sex = features["sex"].to_numpy()
    sex_l, sex_r = sex[left], sex[right]
    sex_differs = pd.notna(sex_l) & pd.notna(sex_r) & (sex_l != sex_r)
    return flagged[left] | flagged[right] | (agency[left] == agency[right]) | sex_differs

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

__all__ = [
    "FAMILY",
    "NEARBY_FAMILY",
    "pair_siblings",
    "sibling_households",
    "sibling_households_both",
]

# Who counts as one family. FAMILY (the surname alone) is the cautious reading, for the twin
# guard: it still finds twins whose records sit at two addresses after a move. NEARBY_FAMILY
# (the surname in one postcode district) is for deciding that a household holds same-birthday
# siblings: across a county unrelated children share a common surname and a birthday by chance
# (at a million records, thousands of such pairs), which says nothing about either family.
FAMILY: tuple[str, ...] = ("family_name",)
NEARBY_FAMILY: tuple[str, ...] = ("family_name", "postcode_district")


def sibling_households(features: pd.DataFrame, *, family: tuple[str, ...] = FAMILY) -> np.ndarray:
    """Per record (by unique_id position): does its household show a same-birthday sibling?
    `family`: the columns that make one family (FAMILY or NEARBY_FAMILY); a postcode or an
    address is a household too."""
    return _homes(features) | _flagged(features, family)


def sibling_households_both(features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """`sibling_households` with FAMILY and with NEARBY_FAMILY, sharing the home look-ups."""
    homes = _homes(features)
    return homes | _flagged(features, FAMILY), homes | _flagged(features, NEARBY_FAMILY)


def _homes(features: pd.DataFrame) -> np.ndarray:
    return _flagged(features, ("postcode",)) | _flagged(features, ("address",))


def _flagged(features: pd.DataFrame, key: tuple[str, ...]) -> np.ndarray:
    """Records in a (date of birth, `key`) group where one agency holds two differently named
    children, or two valid NHS numbers share the group."""
    flagged = np.zeros(len(features), dtype=bool)
    home = ["dob", *key]
    frame = features[["unique_id", "agency", *home, "first_name_key"]].dropna()
    if frame.empty:
        return flagged
    names = frame.groupby(["agency", *home], sort=False)["first_name_key"].nunique()
    households = names[names >= 2].reset_index()[home]
    # Two valid NHS numbers with one date of birth in one family or home: two children.
    numbers = features[[*home, "nhs_number"]].dropna()
    numbers = numbers.groupby(home, sort=False)["nhs_number"].nunique()
    two = numbers[numbers >= 2].reset_index()[home]
    households = pd.concat([households, two]).drop_duplicates()
    if households.empty:
        return flagged
    members = frame[["unique_id", *home]].merge(households, on=home)
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

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
    codes = _Codes(features)
    return _homes(codes) | _flagged(codes, family)


def sibling_households_both(features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """`sibling_households` with FAMILY and with NEARBY_FAMILY, sharing the home look-ups."""
    codes = _Codes(features)
    homes = _homes(codes)
    return homes | _flagged(codes, FAMILY), homes | _flagged(codes, NEARBY_FAMILY)


class _Codes:
    """Each feature column as integer codes (-1 for null), worked out once: the group-bys
    below run on integers, not on a million strings."""

    def __init__(self, features: pd.DataFrame) -> None:
        self.features = features
        self.rows = features["unique_id"].to_numpy(dtype=np.int64)
        self._codes: dict[str, np.ndarray] = {}

    def __getitem__(self, column: str) -> np.ndarray:
        if column not in self._codes:
            self._codes[column] = pd.factorize(self.features[column])[0].astype(np.int64)
        return self._codes[column]


def _group(columns: list[np.ndarray]) -> np.ndarray:
    """A dense code per distinct combination of `columns`' codes; -1 where any is null."""
    group = columns[0].copy()
    for column in columns[1:]:
        known = (group >= 0) & (column >= 0)
        combined = group[known] * (int(column.max()) + 1) + column[known]
        group = np.full(len(group), -1, dtype=np.int64)
        group[known] = pd.factorize(combined)[0]
    return group


def _with_two(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Per group code: do its rows hold two or more distinct `value`s? (Rows where either
    is null are left out.)"""
    known = (group >= 0) & (value >= 0)
    width = int(value.max()) + 1 if len(value) else 1
    pairs = pd.unique(group[known] * width + value[known])
    counts = np.bincount(pairs // max(width, 1), minlength=int(group.max()) + 1)
    return counts >= 2


def _homes(codes: _Codes) -> np.ndarray:
    return _flagged(codes, ("postcode",)) | _flagged(codes, ("address",))


def _flagged(codes: _Codes, key: tuple[str, ...]) -> np.ndarray:
    """Records in a (date of birth, `key`) group where one agency holds two differently named
    children, or two valid NHS numbers share the group."""
    flagged = np.zeros(len(codes.rows), dtype=bool)
    home = _group([codes[c] for c in ("dob", *key)]) if len(flagged) else flagged
    if not (home >= 0).any():
        return flagged
    name = codes["first_name_key"]
    # Records with an agency, a first name and the whole home: the ones that can be flagged.
    member = (home >= 0) & (codes["agency"] >= 0) & (name >= 0)
    agency_home = _group([np.where(member, codes["agency"], -1), home])
    two_names = _with_two(agency_home, name)
    households = np.zeros(int(home.max()) + 1, dtype=bool)
    households[home[member][two_names[agency_home[member]]]] = True
    # Two valid NHS numbers with one date of birth in one family or home: two children.
    households |= _with_two(home, codes["nhs_number"])
    flagged[codes.rows[member & households[np.maximum(home, 0)]]] = True
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

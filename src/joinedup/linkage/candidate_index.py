"""An in-memory index of linked source records for real-time matching ("is this child known?").

Built once from the linked records (the `link_records` input columns plus `cluster_id`, the
child) and a saved model; then each query costs a few dictionary look-ups and a few hundred
pair scorings in Python - milliseconds, where Splink's `predict_between` spends hundreds of
milliseconds planning and running SQL for one record.

- **Blocking keys** are held as sorted arrays of record positions with a dictionary from key
  to slice: a valid NHS number, permanent UPN (current or former), LA child id, another
  identifier, date of birth, date of birth with day and month swapped, first and family
  names swapped, canonical first name + family-name Soundex, postcode + first-name
  Soundex, family name + postcode, first-name Soundex + family-name Soundex + year of
  birth, and - only for a query with no date of birth - the
  two name Soundexes alone. Together they find every pair the real-time Splink
  blocking rules find (`realtime.realtime_blocking_rules`), and more.
- **Scoring** uses the same comparison levels and m/u weights as the trained Splink model
  (`levels.LevelScorer`), then the batch rules (`rules.apply_rules`: identifier, twin guard)
  and the per-child ranking of `realtime`.

Pure Python with numpy/pandas: no Django, no SQL engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from joinedup.linkage.fast_rules import PairRules
from joinedup.linkage.levels import LevelScorer
from joinedup.linkage.prepare import FEATURE_COLUMNS, prepare_records
from joinedup.linkage.realtime import Candidate, evidence, prepare_query
from joinedup.linkage.thresholds import CANDIDATE_FLOOR

__all__ = ["BLOCKING_KEYS", "CandidateIndex"]

_SEP = "\x1f"  # joins the parts of a compound key; never in a normalised value
_LISTS = ("first_name_canon", "given_tokens", "family_name_parts", "upn_set")
# The prepared features a record is scored on: all but the row's own id and source.
_COLUMNS = tuple(c for c in FEATURE_COLUMNS if c not in ("unique_id", "agency", "record_id"))


@dataclass(frozen=True)
class BlockingKey:
    """Query columns looked up against index columns (equal, part by part)."""

    name: str
    query: tuple[str, ...]
    index: tuple[str, ...]
    only_without: str = ""  # used only when the query lacks this column (a looser key)


def _key(name: str, *columns: str, only_without: str = "") -> BlockingKey:
    return BlockingKey(name, columns, columns, only_without)


BLOCKING_KEYS: tuple[BlockingKey, ...] = (
    _key("nhs number", "nhs_number"),
    _key("upn", "upn_set"),  # any current or former UPN in common
    _key("la child id", "la_child_id"),
    _key("other identifier", "other_id"),
    BlockingKey("names swapped", ("first_name", "family_name"), ("family_name", "first_name")),
    _key("date of birth", "dob"),
    BlockingKey("date of birth, day and month swapped", ("dob_swap",), ("dob",)),
    _key("first name + family name sound", "first_name_key", "family_name_sx"),
    _key("postcode + first name sound", "postcode", "first_name_sx"),
    _key("family name + postcode", "family_name", "postcode"),
    _key("name sounds + birth year", "first_name_sx", "family_name_sx", "dob_year"),
    # With no date of birth to narrow by, a misspelt first name still finds the child.
    _key("name sounds", "first_name_sx", "family_name_sx", only_without="dob"),
)


class _Postings:
    """key -> the positions of the records holding it, as one sorted array and offsets."""

    def __init__(self, keys: pd.Series) -> None:
        present = keys.dropna()
        codes, uniques = pd.factorize(present, sort=False)
        positions = present.index.to_numpy(dtype=np.int64)
        order = np.argsort(codes, kind="stable")
        self.positions = positions[order].astype(np.int32)
        counts = np.bincount(codes, minlength=len(uniques))
        self.offsets = np.zeros(len(uniques) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.offsets[1:])
        self.code = {key: i for i, key in enumerate(uniques.tolist())}

    def get(self, key: str) -> np.ndarray:
        i = self.code.get(key)
        if i is None:
            return self.positions[:0]
        return self.positions[self.offsets[i] : self.offsets[i + 1]]


def _compound(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    """One string key per row from `columns` (null when any part is null); list columns are
    exploded, one row per element, keeping the record's position as the index."""
    parts = []
    for column in columns:
        values = frame[column]
        if column in _LISTS:
            values = values.explode()
        parts.append(values.astype("object"))
    key = parts[0].where(parts[0].notna(), None)
    for part in parts[1:]:
        joined = key.astype("object") + _SEP + part.where(part.notna(), None).astype("object")
        key = joined.where(key.notna() & part.notna(), None)
    return key


def _query_keys(query: dict[str, Any], columns: tuple[str, ...]) -> list[str]:
    values: list[list[str]] = []
    for column in columns:
        value = query.get(column)
        if value is None:
            return []
        values.append([str(v) for v in value] if column in _LISTS else [str(value)])
    keys = [""]
    for options in values:
        keys = [f"{k}{_SEP}{o}" if k else o for k in keys for o in options]
    return keys


def _intern(values: Iterable[Any], is_list: bool) -> list[Any]:
    """The column as a list, equal values sharing one object (a 1M-record index repeats
    names and postcodes many times)."""
    seen: dict[Any, Any] = {}
    out: list[Any] = []
    for value in values:
        if value is None or (isinstance(value, float) and value != value):
            out.append(None)
            continue
        if is_list:
            value = tuple(value)
        out.append(seen.setdefault(value, value))
    return out


class CandidateIndex:
    """Linked records held in memory for real-time matching against one saved model."""

    def __init__(self, records: pd.DataFrame, *, model_json: str) -> None:
        """`records`: the `link_records` input columns plus `cluster_id` (the child)."""
        self.scorer = LevelScorer(model_json)
        self.rules = PairRules(model_json)
        self.model_json = model_json
        records = records.reset_index(drop=True)
        features = prepare_records(records.drop(columns=["cluster_id"]))
        keys = records[["agency", "record_id", "cluster_id"]].astype(str)
        keys = keys.assign(
            agency=keys["agency"].str.strip(), record_id=keys["record_id"].str.strip()
        ).drop_duplicates(["agency", "record_id"], keep="first")
        features = features.merge(keys, on=["agency", "record_id"], how="left")
        self.size = len(features)
        self.cluster_ids: list[str] = _intern(features["cluster_id"], False)
        columns = [_intern(features[c], c in _LISTS) for c in _COLUMNS]
        self.rows: list[tuple[Any, ...]] = list(zip(*columns, strict=True))
        del columns
        self.postings = {k.name: _Postings(_compound(features, k.index)) for k in BLOCKING_KEYS}

    def __len__(self) -> int:
        return self.size

    def record(self, position: int) -> dict[str, Any]:
        return dict(zip(_COLUMNS, self.rows[position], strict=True))

    def candidates(self, query: dict[str, Any]) -> np.ndarray:
        """Positions of the records sharing at least one blocking key with the query."""
        found = [
            self.postings[k.name].get(key)
            for k in BLOCKING_KEYS
            if not (k.only_without and query.get(k.only_without) is not None)
            for key in _query_keys(query, k.query)
        ]
        if not found:
            return np.zeros(0, dtype=np.int32)
        return np.unique(np.concatenate(found))

    def match(self, person: dict[str, Any], *, top: int = 5) -> list[Candidate]:
        """The `top` most likely children for `person` (any of realtime.PERSON_FIELDS),
        most likely first. Raises ValueError for a field that is not an identity field."""
        query = prepare_query(person)
        return self.rank(query, self.candidates(query).tolist(), top=top)

    def rank(self, query: dict[str, Any], positions: list[int], *, top: int) -> list[Candidate]:
        """The children of the records at `positions`, scored against the prepared query.

        Per child the strongest record wins (ties: the first record), as in `realtime`: a
        shared identifier not contradicted is decisive, and a child any of whose records the
        twin guard calls a different child is never offered.
        """
        names = self.scorer.names
        best: dict[str, tuple[float, str, list[int]]] = {}
        guarded: set[str] = set()
        memo = self.scorer.new_memo()
        for position in positions:
            gammas, weight = self.scorer.score_against(self.record(position), query, memo)
            gamma = dict(zip(names, gammas, strict=True))
            ruled = self.rules.decide(gamma, weight, _probability(weight))
            cluster = self.cluster_ids[position]
            if ruled.decided_by == "twin_guard":
                guarded.add(cluster)
            held = best.get(cluster)
            if held is None or ruled.probability > held[0]:
                best[cluster] = (ruled.probability, ruled.decided_by, gammas)
        candidates = []
        for cluster, (probability, decided_by, gammas) in best.items():
            if decided_by != "identifier" and cluster in guarded:
                continue  # the twin guard: one of this child's records is a different child
            if probability < CANDIDATE_FLOOR:
                continue
            row = {f"gamma_{c}": g for c, g in zip(names, gammas, strict=True)}
            candidates.append(
                Candidate(
                    cluster_id=cluster,
                    match_probability=probability,
                    evidence=evidence(row, decided_by),
                    decided_by="identifier" if decided_by == "identifier" else "model",
                )
            )
        candidates.sort(key=lambda c: (-c.match_probability, c.cluster_id))
        return candidates[:top]


def _probability(weight: float) -> float:
    """Splink's match probability from a match weight."""
    if weight > 1000 or weight < -1000:  # 2**weight would overflow; the limit is exact enough
        return 1.0 if weight > 0 else 0.0
    bayes = 2.0**weight
    return bayes / (1.0 + bayes)

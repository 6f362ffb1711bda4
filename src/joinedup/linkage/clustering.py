"""Clustering with cannot-link constraints: greedy, strongest evidence first.

Plain connected components over accepted pairs lets one ambiguous record chain two children
together (twin A - police record with no first name - twin B). Instead edges are added one by
one, strongest first, with a union-find; an edge is refused when joining its two clusters would
put together

- two records that must stay apart (a reviewed non-match or a twin-guard pair), or
- two different valid NHS numbers, or two sets of permanent UPNs with none in common
  (a child has one NHS number and keeps its UPN; a reviewed match may still join them).

Reviewed matches go first (they only respect explicit cannot-links), then identifier links,
then model links by descending match weight, ties broken by record ids, so the result is
deterministic. Refused edges are returned so they can be shown for review. Cost is near-linear:
sets are merged small into large.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Refused", "cluster", "cluster_arrays"]


@dataclass
class _Group:
    members: set[int]
    forbid: set[int] = field(default_factory=set)
    nhs: set[str] = field(default_factory=set)
    upn: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Refused:
    left: int
    right: int
    reason: str


class _Clusters:
    def __init__(self, n: int, nhs: Sequence[str | None], upns: Sequence[Iterable[str] | None]):
        self.parent = list(range(n))
        self.groups: dict[int, _Group] = {}
        for i in range(n):
            number = nhs[i]
            self.groups[i] = _Group(
                members={i},
                nhs={number} if number else set(),
                upn=set(upns[i] or ()),
            )

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def forbid(self, a: int, b: int) -> None:
        self.groups[self.find(a)].forbid.add(b)
        self.groups[self.find(b)].forbid.add(a)

    def conflict(self, ra: int, rb: int, *, identifiers: bool) -> str:
        a, b = self.groups[ra], self.groups[rb]
        small, large = (a, b) if len(a.members) <= len(b.members) else (b, a)
        if not small.members.isdisjoint(large.forbid):
            return "would join records that must stay apart"
        if identifiers and a.nhs and b.nhs and a.nhs.isdisjoint(b.nhs):
            return "would join two different NHS numbers"
        if identifiers and a.upn and b.upn and a.upn.isdisjoint(b.upn):
            return "would join records with different UPNs"
        return ""

    def union(self, ra: int, rb: int) -> None:
        a, b = self.groups[ra], self.groups[rb]
        if len(a.members) < len(b.members):
            ra, rb, a, b = rb, ra, b, a
        self.parent[rb] = ra
        a.members |= b.members
        a.forbid |= b.forbid
        a.nhs |= b.nhs
        a.upn |= b.upn
        del self.groups[rb]


def cluster(
    n: int,
    *,
    must_link: Iterable[tuple[int, int]],
    edges: Iterable[tuple[int, int]],
    cannot_link: Iterable[tuple[int, int]],
    nhs: Sequence[str | None],
    upns: Sequence[Iterable[str] | None],
) -> tuple[list[int], list[Refused]]:
    """Cluster records 0..n-1. `edges` must already be in order, strongest first.

    Returns (label per record = the smallest record index in its cluster, refused edges).
    """
    state = _Clusters(n, nhs, upns)
    for a, b in cannot_link:
        state.forbid(a, b)
    refused: list[Refused] = []
    for identifiers, pairs in ((False, must_link), (True, edges)):
        for a, b in pairs:
            ra, rb = state.find(a), state.find(b)
            if ra == rb:
                continue
            reason = state.conflict(ra, rb, identifiers=identifiers)
            if reason:
                refused.append(Refused(a, b, reason))
            else:
                state.union(ra, rb)
    labels = [0] * n
    for root, group in state.groups.items():
        label = min(group.members)
        for member in group.members:
            labels[member] = label
        del root
    return labels, refused


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Connected components over edges, as the smallest record index in each (numpy, no loop
    over edges in Python: min-label propagation with pointer jumping)."""
    labels = np.arange(n, dtype=np.int64)
    if len(left) == 0:
        return labels
    while True:
        low = np.minimum(labels[left], labels[right])
        before = labels.copy()
        np.minimum.at(labels, left, low)
        np.minimum.at(labels, right, low)
        while True:  # pointer jumping: every label points at a root
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels, before):
            return labels


def cluster_arrays(
    n: int,
    *,
    must_link: tuple[np.ndarray, np.ndarray],
    edges: tuple[np.ndarray, np.ndarray],
    cannot_link: tuple[np.ndarray, np.ndarray],
    nhs: np.ndarray,
    upns: Sequence[Iterable[str] | None],
) -> tuple[np.ndarray, list[Refused]]:
    """`cluster` for large inputs, with the same result.

    Connected components are found with numpy first. A component holding no cannot-link pair,
    at most one NHS number and at most one UPN is exactly what the greedy clustering would
    build, so it is taken as it is; only the few components with a possible conflict run the
    greedy clustering (on their own records and edges, in the same order).
    """
    must_l, must_r = (np.asarray(a, dtype=np.int64) for a in must_link)
    edge_l, edge_r = (np.asarray(a, dtype=np.int64) for a in edges)
    cannot_l, cannot_r = (np.asarray(a, dtype=np.int64) for a in cannot_link)
    labels = _components(n, np.concatenate([must_l, edge_l]), np.concatenate([must_r, edge_r]))

    hard = np.zeros(n, dtype=bool)  # per root: the component needs the greedy clustering
    inside = labels[cannot_l] == labels[cannot_r]
    hard[labels[cannot_l[inside]]] = True
    nhs = np.asarray(nhs, dtype=object)
    has_nhs = pd.notna(nhs)
    numbers = pd.DataFrame({"root": labels[has_nhs], "value": nhs[has_nhs]})
    upn_rows = [
        (labels[i], u) for i, values in enumerate(upns) if values is not None for u in values
    ]
    codes = pd.DataFrame(upn_rows, columns=["root", "value"])
    for frame in (numbers, codes):
        if not frame.empty:
            distinct = frame.drop_duplicates().groupby("root").size()
            hard[distinct.index[distinct.to_numpy() > 1].to_numpy(dtype=np.int64)] = True
    if len(must_l):
        hard[labels[must_l]] = True  # reviewed matches: let the greedy clustering order them

    hard_records = np.flatnonzero(hard[labels])
    if len(hard_records) == 0:
        return labels, []
    local = np.full(n, -1, dtype=np.int64)
    local[hard_records] = np.arange(len(hard_records))

    def within(a: np.ndarray, b: np.ndarray) -> list[tuple[int, int]]:
        keep = (local[a] >= 0) & (local[b] >= 0)
        return list(zip(local[a[keep]].tolist(), local[b[keep]].tolist(), strict=True))

    sub_labels, sub_refused = cluster(
        len(hard_records),
        must_link=within(must_l, must_r),
        edges=within(edge_l, edge_r),
        cannot_link=within(cannot_l, cannot_r),
        nhs=[nhs[i] if has_nhs[i] else None for i in hard_records],
        upns=[upns[int(i)] for i in hard_records],
    )
    labels = labels.copy()
    labels[hard_records] = hard_records[np.asarray(sub_labels, dtype=np.int64)]
    refused = [
        Refused(int(hard_records[r.left]), int(hard_records[r.right]), r.reason)
        for r in sub_refused
    ]
    return labels, refused


def ambiguous_edges(edges: pd.DataFrame, apart: pd.DataFrame, *, margin: float) -> pd.Series:
    """Accepted edges not to follow: a record about equally close to two records that must be
    kept apart (guarded twins, two NHS numbers or UPNs, a reviewed non-match).

    `edges` has unique_id_l, unique_id_r, match_weight (index kept); `apart` the pairs that
    must stay apart. Edge x-y1 and x-y2 with y1, y2 apart and weights within `margin` bits
    of each other: which child x belongs to is a guess, so both edges go to review instead.
    (Where one edge is clearly stronger, the greedy clustering follows it and refuses the
    other.) Returns a boolean Series on the index of `edges`.
    """
    flags = pd.Series(False, index=edges.index)
    if edges.empty or apart.empty:
        return flags
    both = (
        pd.concat(
            [
                pd.DataFrame(
                    {
                        "x": edges["unique_id_l"],
                        "y": edges["unique_id_r"],
                        "w": edges["match_weight"],
                    }
                ),
                pd.DataFrame(
                    {
                        "x": edges["unique_id_r"],
                        "y": edges["unique_id_l"],
                        "w": edges["match_weight"],
                    }
                ),
            ]
        )
        .rename_axis("edge")
        .reset_index()
    )
    apart_set = pd.concat(
        [
            pd.DataFrame({"y1": apart["unique_id_l"], "y2": apart["unique_id_r"]}),
            pd.DataFrame({"y1": apart["unique_id_r"], "y2": apart["unique_id_l"]}),
        ]
    ).astype(np.int64)
    # Only edges to a record that must be kept apart from another, from a record with two or
    # more such edges, can sit between two children.
    both = both[both["y"].isin(apart_set["y1"])]
    counts = both["x"].value_counts()
    both = both[both["x"].isin(counts.index[counts.to_numpy() >= 2])]
    triples = both.merge(both, on="x", suffixes=("1", "2"))
    triples = triples[triples["y1"] < triples["y2"]]
    triples = triples.astype({"y1": np.int64, "y2": np.int64}).merge(apart_set, on=["y1", "y2"])
    close = (triples["w1"].astype(float) - triples["w2"].astype(float)).abs() < margin
    hit = pd.unique(np.concatenate([triples.loc[close, "edge1"], triples.loc[close, "edge2"]]))
    flags[flags.index.isin(hit)] = True
    return flags

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

__all__ = ["Refused", "cluster"]


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

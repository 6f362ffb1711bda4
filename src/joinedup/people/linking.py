"""Turning a linkage run into the person index, keeping every existing child's id.

The rules (docs/linkage.md):
- A record already linked to a child stays with it; only a person's reviewed decision moves it.
- A cluster with no linked records becomes a new child with a new id.
- A cluster whose linked records all belong to one child: its new records join that child.
- A cluster spanning several existing children (the model proposes a merge): nothing is
  merged. New records join the child holding most of the cluster (ties: the oldest child) and
  a review item is raised between the children.
- A child whose records the model now puts in different clusters (a proposed split) keeps them
  all, and a review item is raised.
Uncertain pairs from the model are raised as review items too. A false merge is worse than a
missed link, so the model alone never merges two existing children.
A pair a person has decided (same child / different children) is not raised again, and a pair
already waiting in the review queue is not raised twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.chronology.models import Event
from joinedup.governance.models import StaffUser
from joinedup.linkage.identifiers import (
    InvalidIdentifier,
    check_la_child_id,
    check_nhs_number,
    check_upn,
)
from joinedup.people.models import (
    Child,
    DecidedBy,
    Identifier,
    IdentifierScheme,
    LinkDecision,
    LinkDecisionKind,
    LinkRun,
    SourceRecord,
)
from joinedup.people.record_follow import records_followed

RecordKey = tuple[str, str]  # (agency code, record id)

# The evidence of the review items this module raises (the review queue sorts by them).
MERGE_PROPOSAL = "The model puts these two children's records together: merge only after review."
SPLIT_PROPOSAL = "The model now separates records of one child: split only after review."


@dataclass(frozen=True)
class ScoredPair:
    left: RecordKey
    right: RecordKey
    probability: float | None
    evidence: str = ""


@dataclass(frozen=True)
class ApplySummary:
    records: int
    clusters: int
    children_created: int
    records_assigned: int
    review_items: int


def _parse_dob(raw: str) -> date | None:
    raw = (raw or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def _sex(raw: str) -> str:
    value = (raw or "").strip().upper()[:1]
    return value if value in {"F", "M"} else "U"


def _best(records: list[SourceRecord]) -> SourceRecord:
    """The record whose identity is most complete (ties: the earliest received)."""

    def score(r: SourceRecord) -> tuple[int, float]:
        filled = sum(
            bool(v)
            for v in (
                r.given_name,
                r.family_name,
                _parse_dob(r.date_of_birth),
                r.sex,
                r.postcode,
                r.nhs_number,
                r.upn,
            )
        )
        return filled, -r.received_at.timestamp()

    return max(records, key=score)


def child_identity(records: list[SourceRecord]) -> dict[str, Any]:
    """A child's identity fields, taken from the most complete of its records."""
    best = _best(records)
    return {
        "given_name": best.given_name[:100],
        "family_name": best.family_name[:100],
        "date_of_birth": _parse_dob(best.date_of_birth),
        "sex": _sex(best.sex),
    }


def identifiers_for(child: Child, record: SourceRecord) -> list[Identifier]:
    """The valid identifiers a source record gives its child (invalid ones stay on the record)."""
    out = []
    for scheme, value, check in (
        (IdentifierScheme.NHS_NUMBER, record.nhs_number, check_nhs_number),
        (IdentifierScheme.UPN, record.upn, check_upn),
        (IdentifierScheme.FORMER_UPN, record.former_upn, check_upn),
        (IdentifierScheme.LA_CHILD_ID, record.la_child_id, check_la_child_id),
    ):
        if not value:
            continue
        try:
            result = check(value)
        except InvalidIdentifier:
            continue  # kept as received on the source record; not an identifier of the child
        out.append(
            Identifier(
                child=child,
                source_record=record,
                scheme=scheme,
                value=result.value,
                is_temporary=result.is_temporary,
                is_test_range=result.is_test,
            )
        )
    return out


def _review(
    run: LinkRun, left: SourceRecord, right: SourceRecord, probability: float | None, evidence: str
) -> LinkDecision:
    return LinkDecision(
        run=run,
        record_left=left,
        record_right=right,
        decision=LinkDecisionKind.REVIEW,
        decided_by=DecidedBy.MODEL,
        probability=probability,
        evidence=evidence,
    )


def _not_already_settled(decisions: list[LinkDecision]) -> list[LinkDecision]:
    """Drop review items for pairs a person has decided or that are already in the queue."""
    settled = {
        frozenset(pair)
        for pair in LinkDecision.objects.filter(
            Q(decided_by=DecidedBy.PERSON) | Q(decision=LinkDecisionKind.REVIEW), is_active=True
        ).values_list("record_left_id", "record_right_id")
    }
    out = []
    for d in decisions:
        pair = frozenset((d.record_left.pk, d.record_right.pk))
        if len(pair) == 2 and pair not in settled:
            settled.add(pair)
            out.append(d)
    return out


def _records_for(members: dict[str, list[RecordKey]]) -> dict[RecordKey, SourceRecord]:
    """Every source record by (agency code, record id); ValueError if linkage returned a key
    the index does not hold."""
    records = {
        (r.agency.code, r.record_id): r
        for r in SourceRecord.objects.select_related("agency", "child")
    }
    missing = [k for keys in members.values() for k in keys if k not in records]
    if missing:
        raise ValueError(f"Linkage returned {len(missing)} unknown record(s), e.g. {missing[0]}.")
    return records


def _cluster_child(
    run: LinkRun, cluster: list[SourceRecord]
) -> tuple[Child, bool, list[LinkDecision]]:
    """(the child a cluster's unlinked records join, whether it is new, merge proposals): a new
    child when none of its records is linked; else the child most of them belong to (the
    lowest pk on a tie), with a merge proposal for each other child among them."""
    linked = [r for r in cluster if r.child_id is not None]
    if not linked:
        child = Child(**child_identity(cluster))
        child.full_clean()
        child.save()
        return child, True, []
    counts: dict[int, int] = defaultdict(int)
    for r in linked:
        counts[r.child_id] += 1  # type: ignore[index]
    target_pk = min(counts, key=lambda pk: (-counts[pk], pk))
    anchor = next(r for r in linked if r.child_id == target_pk)
    assert anchor.child is not None
    merges = []
    if len({r.child_id for r in linked}) > 1:
        for other_pk in sorted({r.child_id for r in linked} - {target_pk}):  # type: ignore[type-var]
            right = next(r for r in linked if r.child_id == other_pk)
            merges.append(_review(run, anchor, right, None, MERGE_PROPOSAL))
    return anchor.child, False, merges


def _split_proposals(
    run: LinkRun,
    clusters_of_child: dict[int, set[str]],
    members: dict[str, list[RecordKey]],
    records: dict[RecordKey, SourceRecord],
) -> list[LinkDecision]:
    """A split proposal for each child the model now puts in more than one cluster."""
    decisions = []
    for child_pk, cluster_ids in sorted(clusters_of_child.items()):
        if len(cluster_ids) < 2:
            continue
        # One of this child's records from each cluster the model now puts them in.
        per_cluster = [
            next(records[k] for k in sorted(members[cid]) if records[k].child_id == child_pk)
            for cid in sorted(cluster_ids)
        ]
        for split_off in per_cluster[1:]:
            decisions.append(_review(run, per_cluster[0], split_off, None, SPLIT_PROPOSAL))
    return decisions


@transaction.atomic
def person_index_apply(
    *,
    actor: StaffUser | None,
    run: LinkRun,
    clusters: Iterable[tuple[RecordKey, str]],
    review: Iterable[ScoredPair] = (),
) -> ApplySummary:
    """Assign every clustered record to a child (see the module docstring for the rules)."""
    members: dict[str, list[RecordKey]] = defaultdict(list)
    for key, cluster_id in clusters:
        members[cluster_id].append(key)
    records = _records_for(members)

    created = assigned = 0
    new_identifiers: list[Identifier] = []
    decisions: list[LinkDecision] = []
    clusters_of_child: dict[int, set[str]] = defaultdict(set)
    for cluster_id in sorted(members):
        cluster = [records[k] for k in sorted(members[cluster_id])]
        unlinked = [r for r in cluster if r.child_id is None]
        for r in cluster:
            if r.child_id is not None:
                clusters_of_child[r.child_id].add(cluster_id)
        target, is_new, merges = _cluster_child(run, cluster)
        created += is_new
        decisions.extend(merges)
        for r in unlinked:
            r.child = target
            new_identifiers.extend(identifiers_for(target, r))
        SourceRecord.objects.bulk_update(unlinked, ["child"], batch_size=2000)
        assigned += len(unlinked)

    decisions.extend(_split_proposals(run, clusters_of_child, members, records))
    for pair in review:
        if pair.left in records and pair.right in records:
            decisions.append(
                _review(
                    run, records[pair.left], records[pair.right], pair.probability, pair.evidence
                )
            )
    Identifier.objects.bulk_create(new_identifiers, batch_size=2000, ignore_conflicts=True)
    # Events imported before their record was linked now join the record's child.
    Event.objects.filter(
        child__isnull=True, source_record__isnull=False, source_record__child__isnull=False
    ).update(
        child=Subquery(
            SourceRecord.objects.filter(pk=OuterRef("source_record_id")).values("child_id")[:1]
        )
    )
    # So do involvements, households and relationships imported from agencies' extracts.
    records_followed()
    decisions = _not_already_settled(decisions)
    LinkDecision.objects.bulk_create(decisions, batch_size=2000)
    run.records = sum(len(v) for v in members.values())
    run.clusters = len(members)
    run.children_created = created
    run.records_assigned = assigned
    run.review_items = len(decisions)
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        actor=actor,
        action="person_index.apply",
        object_type="link_run",
        object_ref=str(run.pk),
        detail={
            "records": run.records,
            "children_created": created,
            "records_assigned": assigned,
            "review_items": len(decisions),
        },
    )
    return ApplySummary(run.records, run.clusters, created, assigned, len(decisions))

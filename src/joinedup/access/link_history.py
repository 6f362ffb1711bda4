"""A child's record-linkage history, one reviewed decision, and undoing a decision.

The history lists what linkage did to a child: items the model raised for review, and each
person's decision (same child, different children, cannot tell, undo) with who, when, why and
what changed in the index. Practitioners see it on the child's page (through the audited
`ChildAccess`); analysts see it, with an undo button, on the linkage pages. Undoing a
decision restores the index as it was and reopens the pair for review; it is a decision of
its own (`reverses`), audited like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from joinedup.access.audit import audit_record
from joinedup.access.children import ChildAccess
from joinedup.access.errors import AccessRefused
from joinedup.access.link_review import (
    LinkReviewNotFound,
    RecordIdentity,
    audit_link_children,
    link_decision_guard,
    pair_q,
    record_identity,
    require_link_reviewer,
)
from joinedup.access.writes import guarded_write
from joinedup.governance.models import StaffUser
from joinedup.people.index_changes import IndexChangeConflict, applied_reverse, children_of_records
from joinedup.people.link_evidence import REVIEW_KINDS, review_kind
from joinedup.people.models import Child, DecidedBy, LinkDecision, LinkDecisionKind, SourceRecord

_RELATED = (
    "run",
    "actor",
    "reverses",
    "record_left__agency",
    "record_left__child",
    "record_right__agency",
    "record_right__child",
)


@dataclass(frozen=True)
class HistoryEntry:
    decision_id: int
    when: datetime
    who: str
    what: str
    reason: str
    is_person: bool
    is_active: bool
    can_undo: bool
    undone: bool


@dataclass(frozen=True)
class DecisionView:
    entry: HistoryEntry
    left: RecordIdentity
    right: RecordIdentity
    review_item_id: int | None  # the open review item on this pair, if any


@dataclass(frozen=True)
class ChildLinkHistory:
    child_id: str
    merged_id: str  # the id asked for, when it was merged into child_id
    records: list[RecordIdentity]
    merged_from: list[str]
    entries: list[HistoryEntry]


# Whose records a history names: every agency's (analysts), or only the viewer's own agency's
# (practitioners: that another agency - police, health - holds a record is itself sensitive).
ALL_AGENCIES = -1


def _label(record: SourceRecord, agency_id: int | None) -> str:
    if agency_id in (ALL_AGENCIES, record.agency_id):
        return f"{record.agency.name} record {record.record_id}"
    return "another agency's record"


def _what(d: LinkDecision, agency_id: int | None = ALL_AGENCIES) -> str:
    pair = f"{_label(d.record_left, agency_id)} and {_label(d.record_right, agency_id)}"
    applied = d.applied or {}
    if d.decided_by != DecidedBy.PERSON:
        return f"Raised for review ({REVIEW_KINDS[review_kind(d.evidence)].lower()}): {pair}"
    if d.reverses_id is not None:
        return f"Undid decision {d.reverses_id}; {pair} are back in the review queue"
    if d.decision == LinkDecisionKind.REVIEW:
        return f"Looked at {pair}: cannot tell yet, left in the review queue"
    if applied.get("action") == "merge":
        return f"Same child: merged {applied['merged']} into {applied['survivor']} ({pair})"
    if applied.get("action") == "split":
        moved = d.record_right if d.record_right.pk in applied["records"] else d.record_left
        return (
            f"Different children: split {_label(moved, agency_id)} off {applied['child']} "
            f"to a new child, {applied['new_child']}"
        )
    if d.decision == LinkDecisionKind.MATCH:
        return f"Same child: {pair} confirmed as one child"
    return f"Different children: {pair} kept apart"


def _entry(
    d: LinkDecision, undone_ids: set[int], agency_id: int | None = ALL_AGENCIES
) -> HistoryEntry:
    is_person = d.decided_by == DecidedBy.PERSON
    if is_person:
        who = d.actor.display_name if d.actor else "system"
    else:
        who = f"Linkage run {d.run_id}" if d.run_id else "Linkage model"
    return HistoryEntry(
        decision_id=d.pk,
        when=d.created_at,
        who=who,
        what=_what(d, agency_id),
        reason=d.reason,
        is_person=is_person,
        is_active=d.is_active,
        can_undo=is_person
        and d.is_active
        and d.reverses_id is None
        and d.decision != LinkDecisionKind.REVIEW,
        undone=d.pk in undone_ids,
    )


def _entries(child: Child, agency_id: int | None = ALL_AGENCIES) -> list[HistoryEntry]:
    record_pks = list(SourceRecord.objects.filter(child=child).values_list("pk", flat=True))
    decisions = list(
        LinkDecision.objects.filter(
            Q(record_left_id__in=record_pks) | Q(record_right_id__in=record_pks)
        )
        .select_related(*_RELATED)
        .order_by("-created_at", "-pk")[:200]
    )
    undone = {d.reverses_id for d in decisions if d.reverses_id is not None}
    return [_entry(d, undone, agency_id) for d in decisions]


def link_history_for_child(*, access: ChildAccess) -> list[HistoryEntry]:
    """The child's linkage history for its page; the page view is the audited read.

    Other agencies' records are not named: which agencies hold a record of a child is shared
    only through agreements, on the chronology.
    """
    return _entries(access.child, access.viewer.agency_id)


def _merged_from(child: Child) -> list[str]:
    return sorted(Child.objects.filter(merged_into=child).values_list("child_id", flat=True))


def link_history_list(*, viewer: StaffUser, child_id: str) -> ChildLinkHistory:
    """An analyst's view of one child's linkage: its records' identity and its decisions."""
    require_link_reviewer(viewer, "link_history.view", child_id[:120])
    with transaction.atomic():
        child = Child.objects.filter(child_id=child_id).first()
        seen: set[int] = set()
        while child is not None and child.merged_into_id and child.pk not in seen:
            seen.add(child.pk)
            child = child.merged_into
        if child is None:
            raise LinkReviewNotFound()
        records = [
            record_identity(r)
            for r in SourceRecord.objects.filter(child=child)
            .select_related("agency", "child")
            .order_by("agency__name", "record_id")
        ]
        history = ChildLinkHistory(
            child_id=child.child_id,
            merged_id=child_id if child_id != child.child_id else "",
            records=records,
            merged_from=_merged_from(child),
            entries=_entries(child),
        )
        audit_record(
            actor=viewer,
            action="link_history.view",
            child_ref=child.child_id,
            object_type="child",
            object_ref=child.child_id,
            detail={"records": [r.key for r in records]},
        )
    return history


def access_link_decision_by_id(viewer: StaffUser, decision_id: int) -> DecisionView:
    """One decision with both records' identity; audited."""
    require_link_reviewer(viewer, "link_decision.view", str(decision_id))
    with transaction.atomic():
        d = LinkDecision.objects.filter(pk=decision_id).select_related(*_RELATED).first()
        if d is None:
            raise LinkReviewNotFound()
        undone = set(
            LinkDecision.objects.filter(reverses_id=d.pk).values_list("reverses_id", flat=True)
        )
        open_item = (
            LinkDecision.objects.filter(
                pair_q(d.record_left_id, d.record_right_id),
                is_active=True,
                decision=LinkDecisionKind.REVIEW,
            )
            .order_by("-created_at")
            .first()
        )
        view = DecisionView(
            entry=_entry(d, {u for u in undone if u is not None}),
            left=record_identity(d.record_left),
            right=record_identity(d.record_right),
            review_item_id=open_item.pk if open_item else None,
        )
        audit_link_children(
            actor=viewer,
            action="link_decision.view",
            ref=str(d.pk),
            children=sorted({c for c in (view.left.child_id, view.right.child_id) if c}),
            detail={"records": [view.left.key, view.right.key]},
        )
    return view


def link_decision_list(*, viewer: StaffUser, limit: int = 10) -> list[HistoryEntry]:
    """This reviewer's latest decisions (what they did, not whom: no identity shown)."""
    require_link_reviewer(viewer, "link_decision.list")
    decisions = list(
        LinkDecision.objects.filter(actor_id=viewer.pk, decided_by=DecidedBy.PERSON)
        .select_related(*_RELATED)
        .order_by("-created_at", "-pk")[:limit]
    )
    undone = set(
        LinkDecision.objects.filter(reverses__in=decisions).values_list("reverses_id", flat=True)
    )
    return [_entry(d, {u for u in undone if u is not None}) for d in decisions]


def _undo_valid(reason: str) -> Callable[[], None]:
    def valid() -> None:
        if not reason:
            raise AccessRefused("Give a reason for undoing the decision.")

    return valid


def link_decision_undo(*, actor: StaffUser, decision_id: int, reason: str) -> LinkDecision:
    """Undo a person's decision: restore the index and reopen the pair; a decision itself."""
    reason = (reason or "").strip()
    guard = link_decision_guard(decision_id, valid=_undo_valid(reason), review_item=False)
    with guarded_write(guard, actor=actor, action="link_decision.undo", purpose="") as write:
        d = write.target
        if not (
            d.decided_by == DecidedBy.PERSON
            and d.is_active
            and d.reverses_id is None
            and d.decision != LinkDecisionKind.REVIEW
        ):
            raise AccessRefused(
                "Only the current same-child or different-children decision on a pair can be "
                "undone."
            )
        before = children_of_records([d.record_left_id, d.record_right_id])
        try:
            applied_reverse(d.applied or {})
        except IndexChangeConflict as exc:
            raise AccessRefused(str(exc)) from exc
        LinkDecision.objects.filter(pk=d.pk).update(is_active=False)
        undo = LinkDecision(
            run=d.run,
            record_left_id=d.record_left_id,
            record_right_id=d.record_right_id,
            decision=LinkDecisionKind.REVIEW,
            decided_by=DecidedBy.PERSON,
            probability=d.probability,
            evidence=d.evidence,
            actor=actor,
            reason=reason,
            applied={"action": "undo", "undid": d.pk, "undid_action": d.applied.get("action")},
            reverses=d,
        )
        undo.full_clean()
        undo.save()
        after = children_of_records([d.record_left_id, d.record_right_id])
        audit_link_children(
            actor=actor,
            action="link_decision.undo",
            ref=str(undo.pk),
            children=sorted(set(before) | set(after)),
            detail={
                "undid": d.pk,
                "reason": reason,
                "children_before": before,
                "children_after": after,
            },
            write=write,
        )
    return undo

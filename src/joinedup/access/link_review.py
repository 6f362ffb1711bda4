"""The clerical review of record linkage: the queue, one pair side by side, and decisions.

For data analysts (`Action.REVIEW_LINKS`). They see the identity fields of agency source
records (names, date of birth, sex, postcode, address, identifiers, agency, record id) and
which child each record belongs to; never events or case detail. Every list, view and
decision is audited here, in the same transaction as the decision and the index change it
makes (`people.index_changes`). A person's decision supersedes the model's on that pair
(`is_active`) and every later `joinedup link` run keeps to it (`people.link_runs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404

from joinedup.access.audit import audit_record
from joinedup.access.errors import AccessRefused
from joinedup.access.policy import Action, role_allows
from joinedup.access.writes import Guard, GuardedWrite, Refused, audit_denied, guarded_write
from joinedup.dates import govuk_date
from joinedup.governance.models import StaffUser
from joinedup.people.index_changes import (
    IndexChangeConflict,
    children_merge,
    children_of_records,
    merge_survivor,
    record_split,
)
from joinedup.people.link_evidence import (
    REVIEW_KINDS,
    EvidenceItem,
    evidence_items,
    evidence_summary,
    review_kind,
)
from joinedup.people.models import (
    DecidedBy,
    LinkDecision,
    LinkDecisionKind,
    SourceRecord,
)

QUEUE_LIMIT = 200
OUTCOMES = {
    "match": "Same child",
    "non_match": "Different children",
    "defer": "Cannot tell: leave for later",
}
# Identity fields shown side by side, in order; nothing else of a source record is shown.
IDENTITY_ROWS = (
    ("given_name", "Given name"),
    ("middle_names", "Middle names"),
    ("family_name", "Family name"),
    ("date_of_birth", "Date of birth"),
    ("sex", "Sex"),
    ("postcode", "Postcode"),
    ("address", "Address"),
    ("nhs_number", "NHS number"),
    ("upn", "UPN"),
    ("former_upn", "Former UPN"),
    ("la_child_id", "LA child id"),
)


class LinkReviewNotFound(Http404):
    """A review item or decision that is missing, or that the viewer's role may not see."""

    def __init__(self) -> None:
        super().__init__("No review item found.")


@dataclass(frozen=True)
class RecordIdentity:
    key: str  # "agency-code:record-id"
    agency: str
    record_id: str
    name: str
    date_of_birth: str
    child_id: str  # "" when not linked
    values: dict[str, str]


@dataclass(frozen=True)
class FieldRow:
    label: str
    left: str
    right: str
    differs: bool


@dataclass(frozen=True)
class ReviewQueueEntry:
    item_id: int
    kind: str
    kind_label: str
    probability: float | None
    left: RecordIdentity
    right: RecordIdentity
    raised_at: datetime
    deferred: bool
    reopened: bool


@dataclass(frozen=True)
class ReviewQueue:
    entries: list[ReviewQueueEntry]
    total: int  # open items of the chosen kind (entries is at most QUEUE_LIMIT of them)
    counts: list[tuple[str, str, int]]  # (kind, label, open items) for every kind
    kind: str


@dataclass(frozen=True)
class ReviewItem:
    item_id: int
    is_open: bool
    kind: str
    kind_label: str
    probability: float | None
    summary: str
    evidence_for: list[EvidenceItem]
    evidence_against: list[EvidenceItem]
    evidence_neutral: list[EvidenceItem]
    left: RecordIdentity
    right: RecordIdentity
    rows: list[FieldRow]
    same_child: bool
    other_records: dict[str, list[RecordIdentity]]  # child id -> its other records
    run_id: int | None
    raised_at: datetime
    notes: list[str]  # earlier "cannot tell" reasons and undos on this pair
    latest_decision_id: int | None  # when not open: the decision that closed it


def may_review_links(viewer: StaffUser) -> bool:
    return viewer.is_active and role_allows(viewer.role, Action.REVIEW_LINKS)


def require_link_reviewer(viewer: StaffUser, action: str, ref: str = "") -> None:
    """For reads: LinkReviewNotFound (audited) unless the viewer reviews record linkage."""
    if may_review_links(viewer):
        return
    audit_denied(
        actor=viewer, action=action, reason="role", object_type="link_decision", object_ref=ref
    )
    raise LinkReviewNotFound()


def link_decision_guard(
    decision_id: int, *, valid: Callable[[], None], review_item: bool
) -> Guard[LinkDecision]:
    """For `guarded_write`: the decision (locked) a reviewer acts on: with `review_item`, an
    open review item. A role that does not review links is refused (audited, 404); `valid()`
    then checks the request (AccessRefused); a decision that does not exist is a 404."""

    def open_(actor: StaffUser, purpose: str) -> LinkDecision:
        if not may_review_links(actor):
            raise Refused("role")
        valid()
        rows = LinkDecision.objects.select_for_update().filter(pk=decision_id)
        if review_item:
            rows = rows.filter(decision=LinkDecisionKind.REVIEW)
        item = rows.first()
        if item is None:
            raise LinkReviewNotFound()
        return item

    return Guard(
        open_, LinkReviewNotFound, object_type="link_decision", object_ref=str(decision_id)
    )


def _normalise(field: str, value: str) -> str:
    value = " ".join((value or "").split()).casefold()
    return value.replace(" ", "") if field in {"postcode", "nhs_number", "upn"} else value


def record_identity(record: SourceRecord) -> RecordIdentity:
    values = {field: str(getattr(record, field) or "") for field, _ in IDENTITY_ROWS}
    return RecordIdentity(
        key=f"{record.agency.code}:{record.record_id}",
        agency=record.agency.name,
        record_id=record.record_id,
        name=" ".join(p for p in (record.given_name, record.middle_names, record.family_name) if p),
        date_of_birth=record.date_of_birth,
        child_id=record.child.child_id if record.child is not None else "",
        values=values,
    )


def _rows(left: RecordIdentity, right: RecordIdentity) -> list[FieldRow]:
    rows = []
    for field, label in IDENTITY_ROWS:
        a, b = left.values[field], right.values[field]
        if not a and not b:
            continue
        differs = bool(a and b and _normalise(field, a) != _normalise(field, b))
        rows.append(FieldRow(label, a, b, differs))
    return rows


def _open_items() -> Any:
    return LinkDecision.objects.filter(
        is_active=True, decision=LinkDecisionKind.REVIEW
    ).select_related(
        "record_left__agency", "record_left__child", "record_right__agency", "record_right__child"
    )


def _entry(item: LinkDecision) -> ReviewQueueEntry:
    kind = review_kind(item.evidence)
    return ReviewQueueEntry(
        item_id=item.pk,
        kind=kind,
        kind_label=REVIEW_KINDS[kind],
        probability=item.probability,
        left=record_identity(item.record_left),
        right=record_identity(item.record_right),
        raised_at=item.created_at,
        deferred=item.decided_by == DecidedBy.PERSON and item.reverses_id is None,
        reopened=item.reverses_id is not None,
    )


def link_review_list(*, viewer: StaffUser, kind: str = "") -> ReviewQueue:
    """Open review items, most dangerous kind first, then most likely, then oldest; audited."""
    require_link_reviewer(viewer, "link_review.list")
    kind = kind if kind in REVIEW_KINDS else ""
    order = list(REVIEW_KINDS)
    with transaction.atomic():
        latest: dict[frozenset[int], ReviewQueueEntry] = {}
        for item in _open_items().order_by("created_at", "pk"):
            latest[frozenset((item.record_left_id, item.record_right_id))] = _entry(item)
        entries = sorted(
            latest.values(),
            key=lambda e: (
                e.deferred,
                order.index(e.kind),
                -(e.probability if e.probability is not None else -1.0),
                e.raised_at,
                e.item_id,
            ),
        )
        counts = [
            (k, label, sum(e.kind == k for e in entries)) for k, label in REVIEW_KINDS.items()
        ]
        chosen = [e for e in entries if not kind or e.kind == kind]
        shown = chosen[:QUEUE_LIMIT]
        audit_record(
            actor=viewer,
            action="link_review.list",
            object_type="link_decision",
            detail={"kind": kind, "total": len(chosen), "shown": [e.item_id for e in shown]},
        )
    return ReviewQueue(entries=shown, total=len(chosen), counts=counts, kind=kind)


def pair_q(left_pk: int, right_pk: int) -> Q:
    return Q(record_left_id=left_pk, record_right_id=right_pk) | Q(
        record_left_id=right_pk, record_right_id=left_pk
    )


def _other_records(child_ids: set[str], exclude: set[int]) -> dict[str, list[RecordIdentity]]:
    out: dict[str, list[RecordIdentity]] = {c: [] for c in sorted(child_ids)}
    records = (
        SourceRecord.objects.filter(child__child_id__in=child_ids)
        .exclude(pk__in=exclude)
        .select_related("agency", "child")
        .order_by("agency__name", "record_id")
    )
    for record in records[:200]:
        assert record.child is not None
        out[record.child.child_id].append(record_identity(record))
    return out


def audit_link_children(
    *,
    actor: StaffUser,
    action: str,
    ref: str,
    children: list[str],
    detail: dict[str, Any],
    write: GuardedWrite[Any] | None = None,
) -> None:
    """One entry per child touched, so that each child's access history shows it (a change's
    entries through its `write`)."""
    for child_id in children or [""]:
        if write is not None:
            write.audit(
                action=action,
                child_ref=child_id,
                object_type="link_decision",
                object_ref=ref,
                detail=detail,
            )
        else:
            audit_record(
                actor=actor,
                action=action,
                child_ref=child_id,
                object_type="link_decision",
                object_ref=ref,
                detail=detail,
            )


def access_link_review_by_id(viewer: StaffUser, item_id: int) -> ReviewItem:
    """One review item: both records side by side with the evidence; audited."""
    require_link_reviewer(viewer, "link_review.view", str(item_id))
    with transaction.atomic():
        item = (
            LinkDecision.objects.filter(pk=item_id, decision=LinkDecisionKind.REVIEW)
            .select_related(
                "run",
                "record_left__agency",
                "record_left__child",
                "record_right__agency",
                "record_right__child",
            )
            .first()
        )
        if item is None:
            raise LinkReviewNotFound()
        left, right = record_identity(item.record_left), record_identity(item.record_right)
        items = evidence_items(item.evidence, item.run.model if item.run else {})
        pair = LinkDecision.objects.filter(pair_q(item.record_left_id, item.record_right_id))
        notes = [
            f"{govuk_date(d.created_at)}, {d.actor.display_name if d.actor else 'system'}: "
            + ("undid the decision: " if d.reverses_id else "could not tell: ")
            + d.reason
            for d in pair.filter(decided_by=DecidedBy.PERSON, decision=LinkDecisionKind.REVIEW)
            .select_related("actor")
            .order_by("created_at")
        ]
        latest = pair.filter(is_active=True).order_by("-created_at", "-pk").first()
        children = {c for c in (left.child_id, right.child_id) if c}
        kind = review_kind(item.evidence)
        result = ReviewItem(
            item_id=item.pk,
            is_open=item.is_active,
            kind=kind,
            kind_label=REVIEW_KINDS[kind],
            probability=item.probability,
            summary=evidence_summary(item.evidence),
            evidence_for=[e for e in items if e.direction == "for"],
            evidence_against=[e for e in items if e.direction == "against"],
            evidence_neutral=[e for e in items if e.direction == "neutral"],
            left=left,
            right=right,
            rows=_rows(left, right),
            same_child=bool(left.child_id) and left.child_id == right.child_id,
            other_records=_other_records(children, {item.record_left_id, item.record_right_id}),
            run_id=item.run_id,
            raised_at=item.created_at,
            notes=notes,
            latest_decision_id=None if item.is_active or latest is None else latest.pk,
        )
        audit_link_children(
            actor=viewer,
            action="link_review.view",
            ref=str(item.pk),
            children=sorted(children),
            detail={"records": [left.key, right.key]},
        )
    return result


def _split_off(left: SourceRecord, right: SourceRecord) -> SourceRecord:
    """Of two records of one child, the one received later leaves; the earlier defines it."""
    return max((left, right), key=lambda r: (r.received_at, r.pk))


def _apply(outcome: str, left: SourceRecord, right: SourceRecord) -> dict[str, Any]:
    together = left.child_id is not None and left.child_id == right.child_id
    if outcome == "match" and not together and left.child and right.child:
        survivor, merged = merge_survivor(left.child, right.child)
        return children_merge(survivor=survivor, merged=merged)
    if outcome == "non_match" and together:
        return record_split(record=_split_off(left, right))
    return {"action": "none", "children": children_of_records([left.pk, right.pk])}


def _decide_valid(outcome: str, reason: str) -> Callable[[], None]:
    def valid() -> None:
        if outcome not in OUTCOMES:
            raise AccessRefused("Choose same child, different children, or cannot tell.")
        if not reason:
            raise AccessRefused("Give a reason for the decision.")

    return valid


def link_review_decide(
    *, actor: StaffUser, item_id: int, outcome: str, reason: str
) -> LinkDecision:
    """Record a person's decision on a review item and apply it to the index at once.

    "match" merges the two children (the younger into the older); "non_match" splits a
    record off when the two are one child; "defer" leaves the pair in the queue with the
    reason. The decision supersedes every earlier decision on the pair.
    """
    reason = (reason or "").strip()
    guard = link_decision_guard(item_id, valid=_decide_valid(outcome, reason), review_item=True)
    with guarded_write(guard, actor=actor, action="link_review.decide", purpose="") as write:
        item = write.target
        if not item.is_active:
            raise AccessRefused("This pair has already been decided by someone else.")
        left = SourceRecord.objects.select_related("agency", "child").get(pk=item.record_left_id)
        right = SourceRecord.objects.select_related("agency", "child").get(pk=item.record_right_id)
        before = children_of_records([left.pk, right.pk])
        try:
            applied = (
                {"action": "none", "children": before}
                if outcome == "defer"
                else _apply(outcome, left, right)
            )
        except IndexChangeConflict as exc:
            raise AccessRefused(str(exc)) from exc
        LinkDecision.objects.filter(pair_q(left.pk, right.pk), is_active=True).update(
            is_active=False
        )
        decision = LinkDecision(
            run=item.run,
            record_left=left,
            record_right=right,
            decision=LinkDecisionKind.REVIEW if outcome == "defer" else outcome,
            decided_by=DecidedBy.PERSON,
            probability=item.probability,
            evidence=item.evidence,
            actor=actor,
            reason=reason,
            applied=applied,
        )
        decision.full_clean()
        decision.save()
        after = children_of_records([left.pk, right.pk])
        audit_link_children(
            actor=actor,
            action="link_review.decide",
            ref=str(decision.pk),
            children=sorted(set(before) | set(after)),
            detail={
                "item": item.pk,
                "outcome": outcome,
                "reason": reason,
                "records": [
                    f"{left.agency.code}:{left.record_id}",
                    f"{right.agency.code}:{right.record_id}",
                ],
                "applied": {k: v for k, v in applied.items() if not isinstance(v, list)},
                "children_before": before,
                "children_after": after,
            },
            write=write,
        )
    return decision

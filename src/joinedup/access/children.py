"""Guarded, audited reads of children and their chronology. The only way child data is read.

Every read passes three tests: the viewer's role allows the action (`policy`), the viewer has
a legitimate relationship with the child (`relationships`), and — for another agency's
events — a live sharing agreement covers the event type for the viewer's agency and purpose
(`agreements`). A forbidden child and a missing child both raise `ChildNotFound` (404).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.access.agreements import Cover, covers_for_agency
from joinedup.access.audit import audit_record
from joinedup.access.errors import ChildNotFound
from joinedup.access.policy import Action, allowed_purposes, allowed_sensitivities, role_allows
from joinedup.access.relationships import open_involvement_q, related_child_q, relationship_for
from joinedup.access.writes import Guard, Refused, audit_denied
from joinedup.chronology.models import Event
from joinedup.governance.models import StaffUser
from joinedup.people.models import Child, Involvement, SourceRecord


@dataclass(frozen=True)
class ChildAccess:
    """Proof that a viewer was allowed to open a child's record, for selectors to take."""

    viewer: StaffUser
    child: Child
    purpose: str
    relationship: str  # "involvement" | "break_glass"
    # The id asked for, when a reviewed merge has merged it into `child` (it still resolves).
    merged_id: str = ""


@dataclass(frozen=True)
class VisibleEvent:
    event: Event
    summary: str | None  # None when the covering agreement does not share the summary
    payload: dict[str, Any]
    shared_under: str | None  # agreement title, or None for the viewer's own agency's event


@dataclass(frozen=True)
class WithheldReason:
    reason: str  # "no_agreement" | "other_purpose" | "role"
    count: int
    agreements: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChildChronology:
    events: list[VisibleEvent]
    withheld: list[WithheldReason] = field(default_factory=list)

    @property
    def withheld_count(self) -> int:
        return sum(w.count for w in self.withheld)


def _purpose_ok(viewer: StaffUser, purpose: str) -> bool:
    return purpose in allowed_purposes(viewer.role)


def visible_children(viewer: StaffUser, *, purpose: str) -> QuerySet[Child]:
    """Children this viewer has a legitimate relationship with, for a purpose their role has."""
    if not (
        viewer.is_active
        and role_allows(viewer.role, Action.SEARCH_CHILDREN)
        and _purpose_ok(viewer, purpose)
    ):
        return Child.objects.none()
    return Child.objects.filter(related_child_q(viewer, now=timezone.now()))


def child_search(
    viewer: StaffUser,
    *,
    purpose: str,
    name: str = "",
    date_of_birth: date | None = None,
    limit: int = 50,
) -> list[Child]:
    """Search by name and/or date of birth among visible children only; audited."""
    terms = [t for t in name.split() if t]
    children = visible_children(viewer, purpose=purpose)
    if not terms and date_of_birth is None:
        results: list[Child] = []
    else:
        for term in terms:
            via_records = SourceRecord.objects.filter(
                Q(given_name__icontains=term) | Q(family_name__icontains=term)
            ).values("child_id")
            children = children.filter(
                Q(given_name__icontains=term)
                | Q(family_name__icontains=term)
                | Q(pk__in=via_records)
            )
        if date_of_birth is not None:
            children = children.filter(date_of_birth=date_of_birth)
        with transaction.atomic():
            results = list(children.order_by("family_name", "given_name", "child_id")[:limit])
            audit_record(
                actor=viewer,
                action="children.search",
                purpose=purpose,
                detail={
                    "name": name,
                    "date_of_birth": date_of_birth.isoformat() if date_of_birth else "",
                    "results": [c.child_id for c in results],
                },
            )
    return results


def child_survivor(child: Child | None) -> Child | None:
    """The child a merged-away id now belongs to (ids stay valid after a reviewed merge)."""
    seen: set[int] = set()
    while child is not None and child.merged_into_id is not None and child.pk not in seen:
        seen.add(child.pk)
        child = Child.objects.filter(pk=child.merged_into_id).first()
    return child


def access_child_by_id(viewer: StaffUser, child_id: str, *, purpose: str) -> ChildAccess:
    """Open one child's record, or raise ChildNotFound. Allowed and denied reads are audited.

    An id merged into another child by a reviewed decision opens the surviving child.
    """
    denial = ""
    with transaction.atomic():
        child = child_survivor(Child.objects.filter(child_id=child_id).first())
        merged_id = child_id if child is not None and child.child_id != child_id else ""
        relationship = None
        if not viewer.is_active or not role_allows(viewer.role, Action.VIEW_CHILD):
            denial = "role"
        elif not _purpose_ok(viewer, purpose):
            denial = "purpose"
        elif child is None:
            denial = "missing"
        else:
            relationship = relationship_for(viewer, child.pk)
            if relationship is None:
                denial = "no_relationship"
        if not denial and child is not None and relationship is not None:
            audit_record(
                actor=viewer,
                action="children.view",
                child_ref=child.child_id,
                object_type="child",
                object_ref=child.child_id,
                purpose=purpose,
                detail={"relationship": relationship, "merged_id": merged_id}
                if merged_id
                else {"relationship": relationship},
            )
            return ChildAccess(
                viewer=viewer,
                child=child,
                purpose=purpose,
                relationship=relationship,
                merged_id=merged_id,
            )
    audit_denied(
        actor=viewer,
        action="children.view",
        reason=denial,
        child_ref=child_id,
        object_type="child",
        object_ref=child_id,
        purpose=purpose,
    )
    raise ChildNotFound()


def child_guard(
    child_id: str,
    *,
    may: Callable[[StaffUser, str], bool],
    refused: Callable[[], Exception] = ChildNotFound,
    detail: Mapping[str, Any] | None = None,
) -> Guard[ChildAccess]:
    """For a `guarded_write` about one child: open the child's record (`access_child_by_id`,
    audited; ChildNotFound), then the write's own role test `may(actor, purpose)`. A refusal
    names the child opened and raises `refused()`."""

    def open_(actor: StaffUser, purpose: str) -> ChildAccess:
        access = access_child_by_id(actor, child_id, purpose=purpose)
        if not may(actor, purpose):
            opened = access.child.child_id
            raise Refused("role", error=refused(), child_ref=opened, object_ref=opened)
        return access

    return Guard(
        open_,
        ChildNotFound,
        object_type="child",
        object_ref=child_id,
        child_ref=child_id,
        detail=dict(detail or {}),
    )


def _shared_fields(event: Event, covers: list[Cover]) -> tuple[str | None, dict[str, Any]]:
    fields: set[str] = set()
    for cover in covers:
        fields |= cover.fields
    summary = event.summary if (not fields or "summary" in fields) else None
    if not fields or "payload" in fields:
        payload = dict(event.payload)
    else:
        payload = {k: v for k, v in event.payload.items() if k in fields}
    return summary, payload


def visible_events(viewer: StaffUser, access: ChildAccess) -> ChildChronology:
    """The child's chronology as this viewer may see it, with a count of what is withheld."""
    if access.viewer.pk != viewer.pk:
        raise ChildNotFound()
    purpose = access.purpose
    covers = covers_for_agency(viewer.agency_id)
    sensitivities = set(allowed_sensitivities(viewer.role))
    shown: list[VisibleEvent] = []
    withheld_role = 0
    withheld_other_purpose = 0
    other_titles: set[str] = set()
    other_purposes: set[str] = set()
    withheld_no_agreement = 0
    with transaction.atomic():
        events = list(
            Event.objects.filter(child=access.child)
            .select_related("agency")
            .order_by("-occurred_at", "-id")
        )
        for event in events:
            if event.agency_id == viewer.agency_id:
                matching: list[Cover] = []
                own = True
            else:
                own = False
                matching = [
                    c
                    for c in covers
                    if c.recording_agency_id == event.agency_id
                    and event.event_type in c.event_types
                ]
                for_purpose = [c for c in matching if purpose in c.purposes]
                if not for_purpose:
                    if matching:
                        withheld_other_purpose += 1
                        for c in matching:
                            other_titles.add(c.agreement_title)
                            other_purposes |= c.purposes & set(allowed_purposes(viewer.role))
                    else:
                        withheld_no_agreement += 1
                    continue
                matching = for_purpose
            if event.sensitivity not in sensitivities:
                withheld_role += 1
                continue
            if own:
                shown.append(VisibleEvent(event, event.summary, dict(event.payload), None))
            else:
                summary, payload = _shared_fields(event, matching)
                shown.append(VisibleEvent(event, summary, payload, matching[0].agreement_title))
        withheld: list[WithheldReason] = []
        if withheld_other_purpose:
            withheld.append(
                WithheldReason(
                    "other_purpose",
                    withheld_other_purpose,
                    tuple(sorted(other_titles)),
                    tuple(sorted(other_purposes)),
                )
            )
        if withheld_no_agreement:
            withheld.append(WithheldReason("no_agreement", withheld_no_agreement))
        if withheld_role:
            withheld.append(WithheldReason("role", withheld_role))
        audit_record(
            actor=viewer,
            action="events.list",
            child_ref=access.child.child_id,
            object_type="event",
            purpose=purpose,
            detail={
                "shown": [v.event.pk for v in shown],
                "withheld": sum(w.count for w in withheld),
            },
        )
    return ChildChronology(events=shown, withheld=withheld)


def caseload_list(viewer: StaffUser, *, purpose: str, limit: int = 50) -> list[Child]:
    """Children allocated to this viewer by name (worker involvements, lead first); audited."""
    if not (role_allows(viewer.role, Action.VIEW_CHILD) and _purpose_ok(viewer, purpose)):
        return []
    allocated = Involvement.objects.filter(
        open_involvement_q(today=timezone.localdate()), worker_id=viewer.pk
    ).values("child_id")
    with transaction.atomic():
        children = list(
            Child.objects.filter(pk__in=allocated).order_by("family_name", "given_name")[:limit]
        )
        if children:
            audit_record(
                actor=viewer,
                action="children.list",
                purpose=purpose,
                detail={"list": "caseload", "results": [c.child_id for c in children]},
            )
    return children

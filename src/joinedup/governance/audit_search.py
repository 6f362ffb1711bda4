"""Information governance's audit search: who read or changed a child's record, and when.

"Who opened child C-XXXX's record last week" is one search: a child id and a date range. The
filters narrow on indexed columns first (child_ref; actor and occurred_at together), newest
first by `sequence` (unique, so indexed). Pages are read by offset with one row more than
shown, never counted, so a search over a large log answers in the same time on page 1 and
page 500. Searching and exporting are themselves audited (`audit.searched`,
`audit.exported`, with the filters).

The CSV export streams the same rows; a cell that a spreadsheet would run as a formula (it
starts with = + - @, or a tab or carriage return) is prefixed with a quote (OWASP, "CSV
injection").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from joinedup.access.audit import audit_record
from joinedup.access.policy import Action, role_allows
from joinedup.dates import LONDON
from joinedup.governance.models import AuditEvent, AuditOutcome, Role, StaffUser

__all__ = [
    "ACTION_RE",
    "CHILD_ID_RE",
    "CSV_HEADER",
    "MAX_PAGE",
    "PAGE_SIZE",
    "AuditFilters",
    "AuditPage",
    "audit_csv_rows",
    "audit_search",
    "csv_safe",
]

PAGE_SIZE = 50
# Page 2,000 is 100,000 entries back: narrow the search (or export) rather than page further.
MAX_PAGE = 2000
CHILD_ID_RE = re.compile(r"^C-[0-9A-Z]{8}$")
# An action, or a family of them ending in "*": "children.view", "children.*", "admin.*".
ACTION_RE = re.compile(r"^[a-z_]+(\.[a-z_]+)*(\.\*)?$|^[a-z_]+\*$")
CSV_HEADER = (
    "sequence",
    "time",
    "username",
    "name",
    "agency",
    "role",
    "action",
    "child",
    "object type",
    "object",
    "purpose",
    "outcome",
)


@dataclass(frozen=True)
class AuditFilters:
    """A search, already checked by the form (shapes, dates in order, page in range)."""

    child_id: str = ""
    staff: str = ""
    agency_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    action: str = ""
    outcome: str = ""

    def described(self) -> dict[str, Any]:
        """The filters as recorded in the search's own audit entry."""
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}


@dataclass(frozen=True)
class AuditRow:
    sequence: int
    occurred_at: datetime
    username: str
    name: str
    agency: str
    role: str
    action: str
    child_ref: str
    object_type: str
    object_ref: str
    purpose: str
    outcome: str


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    page: int
    has_next: bool
    first_number: int

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.rows) - 1


def _require(viewer: StaffUser) -> None:
    if not role_allows(viewer.role, Action.VIEW_AUDIT):
        raise PermissionDenied("Only information governance may search the audit log.")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _staff_q(text: str) -> Q:
    """Entries by a member of staff named by username (exact) or by name (contains)."""
    named = (
        StaffUser.objects.annotate(full=Concat("first_name", Value(" "), "last_name"))
        .filter(Q(username__iexact=text) | Q(email__iexact=text) | Q(full__icontains=text))
        .values("pk")
    )
    return Q(actor_id__in=named) | Q(actor_username__iexact=text)


def audit_queryset(filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if filters.child_id:
        events = events.filter(child_ref=filters.child_id)
    if filters.staff:
        events = events.filter(_staff_q(filters.staff))
    if filters.agency_id is not None:
        events = events.filter(actor__agency_id=filters.agency_id)
    if filters.date_from is not None:
        events = events.filter(occurred_at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        events = events.filter(occurred_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.action.endswith("*"):
        events = events.filter(action__startswith=filters.action.rstrip("*"))
    elif filters.action:
        events = events.filter(action=filters.action)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    return events.select_related("actor", "actor__agency").order_by("-sequence")


def _row(event: AuditEvent) -> AuditRow:
    actor = event.actor
    return AuditRow(
        sequence=event.sequence,
        occurred_at=event.occurred_at,
        username=event.actor_username,
        name=actor.get_full_name() if actor else "",
        agency=actor.agency.name if actor and actor.agency else "",
        role=Role(actor.role).label if actor and actor.role in Role.values else "",
        action=event.action,
        child_ref=event.child_ref,
        object_type=event.object_type,
        object_ref=event.object_ref,
        purpose=event.purpose,
        outcome=AuditOutcome(event.outcome).label if event.outcome in AuditOutcome.values else "",
    )


def audit_search(*, viewer: StaffUser, filters: AuditFilters, page: int = 1) -> AuditPage:
    """One page of entries, newest first; the search is audited."""
    _require(viewer)
    if not 1 <= page <= MAX_PAGE:
        raise ValueError(f"page must be from 1 to {MAX_PAGE}")
    start = (page - 1) * PAGE_SIZE
    found = list(audit_queryset(filters)[start : start + PAGE_SIZE + 1])
    audit_record(
        actor=viewer,
        action="audit.searched",
        object_type="audit_log",
        detail={"filters": filters.described(), "page": page, "shown": len(found[:PAGE_SIZE])},
    )
    return AuditPage(
        rows=[_row(e) for e in found[:PAGE_SIZE]],
        page=page,
        has_next=len(found) > PAGE_SIZE,
        first_number=start + 1,
    )


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def audit_csv_rows(*, viewer: StaffUser, filters: AuditFilters) -> Iterator[list[str]]:
    """The header, then every matching entry, streamed from the database in chunks. The
    export is audited when it is asked for (before the first row is read)."""
    _require(viewer)
    audit_record(
        actor=viewer,
        action="audit.exported",
        object_type="audit_log",
        detail={"filters": filters.described()},
    )
    return _csv_rows(filters)


def _csv_rows(filters: AuditFilters) -> Iterator[list[str]]:
    yield list(CSV_HEADER)
    for event in audit_queryset(filters).iterator(chunk_size=2000):
        row = _row(event)
        yield [
            csv_safe(v)
            for v in (
                row.sequence,
                row.occurred_at.astimezone(LONDON).isoformat(timespec="seconds"),
                row.username,
                row.name,
                row.agency,
                row.role,
                row.action,
                row.child_ref,
                row.object_type,
                row.object_ref,
                row.purpose,
                row.outcome,
            )
        ]

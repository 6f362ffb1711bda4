"""Attaching a batch of imported events to the source records they are about.

Each row's events name one record of the importing agency: by its record id, or (when the file
has no record id) by the UPN the agency holds for the pupil. A row whose record is not held, or
whose UPN the agency holds for more than one record, is returned as a rejection with its reason;
the loader quarantines it. An event already held (same record, type, time and summary) is not
added again, so importing the same events twice changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from joinedup.chronology.models import Event
from joinedup.governance.models import Agency
from joinedup.ingest.adapters.base import Problem, Row
from joinedup.ingest.adapters.events import EventRecord, sensitivity_of
from joinedup.people.models import SourceRecord

BATCH_SIZE = 2000

# (row number, the row as read, the row's events: all about one record)
Item = tuple[int, Row, list[EventRecord]]


@dataclass
class Attached:
    loaded_rows: set[int] = field(default_factory=set)
    new_rows: set[int] = field(default_factory=set)  # rows that added at least one event
    rejected: list[tuple[int, Row, list[Problem]]] = field(default_factory=list)


def attach_events(agency: Agency, now: datetime, items: list[Item]) -> Attached:
    """Write the events of `items` that are not already held; say which rows could not attach."""
    result = Attached()
    ids = {e[0].record_id for _, _, e in items if e and e[0].record_id}
    upns = {e[0].match_upn for _, _, e in items if e and not e[0].record_id and e[0].match_upn}
    by_id: dict[str, tuple[int, int | None]] = {}
    if ids:
        by_id = {
            rid: (pk, child_id)
            for rid, pk, child_id in SourceRecord.objects.filter(
                agency=agency, record_id__in=ids
            ).values_list("record_id", "pk", "child_id")
        }
    by_upn: dict[str, list[tuple[str, int, int | None]]] = defaultdict(list)
    if upns:
        for upn, rid, pk, child_id in SourceRecord.objects.filter(
            agency=agency, upn__in=upns
        ).values_list("upn", "record_id", "pk", "child_id"):
            by_upn[upn].append((rid, pk, child_id))
    found_pks = {pk for pk, _ in by_id.values()} | {
        pk for held in by_upn.values() for _, pk, _ in held
    }
    # Ingest writes events; reading the keys here only detects repeats, shows nothing.
    held_keys: set[tuple[int, str, datetime, str]] = set(
        Event.objects.filter(source_record_id__in=found_pks).values_list(  # noqa: TID251
            "source_record_id", "event_type", "occurred_at", "summary"
        )
    )
    new: list[Event] = []
    for row_number, row, events in items:
        if not events:
            result.loaded_rows.add(row_number)
            continue
        found, problem = _record_of(agency, events[0], by_id, by_upn)
        if found is None:
            assert problem is not None
            result.rejected.append((row_number, row, [problem]))
            continue
        result.loaded_rows.add(row_number)
        for record in events:
            key = (found[0], record.event_type, record.occurred_at, record.summary)
            if key in held_keys:
                continue
            held_keys.add(key)
            result.new_rows.add(row_number)
            new.append(
                Event(
                    child_id=found[1],
                    event_type=record.event_type,
                    occurred_at=record.occurred_at,
                    recorded_at=now,
                    agency=agency,
                    sensitivity=sensitivity_of(record.event_type),
                    summary=record.summary,
                    payload=record.payload,
                    source_record_id=found[0],
                )
            )
    Event.objects.bulk_create(new, batch_size=BATCH_SIZE)  # noqa: TID251
    return result


def _record_of(
    agency: Agency,
    event: EventRecord,
    by_id: dict[str, tuple[int, int | None]],
    by_upn: dict[str, list[tuple[str, int, int | None]]],
) -> tuple[tuple[int, int | None] | None, Problem | None]:
    """(record pk, child pk) of the record the event is about, or the reason there is none."""
    if event.record_id:
        found = by_id.get(event.record_id)
        if found is None:
            why = (
                f"{event.record_id!r} is not a record {agency.code} has sent: "
                "import the agency's person file first"
            )
            return None, Problem(event.id_field, why)
        return found, None
    held = by_upn.get(event.match_upn, [])
    if not held:
        why = (
            f"{event.match_upn!r} is not the UPN of any record {agency.code} has sent: "
            "import the agency's pupil list first"
        )
        return None, Problem("UPN", why)
    if len(held) > 1:
        ids = ", ".join(sorted(rid for rid, _, _ in held)[:5])
        why = (
            f"{event.match_upn!r} is the UPN of {len(held)} records {agency.code} has sent "
            f"({ids}): give the record id to say which"
        )
        return None, Problem("UPN", why)
    return (held[0][1], held[0][2]), None

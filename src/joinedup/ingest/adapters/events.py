"""An agency's chronology: dated events about the people in its person extract.

Each event attaches to the source record (this agency, record_id) imported before it; an
event for a record not yet imported is quarantined, so import the person file first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from django.utils import timezone

from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType, default_sensitivity
from joinedup.ingest.adapters.base import CsvAdapter, Problem, Row, damaged_values, too_long

# One rule for every importer: see joinedup.chronology.vocabulary.
sensitivity_of = default_sensitivity


@dataclass
class EventRecord:
    record_id: str
    event_type: str
    occurred_at: datetime
    summary: str
    payload: dict[str, Any]
    raw: dict[str, str]
    # With no record id, the event attaches to the agency's one record holding this UPN.
    match_upn: str = ""
    # The column that names the record, for the reason when no such record is held.
    id_field: str = "record_id"

    @property
    def key(self) -> tuple[str, str, datetime, str]:
        """What makes two events the same event (for idempotent imports)."""
        return (self.record_id, self.event_type, self.occurred_at, self.summary)


class EventsAdapter(CsvAdapter):
    name = "events"
    kind: ClassVar[str] = "events"
    description = (
        "an agency's chronology: record_id, event_type, occurred_at (ISO 8601), summary, "
        "payload_json; import the agency's person file first"
    )
    columns = ("record_id", "event_type", "occurred_at", "summary", "payload_json")
    required = ("record_id", "event_type", "occurred_at", "summary")

    def validate(self, row: Row) -> EventRecord | list[Problem]:
        if row.shape_problem is not None:
            return [row.shape_problem]
        problems = damaged_values(row)
        record_id = row["record_id"].strip()
        if not record_id:
            problems.append(Problem("record_id", "is blank: an event must name its record"))
        event_type = row["event_type"].strip()
        if event_type not in EventType.values:
            problems.append(
                Problem(
                    "event_type",
                    f"{event_type!r} is not a known event type; use one of: "
                    + ", ".join(EventType.values),
                )
            )
        occurred_at = _when(row["occurred_at"])
        if occurred_at is None:
            problems.append(
                Problem(
                    "occurred_at",
                    f"{row['occurred_at']!r} is not a date and time "
                    "(ISO 8601, e.g. 2025-03-10T15:00:00+00:00)",
                )
            )
        summary = row["summary"]
        if not summary.strip():
            problems.append(Problem("summary", "is blank: say what happened"))
        limit = int(getattr(Event._meta.get_field("summary"), "max_length", 0) or 0)
        if problem := too_long("summary", summary, limit):
            problems.append(problem)
        payload: Any = {}
        if row["payload_json"].strip():
            try:
                payload = json.loads(row["payload_json"])
            except ValueError as exc:
                problems.append(Problem("payload_json", f"is not valid JSON ({exc})"))
            else:
                if not isinstance(payload, dict):
                    problems.append(
                        Problem(
                            "payload_json", "must be a JSON object ({...}), not a list or value"
                        )
                    )
        if problems:
            return problems
        assert occurred_at is not None
        return EventRecord(record_id, event_type, occurred_at, summary, payload, dict(row))


def _when(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # a time with no offset is local (Europe/London)
    return parsed

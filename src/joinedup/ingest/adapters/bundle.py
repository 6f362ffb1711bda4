"""One row that carries a person and their events together (a CIN census child, an SSDA903
episode): the loader writes the person's source record first, then attaches the events to it."""

from __future__ import annotations

from dataclasses import dataclass, field

from joinedup.ingest.adapters.base import PersonRecord
from joinedup.ingest.adapters.events import EventRecord


@dataclass
class Bundle:
    """`person` is None when the row only adds events to a record the agency already holds."""

    person: PersonRecord | None
    events: list[EventRecord] = field(default_factory=list)

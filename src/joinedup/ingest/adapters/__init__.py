"""One adapter per extract format: `parse(path)` yields (row number, row), `validate(row)`
returns a clean record or the problems that quarantine it."""

from __future__ import annotations

from joinedup.ingest.adapters.attendance import AttendanceAdapter
from joinedup.ingest.adapters.base import CsvAdapter, FileProblem, PersonRecord, Problem, Row
from joinedup.ingest.adapters.cin_census import CinCensusAdapter
from joinedup.ingest.adapters.events import EventRecord, EventsAdapter, sensitivity_of
from joinedup.ingest.adapters.exclusions import ExclusionsAdapter
from joinedup.ingest.adapters.families import HouseholdsAdapter, RelationshipsAdapter
from joinedup.ingest.adapters.health_contacts import HealthContactsAdapter
from joinedup.ingest.adapters.involvements import InvolvementsAdapter
from joinedup.ingest.adapters.persons import PersonsAdapter
from joinedup.ingest.adapters.police_notification import PoliceNotificationAdapter
from joinedup.ingest.adapters.school_census import SchoolCensusAdapter
from joinedup.ingest.adapters.ssda903 import Ssda903Adapter

__all__ = [
    "ADAPTERS",
    "CsvAdapter",
    "EventRecord",
    "FileProblem",
    "PersonRecord",
    "Problem",
    "Row",
    "adapter_for",
    "sensitivity_of",
]

ADAPTERS: dict[str, type[CsvAdapter]] = {
    a.name: a
    for a in (
        PersonsAdapter,
        SchoolCensusAdapter,
        HealthContactsAdapter,
        PoliceNotificationAdapter,
        EventsAdapter,
        AttendanceAdapter,
        ExclusionsAdapter,
        CinCensusAdapter,
        Ssda903Adapter,
        InvolvementsAdapter,
        HouseholdsAdapter,
        RelationshipsAdapter,
    )
}


def adapter_for(source_format: str, display_name: str = "") -> CsvAdapter:
    try:
        return ADAPTERS[source_format](display_name)
    except KeyError:
        raise FileProblem(
            f"Unknown format {source_format!r}; use one of: {', '.join(ADAPTERS)}"
        ) from None

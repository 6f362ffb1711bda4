"""Hand-built timelines for the indicator tests: a school's term days, one pupil's marks day by
day, written as a marks Parquet file like the importer's (pure: no database)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from joinedup.indicators.evaluate import EventRow, Inputs, RecordRow
from joinedup.ingest.attendance_codes import category_of

URN = "100001"
# Autumn term 2025 as a school runs it: from Wed 3 Sep, half term 27-31 Oct, to Fri 19 Dec.
TERM_START = date(2025, 9, 3)
HALF_TERM = (date(2025, 10, 27), date(2025, 10, 31))
TERM_END = date(2025, 12, 19)


def weekdays(start: date, end: date, skip: Sequence[tuple[date, date]] = ()) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and not any(a <= day <= b for a, b in skip):
            days.append(day)
        day += timedelta(days=1)
    return days


def autumn() -> list[date]:
    return weekdays(TERM_START, TERM_END, [HALF_TERM])


class Pupil:
    """One pupil's register: every school day present unless marked otherwise."""

    def __init__(self, record: int, child: int, days: Iterable[date]) -> None:
        self.record, self.child = record, child
        self.marks: dict[tuple[date, str], str] = {}
        for day in days:
            self.marks[day, "AM"] = "/"
            self.marks[day, "PM"] = "\\"

    def mark(
        self, days: Iterable[date], code: str, sessions: Sequence[str] = ("AM", "PM")
    ) -> Pupil:
        for day in days:
            for session in sessions:
                self.marks[day, session] = code
        return self

    def absent_sessions(self, days: Sequence[date], count: int, code: str = "O") -> Pupil:
        """Mark the first `count` sessions of `days` (AM then PM of each day) with `code`."""
        slots = [(d, s) for d in days for s in ("AM", "PM")][:count]
        for slot in slots:
            self.marks[slot] = code
        return self


def write_marks(path: Path, pupils: Sequence[Pupil], *, run: int = 1, urn: str = URN) -> Path:
    rows = [
        (
            run,
            p.record,
            f"R{p.record}",
            f"UPN{p.record}",
            urn,
            day,
            session,
            code,
            category_of(code),
        )
        for p in pupils
        for (day, session), code in sorted(p.marks.items())
    ]
    names = (
        "run",
        "source_record",
        "record_id",
        "upn",
        "school_urn",
        "date",
        "session",
        "code",
        "category",
    )
    kinds = (pa.int64(), pa.int64(), pa.string(), pa.string(), pa.string(), pa.date32()) + (
        pa.string(),
    ) * 3
    table = pa.table(
        {
            n: pa.array([r[i] for r in rows], k)
            for i, (n, k) in enumerate(zip(names, kinds, strict=True))
        }
    )
    pq.write_table(table, path)
    return path


def inputs(
    paths: Sequence[Path], pupils: Sequence[Pupil], events: Sequence[EventRow] = (), **kw: object
) -> Inputs:
    records = tuple(RecordRow(p.record, p.child, "Hillside Primary") for p in pupils)
    return Inputs(
        tuple(paths), records, tuple(events), {1: date(2025, 12, 20), 2: date(2025, 12, 21)}, **kw
    )  # type: ignore[arg-type]


def event(child: int, event_type: str, on: date, **kw: str) -> EventRow:
    return EventRow(
        child,
        event_type,
        on,
        on,
        kw.pop("agency", "Hillside Primary"),
        kw.pop("what", event_type),
        **kw,
    )

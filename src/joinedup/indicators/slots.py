"""Slots: each school's days cut so that every window is a whole number of slots (pure Python).

A school's days are ranked back from the as-of date (r = 1 is its last school day on or
before it). The most recent days are a slot each (the sparkline's end days; the runs and
weekday rules read them day by day); older days are grouped in spans between consecutive window
edges (30, 35, ... 50, 60, ... school days back), split where the school year, the term or a
calendar cutoff starts. Marks are counted per pupil and slot (sql.py), a few dozen rows a pupil
instead of one a day, and any window's count is the sum of its slots.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from joinedup.indicators.sql import SLOT_SPACE, Params

__all__ = ["SLOT_COLUMNS", "SLOT_OF_DAY_COLUMNS", "slot_tables"]

SLOT_OF_DAY_COLUMNS = (("school", "VARCHAR"), ("on_day", "DATE"), ("slot", "BIGINT"))
SLOT_COLUMNS = (
    ("slot", "BIGINT"),
    ("school", "VARCHAR"),
    ("r_lo", "BIGINT"),
    ("r_hi", "BIGINT"),
    ("first_day", "DATE"),
    ("day", "DATE"),  # the day, for a one-day (recent) slot
    ("in_year", "BIGINT"),
    ("in_term", "BIGINT"),
)


def slot_columns(p: Params) -> tuple[tuple[str, str], ...]:
    return SLOT_COLUMNS + tuple((f"cut_{i}", "BIGINT") for i in range(len(p.cutoffs)))


def slot_tables(
    school_days: Iterable[tuple[str, date]],
    p: Params,
    edges: Sequence[int],
    recent: int,
    recent_since: date | None = None,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(rows of jd_slot_of_day, rows of jd_slots) for the schools' days up to the as-of date.
    Days ranked up to `recent`, or on or after `recent_since`, are a slot each."""
    by_school: dict[str, list[date]] = defaultdict(list)
    for school, on_day in school_days:
        if on_day <= p.as_of:
            by_school[school].append(on_day)
    of_day: list[tuple[Any, ...]] = []
    slots: list[tuple[Any, ...]] = []
    serial = 0
    for school in sorted(by_school):
        members: dict[tuple[Any, ...], list[tuple[int, date]]] = defaultdict(list)
        for r, on_day in enumerate(sorted(by_school[school], reverse=True), start=1):
            flags = (
                int(on_day >= p.year_start),
                int(on_day >= p.term_start),
                *(int(on_day >= cut) for cut in p.cutoffs),
            )
            if r <= recent or (recent_since is not None and on_day >= recent_since):
                key: tuple[Any, ...] = ("day", r, *flags)
            else:
                key = ("span", bisect.bisect_left(edges, r), *flags)
            members[key].append((r, on_day))
        for key, days in members.items():
            serial += 1
            ranks = [r for r, _ in days]
            first = min(d for _, d in days)
            one_day = first if key[0] == "day" else None
            slots.append((serial, school, min(ranks), max(ranks), first, one_day, *key[2:]))
            of_day.extend((school, d, serial) for _, d in days)
    if serial >= SLOT_SPACE:
        raise ValueError(f"{serial} slots: more than {SLOT_SPACE} (sql.SLOT_SPACE); raise it")
    return of_day, slots

"""Each school's attendance register for the demo: one row per pupil on roll per session, from
the start of the current school year to the day before the area's reference date.

Deliberately simple and plausible (issue 4 adds the causal story): most pupils attend about
96% of sessions, about one in eight is often absent (persistently absent pupils miss 10% or
more); absences are mostly illness, some medical, unauthorised, holiday or exceptional leave;
a few marks are late. Stdlib only and deterministic: the same area gives the same files.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from joinedup.demo.generator.model import AgencySpec, Area, SourceRow

__all__ = ["ATTENDANCE_COLUMNS", "school_days", "write_attendance"]

ATTENDANCE_COLUMNS = ("record_id", "upn", "school_urn", "date", "session", "code")
# Absence codes with their shares (DfE 2024 codes: see ingest/attendance_codes.py).
ABSENCE = (("I", 0.6), ("M", 0.1), ("N", 0.1), ("O", 0.08), ("G", 0.07), ("C", 0.05))
LATE = 0.02


def school_days(reference: date) -> list[date]:
    """Weekdays of the autumn term before `reference`: from 3 September of the school year
    holding `reference` (a school year starts in September), less the October half term
    (the last full week of October)."""
    year = reference.year if reference.month >= 9 else reference.year - 1
    start = date(year, 9, 3)
    october_31 = date(year, 10, 31)
    half_term = october_31 - timedelta(days=october_31.weekday())  # the Monday on or before
    if half_term.day > 27:
        half_term -= timedelta(days=7)
    days = []
    day = start
    while day < reference and day.month in (9, 10, 11, 12):
        if day.weekday() < 5 and not half_term <= day < half_term + timedelta(days=5):
            days.append(day)
        day += timedelta(days=1)
    return days


def _on_roll(row: SourceRow, days: list[date]) -> list[date]:
    entry = row.attributes.get("entry_date", "")
    leaving = row.attributes.get("leaving_date", "")
    first = date.fromisoformat(entry) if entry else date.min
    last = date.fromisoformat(leaving) if leaving else date.max
    return [day for day in days if first <= day < last]


def _marks(rng: random.Random, row: SourceRow, days: list[date]) -> list[list[str]]:
    often_absent = rng.random() < 0.12
    absence = rng.uniform(0.1, 0.3) if often_absent else rng.uniform(0.0, 0.07)
    codes, weights = zip(*ABSENCE, strict=True)
    cells = []
    for day in _on_roll(row, days):
        iso = day.isoformat()
        for session, present in (("AM", "/"), ("PM", "\\")):
            draw = rng.random()
            if draw < absence:
                code = rng.choices(codes, weights)[0]
            elif draw < absence + LATE and session == "AM":
                code = "L"
            else:
                code = present
            cells.append([row.record_id, row.upn, "", iso, session, code])
    return cells


def write_attendance(
    area: Area, agency: AgencySpec, rows: list[SourceRow], out_dir: Path
) -> list[dict[str, object]]:
    """Write a school's attendance file; say its format, file and rows (as returns do)."""
    if agency.agency_type != "school":
        return []
    rng = random.Random(f"{area.seed}-attendance-{agency.code}")
    days = school_days(area.reference_date)
    cells: list[list[str]] = []
    for row in sorted(rows, key=lambda r: r.record_id):
        cells += _marks(rng, row, days)
    for cell in cells:
        cell[2] = agency.urn
    name = f"{agency.code}-attendance.csv"
    with (out_dir / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ATTENDANCE_COLUMNS)
        writer.writerows(cells)
    return [{"format": "attendance", "file": name, "rows": len(cells)}]

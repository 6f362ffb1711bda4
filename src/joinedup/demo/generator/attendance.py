"""Each school's attendance register file: one row per pupil on roll per session, for every
school day of the previous school year and this one up to the day before the area's reference
date (`school_calendar.MARKS_FROM` onwards). No marks on weekends, bank holidays, half-terms or
holidays.

The marks themselves were decided by the Builder's register stage (registers.py) from the
area's causal story: this module only writes them, filling every session without a stored mark
with present (``/`` in the morning, ``\\`` in the afternoon). Deterministic: the same area
gives the same files.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from joinedup.demo.generator.model import AgencySpec, Area, SourceRow
from joinedup.demo.generator.school_calendar import MARKS_FROM, school_days

__all__ = ["ATTENDANCE_COLUMNS", "write_attendance"]

ATTENDANCE_COLUMNS = ("record_id", "upn", "school_urn", "date", "session", "code")


def write_attendance(
    area: Area, agency: AgencySpec, rows: list[SourceRow], out_dir: Path
) -> list[dict[str, object]]:
    """Write a school's attendance file; say its format, file and rows (as returns do)."""
    if agency.agency_type != "school":
        return []
    iso: dict[date, str] = {}
    count = 0
    name = f"{agency.code}-attendance.csv"
    with (out_dir / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ATTENDANCE_COLUMNS)
        for row in sorted(rows, key=lambda r: r.record_id):
            register = area.registers.get((agency.code, row.record_id))
            if register is None:
                continue
            stop = min(register.leaving or area.reference_date, area.reference_date)
            marks, who = register.marks, (row.record_id, row.upn, agency.urn)
            if any(c in value for value in who for c in ',"\r\n'):
                raise ValueError(f"{row.record_id!r}: the register writer needs plain values")
            prefix = ",".join(who)
            lines = []
            for day in school_days(max(register.entry, MARKS_FROM), stop):
                text = iso.get(day) or iso.setdefault(day, day.isoformat())
                am, pm = marks.get((day, "AM"), "/"), marks.get((day, "PM"), "\\")
                lines.append(f"{prefix},{text},AM,{am}\n{prefix},{text},PM,{pm}\n")
            handle.write("".join(lines))  # what csv.writer would write: no value needs quotes
            count += 2 * len(lines)
    return [{"format": "attendance", "file": name, "rows": count}]

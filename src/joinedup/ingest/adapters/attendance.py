"""A school's attendance register: one row per pupil per session with a DfE 2024 code.

Unlike the other formats it is not read row by row: a county's school year is about 23
million rows, so `joinedup.ingest.attendance` reads, checks and stores it in bulk with DuckDB
and keeps the marks in Parquet files (see docs/adr/0007-attendance-marks-columnar.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from joinedup.ingest.adapters.base import CsvAdapter, Row
from joinedup.ingest.attendance_sql import COLUMNS

if TYPE_CHECKING:
    from collections.abc import Callable

    from joinedup.ingest.models import ImportRun


class AttendanceAdapter(CsvAdapter):
    name = "attendance"
    kind: ClassVar[str] = "columnar"
    description = (
        "a school's attendance register, one row per pupil per session: record_id (the "
        "pupil's id in the school's pupil list) and/or upn, school_urn, date (YYYY-MM-DD or "
        "DD/MM/YYYY), session (AM/PM), code (a DfE attendance code, August 2024 list); "
        "import the school's pupil list first"
    )
    columns = COLUMNS
    required = ("date", "session", "code")

    def load(
        self, run: ImportRun, path: Path, progress: Callable[[int, int, int], None] | None
    ) -> None:
        """Read, check and store the whole file for `run` (inside its transaction)."""
        from joinedup.ingest.attendance import load_marks

        load_marks(run, path, progress)

    def validate(self, row: Row) -> None:
        raise NotImplementedError("attendance files are read in bulk by load(), not by row")

"""Attendance marks: importing a school's register file, and where the marks are kept.

The marks of one import run are one Parquet file, ``var/attendance/<agency>/<run>-<sha>.parquet``
(columns run, source_record, record_id, upn, school_urn, date, session, code, category;
text columns are dictionary-encoded). The database keeps the run, its counts and its
quarantined rows; the file is written under a temporary name and renamed into place as the
last step before the run's transaction commits, so a loaded run always has its file, and a
crash leaves at most a file no loaded run refers to, which readers never see and a later
import removes.

Overlapping files: the latest loaded import wins. A later file holding a mark for the same
pupil, date and session replaces the earlier mark when marks are read (`marks_relation`);
the earlier file is kept unchanged, as the record of what the school first sent.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
from django.conf import settings
from django.utils import timezone

from joinedup.ingest.adapters.base import FileProblem
from joinedup.ingest.attendance_sql import (
    Header,
    MarksFile,
    MarksFileProblem,
    marks_relation,
    read_header,
    timed,
)
from joinedup.ingest.models import ImportRun, ImportStatus, QuarantinedRow
from joinedup.people.models import SourceRecord

__all__ = ["load_marks", "marks_file", "marks_paths", "marks_relation"]

FORMAT = "attendance"
QUARANTINE_BATCH = 2000
RAW_KEPT = 10_000  # quarantined rows past this many are kept without their raw values
ORPHAN_AGE_SECONDS = 3600
TEMP_NAME = re.compile(r"^\.tmp-(\d+)-[0-9a-f]+\.parquet$")

Progress = Callable[[int, int, int], None]


def marks_folder(agency_code: str) -> Path:
    return Path(settings.VAR_DIR) / "attendance" / agency_code


def marks_file(run: ImportRun) -> Path:
    """Where a loaded attendance run keeps its marks."""
    return marks_folder(run.agency.code) / f"{run.pk}-{run.sha256[:16]}.parquet"


def marks_paths(agency_code: str | None = None) -> list[Path]:
    """The Parquet files of every loaded attendance run (of one agency), oldest first: give
    them to `marks_relation` (or DuckDB's read_parquet) to read the marks."""
    runs = ImportRun.objects.filter(source_format=FORMAT, status=ImportStatus.LOADED)
    if agency_code is not None:
        runs = runs.filter(agency__code=agency_code)
    return [marks_file(run) for run in runs.select_related("agency").order_by("pk")]


def load_marks(run: ImportRun, path: Path, progress: Progress | None) -> None:
    """Import one attendance file for `run`, inside import_file's transaction: quarantined rows
    into the database, loaded marks into the run's Parquet file; counts on the run."""
    name = run.original_name
    agency = run.agency
    size = run.size_bytes
    try:
        header = read_header(path, name)
    except MarksFileProblem as exc:
        raise FileProblem(str(exc)) from None
    pupils = list(SourceRecord.objects.filter(agency=agency).values_list("pk", "record_id", "upn"))
    if not pupils:
        raise FileProblem(
            f"{name}: {agency.code} has sent no pupil list yet, so no mark can be matched to a "
            "pupil; import the school's pupil list (school-census or persons) first"
        )
    folder = marks_folder(agency.code)
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    temp = folder / f".tmp-{os.getpid()}-{uuid.uuid4().hex}.parquet"
    spill = Path(settings.VAR_DIR) / "tmp" / f"duckdb-{os.getpid()}"
    rows_guess = max(1, size // max(1, _first_row_bytes(path, header)))

    def stage(done: float) -> None:
        if progress is not None:
            progress(int(rows_guess * done), int(size * done), size)

    stage(0.0)
    marks = MarksFile(path, name, header, temp_dir=spill)
    today = timezone.localdate()
    try:
        marks.parse(pupils, agency_urn=agency.urn, today=today, stage=timed(stage, 0, 0.6))
        stage(0.6)
        if marks.counts.rows_in and not _ends_with_newline(path) and marks.last_row_quarantined():
            raise FileProblem(
                f"{name} looks cut short (truncated): its last row is incomplete and has no "
                "line ending; send the whole file again"
            )
        _quarantine(run, marks, header, today)
        marks.write(
            temp,
            run_id=int(run.pk),
            agency_code=agency.code,
            agency_urn=agency.urn,
            stage=timed(stage, 0.6, 0.95),
        )
        stage(0.95)
        earlier = [p for p in marks_paths(agency.code) if p.exists()]
        new, changed = marks.changes(temp, earlier)
        run.rows_in = marks.counts.rows_in
        run.rows_loaded = marks.counts.loaded
        run.rows_quarantined = marks.counts.quarantined
        run.rows_new, run.rows_changed = new, changed
        for column in header.unknown:
            run.warning_count += 1
            run.warnings.append(
                {"row": header.line, "field": column, "reason": "is not a column of this format"}
            )
        assert run.rows_in == run.rows_loaded + run.rows_quarantined
        os.replace(temp, marks_file(run))  # the last step before the transaction commits
        stage(1.0)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FileProblem(f"{name} cannot be read as an attendance CSV file ({first})") from None
    except MarksFileProblem as exc:
        raise FileProblem(str(exc)) from None
    finally:
        marks.close()
        temp.unlink(missing_ok=True)
        shutil.rmtree(spill, ignore_errors=True)


def _quarantine(run: ImportRun, marks: MarksFile, header: Header, today: Any) -> None:
    """A QuarantinedRow for every quarantined row; past RAW_KEPT rows, without raw values
    (a file of millions of bad rows still has each row's number, field and reason)."""
    batch: list[QuarantinedRow] = []
    kept = 0
    for row_number, field_name, reason, raw in marks.quarantined(
        agency_code=run.agency.code, today=today
    ):
        values: dict[str, str] = {}
        if kept < RAW_KEPT:
            if isinstance(raw, str):
                values = {"(row as read)": raw}
            elif raw is not None:
                values = {n: v or "" for n, v in zip(header.names, raw, strict=False)}
            kept += 1
        batch.append(
            QuarantinedRow(
                run=run,
                row_number=row_number,
                field_name=field_name[:200],
                reason=reason,
                raw=values,
            )
        )
        if len(batch) >= QUARANTINE_BATCH:
            QuarantinedRow.objects.bulk_create(batch)
            batch = []
    QuarantinedRow.objects.bulk_create(batch)
    if kept >= RAW_KEPT and marks.counts.quarantined > RAW_KEPT:
        run.warning_count += 1
        run.warnings.append(
            {
                "row": 0,
                "field": "(quarantine)",
                "reason": f"{marks.counts.quarantined:,} rows were quarantined; the raw values "
                f"of the first {RAW_KEPT:,} are kept (every row's number and reason is)",
            }
        )


def _first_row_bytes(path: Path, header: Header) -> int:
    with path.open("rb") as handle:
        lines = handle.read(64 * 1024).split(b"\n")
    return len(lines[header.line]) + 1 if len(lines) > header.line + 1 else 64


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _sweep(folder: Path) -> None:
    """Remove what crashed imports left: temporary files of processes no longer running, and
    marks files no loaded run refers to (after an hour, so a running import keeps its own)."""
    referenced = {p.name for p in marks_paths(folder.name)}
    now = time.time()
    for entry in folder.iterdir():
        match = TEMP_NAME.match(entry.name)
        if match is not None:
            if not _alive(int(match[1])):
                entry.unlink(missing_ok=True)
        elif (
            entry.suffix == ".parquet"
            and entry.name not in referenced
            and now - entry.stat().st_mtime > ORPHAN_AGE_SECONDS
        ):
            entry.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

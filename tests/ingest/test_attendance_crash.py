"""kill -9 part-way through an attendance import (while DuckDB reads the file, and while the
quarantined rows are written) leaves the database and the marks folder as before; importing
the file again then gives the same state as a clean run. Runs the real CLI against a
file-based SQLite database in a temporary folder."""

from __future__ import annotations

import csv
import re
import sqlite3
from pathlib import Path

import duckdb
import pytest

from tests.ingest.test_crash_recovery import _joinedup, kill_import_when

PUPILS = 2000
DAYS = 112  # 448,000 marks, one in fifty quarantined
CODE = "school-100001"


def _fresh_database(var_dir: Path) -> None:
    var_dir.mkdir()
    _joinedup(var_dir, "migrate", "--no-input", "-v", "0")
    _joinedup(
        var_dir,
        "shell",
        "-c",
        "from joinedup.governance.models import Agency; "
        "from joinedup.people.models import SourceRecord; "
        f"a = Agency.objects.create(code='{CODE}', name='School', agency_type='school', "
        "urn='100001'); "
        "SourceRecord.objects.bulk_create([SourceRecord(agency=a, record_id=f'P{n:05d}', "
        f"given_name='Pupil', family_name=f'N{{n}}') for n in range({PUPILS})])",
    )


def _state(var_dir: Path) -> dict[str, object]:
    with sqlite3.connect(var_dir / "joinedup.sqlite3") as db:
        database = {
            "runs": db.execute(
                "SELECT id, status, sha256, rows_in, rows_loaded, rows_quarantined "
                "FROM ingest_importrun ORDER BY id"
            ).fetchall(),
            "quarantined": db.execute(
                "SELECT row_number, field_name, reason, raw FROM ingest_quarantinedrow "
                "ORDER BY row_number"
            ).fetchall(),
            "audit": db.execute(
                "SELECT action, actor_username FROM governance_auditevent ORDER BY sequence"
            ).fetchall(),
        }
    folder = var_dir / "attendance" / CODE
    files = sorted(p.name for p in folder.glob("*.parquet")) if folder.exists() else []
    marks = []
    if files:
        marks = (
            duckdb.connect()
            .sql(f"SELECT * FROM read_parquet('{folder}/*.parquet') ORDER BY ALL")  # noqa: S608
            .fetchall()
        )
    return {**database, "files": files, "marks": marks}


def _write_file(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["record_id", "date", "session", "code"])
        n = 0
        for pupil in range(PUPILS):
            for day in range(DAYS):
                when = f"2025-{9 + day // 28:02d}-{1 + day % 28:02d}"
                for session in ("AM", "PM"):
                    n += 1
                    code = "XX" if n % 50 == 0 else ("/" if session == "AM" else "\\")
                    writer.writerow([f"P{pupil:05d}", when, session, code])


def _kill_at(var_dir: Path, extract: Path, percent: int) -> bytes:
    """Start the import and kill -9 it once its progress bar reaches `percent`."""

    def reached(seen: bytes) -> bool:
        shares = [int(s) for s in re.findall(rb"(\d+)% ", seen)]
        return bool(shares) and shares[-1] >= percent

    return kill_import_when(var_dir, ["attendance", str(extract), "--agency", CODE], reached)


@pytest.mark.parametrize("percent", [10, 60])
def test_a_killed_attendance_import_leaves_nothing_and_a_rerun_equals_a_clean_run(
    tmp_path: Path, percent: int
) -> None:
    extract = tmp_path / "attendance.csv"
    _write_file(extract)
    crashed = tmp_path / "crashed"
    _fresh_database(crashed)
    before = _state(crashed)
    _kill_at(crashed, extract, percent)

    assert _state(crashed) == before  # no run, no quarantined row, no audit entry, no marks
    leftovers = list((crashed / "attendance" / CODE).glob(".tmp-*"))
    assert all(p.stat().st_size >= 0 for p in leftovers)  # at most a temporary file

    _joinedup(crashed, "import", "attendance", str(extract), "--agency", CODE)
    clean = tmp_path / "clean"
    _fresh_database(clean)
    _joinedup(clean, "import", "attendance", str(extract), "--agency", CODE)
    after = _state(crashed)
    assert after == _state(clean)
    assert not list((crashed / "attendance" / CODE).glob(".tmp-*"))  # the rerun swept it
    runs = after["runs"]
    assert isinstance(runs, list) and len(runs) == 1
    assert runs[0][1:2] == ("loaded",) and runs[0][3:] == (448_000, 439_040, 8_960)
    assert len(after["marks"]) == 439_040  # type: ignore[arg-type]
    assert "Audit log intact" in _joinedup(crashed, "audit", "verify").stdout

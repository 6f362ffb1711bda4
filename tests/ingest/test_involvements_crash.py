"""kill -9 part-way through a case list leaves the database as before (no involvement, run or
audit entry); importing it again equals a clean run. The real CLI on a file-based SQLite
database, as tests/ingest/test_crash_recovery.py does."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from tests.ingest.helpers import PERSONS_COLUMNS, person
from tests.ingest.test_crash_recovery import _joinedup, _kill_mid_import, _state

CHILDREN = 10_000
CASES = 30_000
CASE_COLUMNS = ("record_id", "case_id", "description", "level", "started_on", "ended_on")


def _agency_with_records(var_dir: Path, people: Path) -> None:
    var_dir.mkdir()
    _joinedup(var_dir, "migrate", "--no-input", "-v", "0")
    _joinedup(
        var_dir,
        "shell",
        "-c",
        "from joinedup.governance.models import Agency; "
        "Agency.objects.create(code='early-help', name='Early help', agency_type='early_help')",
    )
    _joinedup(var_dir, "import", "persons", str(people), "--agency", "early-help")


def _involvements(var_dir: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(var_dir / "joinedup.sqlite3") as db:
        rows = db.execute(
            "SELECT r.record_id, i.source_key, i.description, i.level, i.started_on, i.ended_on "
            "FROM people_involvement i JOIN people_sourcerecord r ON r.id = i.source_record_id "
            "ORDER BY i.source_key"
        ).fetchall()
    return {**_state(var_dir), "involvements": rows}


def test_a_killed_case_list_import_leaves_nothing_and_a_rerun_equals_a_clean_run(
    tmp_path: Path,
) -> None:
    people = tmp_path / "people.csv"
    with people.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PERSONS_COLUMNS)
        for n in range(CHILDREN):
            writer.writerow(person(f"EH{n:05d}", family_name=f"Name{n}"))
    cases = tmp_path / "cases.csv"
    with cases.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CASE_COLUMNS)
        for n in range(CASES):
            record = f"EH{n % CHILDREN:05d}" if n % 993 else "EH99999"  # unknown: quarantined
            ended = "2025-12-31" if n % 7 == 0 else ""
            writer.writerow([record, f"C{n:06d}", "Family support", "2", "2025-09-01", ended])
    args = ("involvements", str(cases), "--agency", "early-help", "--full-list")

    crashed = tmp_path / "crashed"
    _agency_with_records(crashed, people)
    before = _involvements(crashed)
    _kill_mid_import(crashed, *args)
    assert _involvements(crashed) == before  # no involvement, no run, no audit entry

    _joinedup(crashed, *("import", *args))
    clean = tmp_path / "clean"
    _agency_with_records(clean, people)
    _joinedup(clean, *("import", *args))
    after = _involvements(crashed)
    assert after == _involvements(clean)
    assert len(after["involvements"]) == CASES - len(range(0, CASES, 993))
    assert [run[0] for run in after["runs"]] == ["loaded", "loaded"]
    assert "Audit log intact" in _joinedup(crashed, "audit", "verify").stdout

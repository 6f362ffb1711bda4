"""kill -9 part-way through an import leaves the database exactly as before; importing the file
again then gives the same state as a clean run. Runs the real CLI against a file-based SQLite
database in a temporary folder (whatever database the rest of the suite uses)."""

from __future__ import annotations

import csv
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.ingest.helpers import PERSONS_COLUMNS, person

ROWS = 30_000
KILL_AFTER_ROWS = 6_000  # progress is reported every 1,000 rows, written every 2,000


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(JOINEDUP_VAR_DIR=str(var_dir), JOINEDUP_ENV="test")
    return env


def _joinedup(var_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "joinedup", *args],
        env=_env(var_dir),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )


def _fresh_database(var_dir: Path) -> None:
    var_dir.mkdir()
    _joinedup(var_dir, "migrate", "--no-input", "-v", "0")
    _joinedup(
        var_dir,
        "shell",
        "-c",
        "from joinedup.governance.models import Agency; "
        "Agency.objects.create(code='early-help', name='Early help', agency_type='early_help')",
    )


def _state(var_dir: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(var_dir / "joinedup.sqlite3") as db:
        return {
            "records": db.execute(
                "SELECT record_id, given_name, family_name, date_of_birth, nhs_number, raw "
                "FROM people_sourcerecord ORDER BY record_id"
            ).fetchall(),
            "runs": db.execute(
                "SELECT status, sha256, rows_in, rows_loaded, rows_quarantined "
                "FROM ingest_importrun ORDER BY id"
            ).fetchall(),
            "quarantined": db.execute(
                "SELECT row_number, field_name, reason FROM ingest_quarantinedrow "
                "ORDER BY row_number"
            ).fetchall(),
            "audit": db.execute(
                "SELECT action, actor_username FROM governance_auditevent ORDER BY sequence"
            ).fetchall(),
        }


def test_a_killed_import_leaves_nothing_and_a_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    extract = tmp_path / "big.csv"
    with extract.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PERSONS_COLUMNS)
        for n in range(ROWS):
            writer.writerow(person(f"EH{n:06d}" if n % 997 else "", family_name=f"Name{n}"))

    crashed = tmp_path / "crashed"
    _fresh_database(crashed)
    before = _state(crashed)
    _kill_mid_import(crashed, "persons", str(extract), "--agency", "early-help")

    assert _state(crashed) == before  # no source records, no run, no audit entry

    _joinedup(crashed, "import", "persons", str(extract), "--agency", "early-help")
    clean = tmp_path / "clean"
    _fresh_database(clean)
    _joinedup(clean, "import", "persons", str(extract), "--agency", "early-help")
    after = _state(crashed)
    assert after == _state(clean)
    assert len(after["records"]) == ROWS - len(range(0, ROWS, 997))
    assert after["runs"][0][0] == "loaded" and len(after["runs"]) == 1
    assert "Audit log intact" in _joinedup(crashed, "audit", "verify").stdout


PUPILS = 10_000
EXCLUSION_COLUMNS = ("PupilRef", "Category", "StartDate", "Reason", "Sessions")


def _events_state(var_dir: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(var_dir / "joinedup.sqlite3") as db:
        events = db.execute(
            "SELECT r.record_id, e.event_type, e.occurred_at, e.summary, e.payload "
            "FROM chronology_event e JOIN people_sourcerecord r ON r.id = e.source_record_id "
            "ORDER BY r.record_id, e.occurred_at, e.summary"
        ).fetchall()
    return {**_state(var_dir), "events": events}


def _rows_read(seen: bytes) -> int:
    counts = [int(c.replace(b",", b"")) for c in re.findall(rb"([\d,]+) rows", seen)]
    return counts[-1] if counts else 0


def kill_import_when(var_dir: Path, args: Sequence[str], reached: Callable[[bytes], bool]) -> bytes:
    """Start `joinedup import ARGS` and kill -9 it once `reached(progress bar output so far)`."""
    process = subprocess.Popen(
        [sys.executable, "-m", "joinedup", "import", *args],
        env=_env(var_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    seen = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        chunk = os.read(process.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
        if reached(seen):
            break
    assert process.poll() is None, f"the import finished before it could be killed: {seen!r}"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()
    return seen


def _kill_mid_import(var_dir: Path, *args: str) -> bytes:
    """Kill -9 `joinedup import ARGS` once it has read KILL_AFTER_ROWS rows."""
    return kill_import_when(var_dir, args, lambda seen: _rows_read(seen) >= KILL_AFTER_ROWS)


def _school_with_pupils(var_dir: Path, roll: Path) -> None:
    var_dir.mkdir()
    _joinedup(var_dir, "migrate", "--no-input", "-v", "0")
    _joinedup(
        var_dir,
        "shell",
        "-c",
        "from joinedup.governance.models import Agency; "
        "Agency.objects.create(code='school-1', name='School', agency_type='school')",
    )
    _joinedup(var_dir, "import", "persons", str(roll), "--agency", "school-1")


def test_a_killed_events_import_leaves_nothing_and_a_rerun_equals_a_clean_run(
    tmp_path: Path,
) -> None:
    roll = tmp_path / "roll.csv"
    with roll.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PERSONS_COLUMNS)
        for n in range(PUPILS):
            writer.writerow(person(f"P{n:05d}", family_name=f"Name{n}"))
    extract = tmp_path / "exclusions.csv"
    with extract.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXCLUSION_COLUMNS)
        for n in range(ROWS):
            pupil = f"P{n % PUPILS:05d}" if n % 991 else "P99999"  # some unknown: quarantined
            day = f"2025-0{1 + n // PUPILS}-1{n % 10}"
            writer.writerow([pupil, "FIXD", day, ("VA", "PP", "DB")[n % 3], str(1 + n % 4)])

    crashed = tmp_path / "crashed"
    _school_with_pupils(crashed, roll)
    before = _events_state(crashed)
    _kill_mid_import(crashed, "exclusions", str(extract), "--agency", "school-1")
    assert _events_state(crashed) == before  # no event, no run, no audit entry

    _joinedup(crashed, "import", "exclusions", str(extract), "--agency", "school-1")
    clean = tmp_path / "clean"
    _school_with_pupils(clean, roll)
    _joinedup(clean, "import", "exclusions", str(extract), "--agency", "school-1")
    after = _events_state(crashed)
    assert after == _events_state(clean)
    assert len(after["events"]) == ROWS - len(range(0, ROWS, 991))
    assert [run[0] for run in after["runs"]] == ["loaded", "loaded"]
    assert "Audit log intact" in _joinedup(crashed, "audit", "verify").stdout

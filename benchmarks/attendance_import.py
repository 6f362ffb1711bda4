"""Importing a school year of attendance marks, against the time DuckDB alone takes to read
the same file (the floor).

Claim (issue 3): one school year of attendance for 60,000 pupils (about 23M session marks)
imports in <= 60 s on 2 cores.

The file (deterministic) has one row per pupil per session over the 2025/26 term dates
(190 school days, so 380 sessions a pupil), sorted by pupil, date and session as a school's
system exports it; most pupils attend well and some are often absent. The pupils are set up
as the school's source records first (not timed). Then, each in its own process so that
seconds and peak RSS are its own:

- floor: DuckDB counts the rows of the file, read with the importer's CSV options;
- joinedup: `import_file` (the real path: archive with SHA-256, parse and check every row,
  quarantine, write the Parquet file, commit the run), into a scratch SQLite database in a
  temporary folder, or DATABASE_URL's database when set (an agency `bench-<pid>` is added).

Run: `uv run python benchmarks/attendance_import.py [--pupils 60000] [--keep]`.
"""

# The SQL here is built from numbers and dates this script makes, never from input.
# ruff: noqa: S608

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

URN = "100001"
TERMS = (  # 2025/26 school year: (first day, last day), half terms left out
    ("2025-09-03", "2025-10-24"),
    ("2025-11-03", "2025-12-19"),
    ("2026-01-05", "2026-02-13"),
    ("2026-02-23", "2026-03-27"),
    ("2026-04-13", "2026-05-22"),
    ("2026-06-01", "2026-07-21"),
)
HOLIDAYS = ("2026-05-04",)
CSV_OPTIONS = (
    "header = true, all_varchar = true, auto_detect = false, delim = ',', quote = '\"', "
    "escape = '\"', strict_mode = true, columns = {'record_id': 'VARCHAR', 'upn': 'VARCHAR', "
    "'school_urn': 'VARCHAR', 'date': 'VARCHAR', 'session': 'VARCHAR', 'code': 'VARCHAR'}"
)


def _peak_rss_gb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024**2
    return 0.0


def generate(path: Path, pupils: int) -> int:
    """Write the attendance file with DuckDB; return its row count."""
    import duckdb

    con = duckdb.connect()
    terms = " UNION ALL ".join(
        f"SELECT unnest(generate_series(DATE '{a}', DATE '{b}', INTERVAL 1 DAY))::DATE AS d"
        for a, b in TERMS
    )
    holidays = ", ".join(f"DATE '{h}'" for h in HOLIDAYS)
    days = [
        r[0]
        for r in con.execute(
            f"SELECT strftime(d, '%Y-%m-%d') FROM ({terms}) WHERE dayofweek(d) BETWEEN 1 AND 5 "
            f"AND d NOT IN ({holidays}) ORDER BY d"
        ).fetchall()
    ]
    per_pupil = 2 * len(days)
    con.execute("CREATE TABLE days AS SELECT ?::VARCHAR[] AS days", [days])
    # Row i: pupil i // per_pupil, day (i % per_pupil) // 2, session i % 2; codes from hashes.
    con.execute(
        f"""
        COPY (
          SELECT 'P' || lpad(p::VARCHAR, 6, '0') AS record_id,
                 'A990' || lpad(p::VARCHAR, 9, '0') AS upn, '{URN}' AS school_urn,
                 (SELECT days FROM days)[(i % {per_pupil}) // 2 + 1] AS date,
                 CASE WHEN i % 2 = 0 THEN 'AM' ELSE 'PM' END AS session,
                 CASE WHEN h % 1000 < CASE WHEN hash(p, 7) % 10 = 0 THEN 160 ELSE 40 END
                      THEN ['I', 'I', 'I', 'M', 'N', 'O', 'G', 'C', 'U', 'E']
                           [(hash(i, 3) % 10)::BIGINT + 1]
                      WHEN h % 1000 > 990 THEN 'L'
                      WHEN i % 2 = 0 THEN '/' ELSE '\\' END AS code
          FROM (SELECT i, i // {per_pupil} AS p, hash(i, 2026) AS h
                FROM range({pupils * per_pupil}) AS t(i))
        ) TO '{path}' (HEADER, DELIMITER ',', QUOTE '')
        """
    )
    return pupils * per_pupil


def setup_database(pupils: int, agency_code: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from joinedup.governance.models import Agency, AgencyType
    from joinedup.people.models import SourceRecord

    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(
        code=agency_code, name="Benchmark school", agency_type=AgencyType.SCHOOL, urn=URN
    )
    SourceRecord.objects.bulk_create(
        (
            SourceRecord(
                agency=agency,
                record_id=f"P{p:06d}",
                upn=f"A990{p:09d}",
                given_name="Pupil",
                family_name=f"Number{p}",
                raw={},
            )
            for p in range(pupils)
        ),
        batch_size=5000,
    )


def worker_floor(path: Path) -> dict[str, float]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    started = time.perf_counter()
    row = con.execute(f"SELECT count(*) FROM read_csv('{path}', {CSV_OPTIONS})").fetchone()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": row[0] if row else 0, "rss": _peak_rss_gb()}


def worker_import(path: Path, agency_code: str) -> dict[str, float]:
    import django

    django.setup()
    from joinedup.ingest.attendance import marks_file
    from joinedup.ingest.services import import_file

    started = time.perf_counter()
    run = import_file(actor=None, source_format="attendance", path=path, agency_code=agency_code)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": run.rows_in,
        "loaded": run.rows_loaded,
        "quarantined": run.rows_quarantined,
        "parquet_mb": marks_file(run).stat().st_size / 1024**2,
        "rss": _peak_rss_gb(),
    }


def _in_subprocess(kind: str, path: Path, agency_code: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--file", str(path), "--agency", agency_code],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pupils", type=int, default=60_000)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder.")
    parser.add_argument("--worker", choices=["floor", "import"], help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--agency", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.config.settings")
    if args.worker == "floor":
        print(json.dumps(worker_floor(args.file)))
        return 0
    if args.worker == "import":
        print(json.dumps(worker_import(args.file, args.agency)))
        return 0

    folder = Path(tempfile.mkdtemp(prefix="joinedup-attendance-bench-"))
    if "DATABASE_URL" not in os.environ:
        os.environ["JOINEDUP_VAR_DIR"] = str(folder / "var")
    os.environ.setdefault("JOINEDUP_VAR_DIR", str(folder / "var"))
    agency_code = f"bench-{os.getpid()}"
    try:
        path = folder / "attendance-2025-26.csv"
        started = time.perf_counter()
        rows = generate(path, args.pupils)
        print(f"generated {rows:,} rows in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        file_mb = path.stat().st_size / 1024**2
        setup_database(args.pupils, agency_code)
        floor = _in_subprocess("floor", path, agency_code)
        ours = _in_subprocess("import", path, agency_code)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    assert floor["rows"] == rows == ours["rows"] == ours["loaded"], (floor, ours)
    from django.db import connection

    print(
        f"\n### attendance_import.py — {dt.date.today()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, {connection.vendor}, {args.pupils:,} pupils, "
        f"file {file_mb:,.0f} MB\n"
    )
    print("| step | rows | seconds | rows/s | peak RSS GB | note |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(
        f"| DuckDB bare read (floor) | {floor['rows']:,} | {floor['seconds']:.1f} | "
        f"{floor['rows'] / floor['seconds']:,.0f} | {floor['rss']:.2f} | count(*) over read_csv |"
    )
    print(
        f"| joinedup import | {ours['rows']:,} | {ours['seconds']:.1f} | "
        f"{ours['rows'] / ours['seconds']:,.0f} | {ours['rss']:.2f} | "
        f"{ours['loaded']:,} loaded, {ours['quarantined']:,} quarantined; "
        f"Parquet {ours['parquet_mb']:.0f} MB; {ours['seconds'] / floor['seconds']:.1f}x floor |"
    )
    target = "met" if ours["seconds"] <= 60 else "NOT met"
    print(f"\nTarget (<= 60 s for the import): {target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

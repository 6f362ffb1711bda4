"""Every early-warning indicator for a school year of marks, against pandas and the bare scan.

Claim (issue 4): all indicators for 60,000 pupils over a school year (about 23M session marks
plus events) in <= 30 s on 2 cores.

The data (deterministic, synthetic): one marks Parquet file with the importer's columns for
the 2025/26 school year (190 school days, 380 sessions a pupil) across 50 schools, most pupils
attending well, one in ten often absent, a few on part-time timetables or with K, N, X and #
marks; and about 25,000 events (suspensions, police domestic-abuse notifications, missing
episodes, admissions, youth justice contacts). Written under var/bench (kept; `--fresh` to
remake). Then, each in its own process, so that seconds and peak RSS are its own:

- floor: DuckDB reads the columns the rules read and aggregates them once (a bare scan);
- joinedup: `evaluate` with the default rule set on DuckDB (2 threads), as at the last day;
- pandas: the same rules written plainly in pandas (groupby, merge, per-child run lengths);
  stopped after `--pandas-limit` seconds if it takes longer.

Both implementations' flag counts per rule are printed side by side as a cross-check.

Run: `uv run python benchmarks/indicators.py [--pupils 60000] [--fresh] [--pandas-limit 600]`.
"""

# The SQL here is built from numbers and dates this script makes, never from input.
# ruff: noqa: S608

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

AS_OF = dt.date(2026, 7, 21)
SCHOOLS = 50
TERMS = (
    ("2025-09-03", "2025-10-24"),
    ("2025-11-03", "2025-12-19"),
    ("2026-01-05", "2026-02-13"),
    ("2026-02-23", "2026-03-27"),
    ("2026-04-13", "2026-05-22"),
    ("2026-06-01", "2026-07-21"),
)
HOLIDAYS = ("2026-05-04",)
ABSENCES = "['I', 'I', 'I', 'M', 'N', 'O', 'G', 'C', 'U', 'E']"
CATEGORY = """CASE
  WHEN code IN ('/', '\\', 'L') THEN 'present'
  WHEN code IN ('K', 'V', 'P', 'W', 'B') THEN 'approved_activity'
  WHEN code IN ('G', 'N', 'O', 'U') THEN 'unauthorised'
  WHEN code IN ('X', 'D', 'Q', 'Z', '#', 'Y1') THEN 'not_possible'
  WHEN code = '-' THEN 'no_mark'
  ELSE 'authorised' END"""


def _peak_rss_gb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024**2
    return 0.0


def generate(folder: Path, pupils: int) -> tuple[Path, Path, int]:
    """The marks Parquet file and the inputs pickle (records, events); return the row count."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    marks, extras = folder / f"marks-{pupils}.parquet", folder / f"inputs-{pupils}.pickle"
    con = duckdb.connect()
    con.execute("SET threads = 2")
    terms = " UNION ALL ".join(
        f"SELECT unnest(generate_series(DATE '{a}', DATE '{b}', INTERVAL 1 DAY))::DATE AS d"
        for a, b in TERMS
    )
    holidays = ", ".join(f"DATE '{h}'" for h in HOLIDAYS)
    con.execute(
        f"CREATE TABLE days AS SELECT d, row_number() OVER (ORDER BY d) - 1 AS k FROM ({terms}) "
        f"WHERE dayofweek(d) BETWEEN 1 AND 5 AND d NOT IN ({holidays})"
    )
    if not marks.exists():
        # pupil p: school p % SCHOOLS; one in ten often absent; 1 in 200 on a part-time
        # timetable in the summer term; the 30 September INSET day is # for everyone.
        con.execute(
            f"""
            COPY (
              SELECT 1::BIGINT AS run, p::BIGINT AS source_record, 'P' || p AS record_id,
                     'A990' || lpad(p::VARCHAR, 9, '0') AS upn,
                     (100000 + p % {SCHOOLS})::VARCHAR AS school_urn, d AS date,
                     CASE WHEN s = 0 THEN 'AM' ELSE 'PM' END AS session, code,
                     {CATEGORY} AS category
              FROM (
                SELECT p, d, s, CASE
                  WHEN d = DATE '2025-09-30' THEN '#'
                  WHEN p % 200 = 7 AND d >= DATE '2026-04-13' AND s = 1 THEN 'C2'
                  WHEN p % 500 = 3 AND d >= DATE '2026-06-01' THEN 'K'
                  WHEN p % 97 = 5 AND k < 20 THEN 'X'
                  WHEN h % 1000 < CASE WHEN p % 10 = 0 THEN 130 + k ELSE 35 END
                    THEN {ABSENCES}[(h // 1000 % 10)::BIGINT + 1]
                  WHEN h % 1000 > 992 THEN 'L'
                  WHEN s = 0 THEN '/' ELSE '\\' END AS code
                FROM (SELECT p, d, k, s, hash(p, k, s) AS h
                      FROM range({pupils}) t(p), days, range(2) u(s))
              )
            ) TO '{marks}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
            """
        )
    rows = con.execute(f"SELECT count(*) FROM read_parquet('{marks}')").fetchone()[0]  # type: ignore[index]
    if not extras.exists():
        from joinedup.indicators.evaluate import EventRow, RecordRow

        rng = random.Random(2026)
        records = [RecordRow(p, p, f"School {p % SCHOOLS:02d}") for p in range(pupils)]
        start = dt.date(2025, 9, 1)
        events = []
        kinds = (
            ("suspension", 0.12, "School"),
            ("police_notification", 0.08, "Police"),
            ("missing_episode", 0.03, "Police"),
            ("school_admission", 0.06, "School"),
            ("youth_justice_contact", 0.02, "Youth justice"),
            ("alternative_provision", 0.01, "Local authority"),
            ("missing_education", 0.004, "Local authority"),
            ("elective_home_education", 0.004, "Local authority"),
            ("permanent_exclusion", 0.002, "School"),
        )
        for p in range(pupils):
            for kind, rate, agency in kinds:
                if rng.random() < rate:
                    on = start + dt.timedelta(days=rng.randrange(0, (AS_OF - start).days + 1))
                    extra = (
                        {"notification_type": "domestic_abuse"} if kind.startswith("pol") else {}
                    )
                    events.append(EventRow(p, kind, on, on, agency, kind, **extra))
        extras.write_bytes(pickle.dumps((records, events)))
    return marks, extras, int(rows)


def worker_floor(marks: Path) -> dict[str, float]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    started = time.perf_counter()
    row = con.execute(
        "SELECT count(*), count(DISTINCT source_record), max(date), "
        "sum(CASE WHEN category = 'present' THEN 1 ELSE 0 END), max(school_urn), max(code) "
        f"FROM read_parquet('{marks}')"
    ).fetchone()
    return {
        "seconds": time.perf_counter() - started,
        "rows": row[0] if row else 0,
        "rss": _peak_rss_gb(),
    }


def _counts(flags: list) -> dict[str, list[int]]:
    counts: dict[str, list[int]] = {}
    for f in flags:
        amber_red = counts.setdefault(f.rule_id, [0, 0])
        amber_red[f.level == "red"] += 1
    return counts


def worker_joinedup(marks: Path, extras: Path) -> dict[str, object]:
    from joinedup.indicators.engines import DuckDBBackend
    from joinedup.indicators.evaluate import Inputs, evaluate
    from joinedup.indicators.rulefile import DEFAULT_RULES_FILE, load_rules

    rules = load_rules(DEFAULT_RULES_FILE)
    records, events = pickle.loads(extras.read_bytes())  # noqa: S301 (our own file)
    started = time.perf_counter()
    inputs = Inputs((marks,), tuple(records), tuple(events), {1: AS_OF})
    flags = evaluate(inputs, as_of=AS_OF, rules=rules, backend=DuckDBBackend(threads=2))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "flags": len(flags),
        "counts": _counts(flags),
        "rss": _peak_rss_gb(),
    }


def worker_pandas(marks: Path, extras: Path) -> dict[str, object]:
    from naive_indicators import pandas_flags

    from joinedup.indicators.rulefile import DEFAULT_RULES_FILE, load_rules

    rules = load_rules(DEFAULT_RULES_FILE)
    records, events = pickle.loads(extras.read_bytes())  # noqa: S301 (our own file)
    started = time.perf_counter()
    flags = pandas_flags(marks, records, events, AS_OF, rules)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "flags": len(flags),
        "counts": _counts(flags),
        "rss": _peak_rss_gb(),
    }


def _in_subprocess(kind: str, marks: Path, extras: Path, limit: float | None = None) -> dict:
    command = [
        sys.executable,
        __file__,
        "--worker",
        kind,
        "--marks",
        str(marks),
        "--extras",
        str(extras),
    ]
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=True,
            timeout=limit,
            env=os.environ.copy(),
        )
    except subprocess.TimeoutExpired:
        return {"seconds": limit, "timed_out": True}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pupils", type=int, default=60_000)
    parser.add_argument("--fresh", action="store_true", help="remake the data files")
    parser.add_argument("--pandas-limit", type=float, default=600, help="seconds")
    parser.add_argument("--worker", choices=["floor", "joinedup", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--marks", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--extras", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        work = {"floor": lambda: worker_floor(args.marks)}
        work["joinedup"] = lambda: worker_joinedup(args.marks, args.extras)
        work["pandas"] = lambda: worker_pandas(args.marks, args.extras)
        print(json.dumps(work[args.worker](), default=str))
        return 0
    folder = ROOT / "var" / "bench" / "indicators"
    if args.fresh:
        for old in folder.glob(f"*-{args.pupils}.*"):
            old.unlink()
    started = time.perf_counter()
    marks, extras, rows = generate(folder, args.pupils)
    print(f"data ready ({rows:,} marks) in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    load = os.getloadavg()
    floor = _in_subprocess("floor", marks, extras)
    ours = _in_subprocess("joinedup", marks, extras)
    naive = _in_subprocess("pandas", marks, extras, args.pandas_limit)
    load_after = os.getloadavg()
    print(
        f"\n### indicators.py — {dt.date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"{args.pupils:,} pupils, {rows:,} marks, as at {AS_OF}; load average "
        f"{load[0]:.1f} before, {load_after[0]:.1f} after (other work on the machine)\n"
    )
    print("| step | seconds | peak RSS GB | flags | note |")
    print("| --- | --- | --- | --- | --- |")
    print(
        f"| DuckDB bare scan (floor) | {floor['seconds']:.1f} | {floor['rss']:.2f} | - | "
        f"{floor['rows']:,} marks: the rules' columns read and aggregated once |"
    )
    print(
        f"| joinedup `evaluate` (DuckDB, 2 threads) | {ours['seconds']:.1f} | {ours['rss']:.2f} | "
        f"{ours['flags']:,} | all {len(ours['counts'])} firing rules; "
        f"{ours['seconds'] / floor['seconds']:.1f}x floor |"
    )
    if naive.get("timed_out"):
        print(
            f"| pandas, written plainly | > {args.pandas_limit:.0f} | - | - | "
            "stopped at the limit |"
        )
    else:
        print(
            f"| pandas, written plainly | {naive['seconds']:.1f} | {naive['rss']:.2f} | "
            f"{naive['flags']:,} | {naive['seconds'] / ours['seconds']:.1f}x joinedup |"
        )
        print("\n| rule | joinedup amber/red | pandas amber/red |")
        print("| --- | --- | --- |")
        for rule in sorted(set(ours["counts"]) | set(naive["counts"])):
            a, b = ours["counts"].get(rule, [0, 0]), naive["counts"].get(rule, [0, 0])
            differs = "" if a == b else " (differs)"
            print(f"| {rule} | {a[0]:,} / {a[1]:,} | {b[0]:,} / {b[1]:,}{differs} |")
    target = "met" if ours["seconds"] <= 30 else "NOT met"
    print(f"\nTarget (<= 30 s for every indicator): {target}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

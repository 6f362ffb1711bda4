"""The same indicator SQL on Apache Spark gives the same flags as on DuckDB (one JVM for the
session: tests/conftest.py `spark_session`). A handful of hand-built timelines, each a case
the DuckDB tests (test_evaluate.py) check threshold by threshold."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from joinedup.indicators.engines import SparkBackend
from joinedup.indicators.evaluate import evaluate
from joinedup.indicators.rulefile import DEFAULT_RULES_FILE, load_rules
from tests.indicators.timelines import Pupil, autumn, event, inputs, write_marks

RULES = load_rules(DEFAULT_RULES_FILE)
DAYS = autumn()
LAST_30 = DAYS[-30:]
END = date(2025, 12, 19)


@pytest.fixture
def cases(tmp_path: Path) -> Any:
    mondays = [d for d in LAST_30 if d.weekday() == 0]
    pupils = [
        Pupil(1, 1, DAYS).absent_sessions(LAST_30, 6, "I"),  # 90% exactly: no flag
        Pupil(2, 2, DAYS).absent_sessions(LAST_30, 7, "I"),  # amber, and a 11.7-point drop
        Pupil(3, 3, DAYS).mark(LAST_30[5:15], "O"),  # 10 unauthorised days in a row: red
        Pupil(4, 4, DAYS).mark(mondays[-3:], "N", ["AM"]),  # weekday pattern; 3 N sessions
        Pupil(5, 5, DAYS).mark(LAST_30[:6], "X").mark([LAST_30[7]], "#"),  # not possible
        Pupil(6, 6, DAYS).mark(DAYS[-3:], "K", ["PM"]).mark([DAYS[-2]], "C2", ["AM"]),
    ]
    first = write_marks(tmp_path / "first.parquet", pupils, run=1)
    # A later import for pupil 1 replaces 4 present sessions with absences: now 83.3%.
    later = [Pupil(1, 1, LAST_30[-2:]).mark(LAST_30[-2:], "O")]
    second = write_marks(tmp_path / "second.parquet", later, run=2)
    events = [
        event(1, "police_notification", date(2025, 11, 1), notification_type="domestic_abuse"),
        event(1, "police_notification", date(2025, 6, 1), notification_type="domestic_abuse"),
        event(2, "suspension", date(2025, 10, 1)),
        event(7, "school_admission", date(2025, 11, 3)),
        event(7, "missing_episode", date(2025, 12, 1)),
    ]
    return inputs([first, second], pupils, events)


def test_spark_gives_the_same_flags_as_duckdb(cases: Any, spark_session: Any) -> None:
    previous = {(2, "attendance-6-weeks"): "amber"}
    on_duckdb = evaluate(cases, as_of=END, rules=RULES, previous=previous)
    backend = SparkBackend(spark_session)
    try:
        on_spark = evaluate(cases, as_of=END, rules=RULES, previous=previous, backend=backend)
    finally:
        backend.close()
    assert on_spark == on_duckdb
    levels = {(f.child_id, f.rule_id): f.level for f in on_duckdb}
    assert levels[1, "attendance-6-weeks"] == "amber"  # the later import's marks won
    assert levels[1, "police-domestic-abuse"] == "red"
    assert levels[2, "attendance-drop"] == "amber"
    assert levels[3, "unauthorised-10-days"] == "red"
    assert levels[4, "weekday-pattern"] == "amber"
    assert levels[4, "unexplained-absence"] == "amber"
    assert (5, "attendance-6-weeks") not in levels  # X and # sessions are not possible ones
    assert levels[6, "alternative-provision"] == levels[6, "part-time-timetable"] == "amber"
    assert levels[7, "escalation"] == "red"

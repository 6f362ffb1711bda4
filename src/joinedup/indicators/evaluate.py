"""Evaluating the indicator rules: marks, records and events in, one FlagResult per rule that
fires for a child out. Pure (no Django, no writes): area.py builds the inputs from the
database, services.py stores the flags.

Only marks and events dated on or before `as_of` count, so a past date gives the flags as they
would have been then (the fairness report relies on it). The counting is SQL (sql.py), the same
on DuckDB and Spark; the thresholds are applied here, on exact fractions, so a value exactly at
a threshold is judged the same on both engines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from joinedup.indicators import sql
from joinedup.indicators.engines import Backend, DuckDBBackend
from joinedup.indicators.judge import Judge
from joinedup.indicators.results import FlagResult
from joinedup.indicators.rulefile import RuleSet
from joinedup.indicators.slots import SLOT_OF_DAY_COLUMNS, slot_columns, slot_tables

__all__ = ["EventRow", "FlagResult", "Inputs", "RecordRow", "evaluate"]

MARK_KINDS = {
    "attendance_rate",
    "attendance_drop",
    "consecutive_unauthorised",
    "session_count",
    "weekday_pattern",
}
MARK_COLUMNS = (
    ("run", "BIGINT"),
    ("source_record", "BIGINT"),
    ("record_id", "VARCHAR"),
    ("upn", "VARCHAR"),
    ("school_urn", "VARCHAR"),
    ("date", "DATE"),
    ("session", "VARCHAR"),
    ("code", "VARCHAR"),
    ("category", "VARCHAR"),
)
RECORD_COLUMNS = (("source_record", "BIGINT"), ("child", "BIGINT"), ("agency", "VARCHAR"))
EVENT_COLUMNS = (
    ("child", "BIGINT"),
    ("event_type", "VARCHAR"),
    ("occurred_on", "DATE"),
    ("recorded_on", "DATE"),
    ("agency", "VARCHAR"),
    ("what", "VARCHAR"),
    ("notification_type", "VARCHAR"),
    ("admission", "VARCHAR"),
)


@dataclass(frozen=True)
class RecordRow:
    """A pupil's source record (whose marks these are) and the child it belongs to."""

    source_record: int
    child: int
    agency: str  # the agency's name, for the flag's source


@dataclass(frozen=True)
class EventRow:
    child: int
    event_type: str
    occurred_on: date
    recorded_on: date  # when the event arrived (the flag's data date)
    agency: str
    what: str  # a plain label for the evidence list, e.g. "Suspension"
    notification_type: str | None = None
    admission: str | None = None


@dataclass(frozen=True)
class Inputs:
    marks: tuple[Path, ...]
    records: tuple[RecordRow, ...]
    events: tuple[EventRow, ...]
    runs: Mapping[int, date] = field(default_factory=dict)  # import run -> the day it loaded
    # Only some children (school calendars still come from every mark in the files).
    partial: bool = False

    @property
    def children(self) -> set[int]:
        return {r.child for r in self.records} | {e.child for e in self.events}


def evaluate(
    inputs: Inputs,
    *,
    as_of: date,
    rules: RuleSet,
    previous: Mapping[tuple[int, str], str] | None = None,
    backend: Backend | None = None,
) -> list[FlagResult]:
    """Every enabled rule's flags for the children in `inputs`, as at `as_of`. `previous`
    (child, rule id) -> level of the flags open before this run lets escalation see a flag
    rising from amber to red."""
    own = backend is None
    engine: Backend = backend if backend is not None else DuckDBBackend()
    try:
        return _evaluate(engine, inputs, as_of, rules, previous or {})
    finally:
        if own:
            engine.close()


def _evaluate(
    engine: Backend,
    inputs: Inputs,
    as_of: date,
    rules: RuleSet,
    previous: Mapping[tuple[int, str], str],
) -> list[FlagResult]:
    p = sql.params_for(rules, as_of)
    engine.load_rows(
        "jd_records", RECORD_COLUMNS, [(r.source_record, r.child, r.agency) for r in inputs.records]
    )
    engine.load_rows(
        "jd_events",
        EVENT_COLUMNS,
        [
            (e.child, e.event_type, e.occurred_on, e.recorded_on, e.agency, e.what)
            + (e.notification_type, e.admission)
            for e in inputs.events
        ],
    )
    judge = Judge(rules, p, inputs.runs)
    if inputs.records and any(r.kind in MARK_KINDS or r.codes for r in rules.enabled):
        _mark_steps(engine, inputs, rules, p, judge)
    flags: list[FlagResult] = []
    for rule in rules.enabled:
        if rule.kind == "escalation":
            continue
        if rule.kind in ("event_count", "mid_year_admission"):
            since = min(p.cutoff(w) for w in (*rule.windows, rule.red_window) if w is not None)
            flags += judge.events(rule, engine.rows(sql.events_select(p, rule, since)))
        elif rule.kind == "consecutive_unauthorised" and judge.stats:
            shortest = min(t for t in (rule.amber, rule.red) if t is not None)
            flags += judge.runs(rule, engine.rows(sql.runs_select(p, rule, int(shortest))))
        elif rule.kind == "weekday_pattern" and judge.stats:
            fewest = min(t for t in (rule.amber, rule.red) if t is not None)
            flags += judge.weekdays(rule, engine.rows(sql.weekdays_select(p, rule, int(fewest))))
        elif rule.kind in MARK_KINDS:
            flags += judge.marks(rule)
    for rule in rules.enabled:
        if rule.kind == "escalation":
            flags += escalations(rule, rules.version, flags, previous, as_of)
    return sorted(flags, key=lambda f: (f.child_id, f.rule_id))


def _mark_steps(
    engine: Backend, inputs: Inputs, rules: RuleSet, p: sql.Params, judge: Judge
) -> None:
    marks = list(inputs.marks)
    if marks:
        engine.load_marks("jd_marks_raw", marks)
    else:
        engine.load_rows("jd_marks_raw", MARK_COLUMNS, [])
    codes = sql.code_sets(rules)
    engine.view("jd_marks", sql.marks_select(p, dedupe=_may_overlap(engine, marks)))
    school_days = engine.rows(sql.school_days_select())
    since = [
        p.cutoff(r.window)
        for r in rules.enabled
        if r.kind in ("consecutive_unauthorised", "weekday_pattern")
        and r.window is not None
        and r.window.kind != "school_days"
    ]
    of_day, slots = slot_tables(
        school_days, p, sql.edges(rules), sql.recent_days(rules), min(since, default=None)
    )
    engine.load_rows("jd_slot_of_day", SLOT_OF_DAY_COLUMNS, of_day)
    engine.load_rows("jd_slots", slot_columns(p), slots)
    engine.create("jd_child_parts", sql.child_parts_select(codes))
    engine.create("jd_recent", sql.recent_select())
    stats = judge.plan(codes)
    columns = ["child", "last_run", *stats.columns.values()]
    judge.stats = {
        int(row[0]): dict(zip(columns, row, strict=True)) for row in engine.rows(stats.select())
    }
    sources: dict[int, list[str]] = defaultdict(list)
    for child, agency in engine.rows(sql.sources_select()):
        sources[int(child)].append(str(agency))
    judge.sources = {c: "; ".join(sorted(a)) for c, a in sources.items()}


def _may_overlap(engine: Backend, paths: Sequence[Path]) -> bool:
    """Whether two files could hold a mark for the same pupil, day and session: both for one
    school (or a file for several), with date ranges that meet. Only then are marks deduplicated
    (a pass over every mark): a school's daily or weekly files do not overlap."""
    if len(paths) < 2:
        return False
    spans = [engine.span(path) for path in paths]
    for i, (lo_urn, hi_urn, first, last) in enumerate(spans):
        for other_lo, other_hi, other_first, other_last in spans[i + 1 :]:
            if first is None or other_first is None:
                continue
            schools_meet = not (hi_urn < other_lo or other_hi < lo_urn)
            if schools_meet and first <= other_last and other_first <= last:
                return True
    return False


def escalations(
    rule: Any,
    version: str,
    flags: Sequence[FlagResult],
    previous: Mapping[tuple[int, str], str],
    as_of: date,
) -> list[FlagResult]:
    """Red when a child's flags span `red` or more domains, or a flag rose from amber (in the
    last run) to red (now)."""
    by_child: dict[int, list[FlagResult]] = defaultdict(list)
    for f in flags:
        by_child[f.child_id].append(f)
    found = []
    for child, mine in sorted(by_child.items()):
        domains = sorted({f.domain for f in mine})
        rising = [
            f for f in mine if f.level == "red" and previous.get((child, f.rule_id)) == "amber"
        ]
        if not (Fraction(len(domains)) >= Fraction(repr(rule.red)) or rising):
            continue
        items = [
            {
                "date": (f.window_end or as_of).isoformat(),
                "what": f"{f.rule_name} ({f.level}{', rising from amber' if f in rising else ''})",
            }
            for f in mine
        ]
        found.append(
            FlagResult(
                child_id=child,
                rule_id=rule.id,
                rule_version=version,
                rule_name=rule.name,
                domain=rule.domain,
                level="red",
                value=float(len(domains)),
                threshold=float(rule.red),
                unit="domains",
                comparison=">=",
                window_start=min((f.window_start for f in mine if f.window_start), default=None),
                window_end=as_of,
                window_label="this run's flags",
                source="; ".join(sorted({f.rule_id for f in mine})),
                data_date=max((f.data_date for f in mine if f.data_date), default=None),
                clears_when=rule.clears,
                evidence={
                    "domains": domains,
                    "rising": [f.rule_id for f in rising],
                    "items": items,
                },
                is_escalation=True,
            )
        )
    return found

"""The indicator SQL: the same statements on DuckDB and Spark SQL (see engines.py).

Steps:

1. `jd_marks` (a view): marks dated from `lo` to the as-of date; where two imports hold a mark
   for the same pupil, day and session, the later import's wins (as `marks_relation` reads
   them; only when two files could overlap, as the check costs a pass over every mark).
2. `jd_school_days`: the days each school recorded at least one possible session. These are
   the school days windows count, so half terms, holidays and whole-school closures (#) are
   skipped, not counted. Each day gets `r`, its rank counting back from the as-of date in its
   school (1 = the school's last school day on or before it).
3. Slots (slots.py, in Python; a few rows per school): the recent school days one by one, and
   older days in spans whose edges are every window's edge, so each window is a whole number
   of slots. `jd_child_parts`: per child and slot, the counts the rules read (possible
   sessions: every mark except not-possible and no-mark codes; attended: present + approved
   activity; unauthorised; absent: authorised + unauthorised; each code set's sessions).
   Grouping 23M marks into ~50 slots a pupil, not ~190 days, is what makes a year fast.
4. `jd_recent`: per child and recent day (runs of days, weekdays).

Every value is an integer count; rates and thresholds are worked out in Python (judge.py), so
both engines give the same numbers. Statements are built from dates, integers and codes the
rule file check allows (attendance codes; event types; match values, quoted), never from
marks or events.
"""

# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from joinedup.indicators.rulefile import Rule, RuleSet, Window

__all__ = ["SHIFTS", "Params", "Stats", "params_for", "quote"]

POSSIBLE = "('present', 'approved_activity', 'authorised', 'unauthorised')"
ATTENDED = "('present', 'approved_activity')"
ABSENT = "('authorised', 'unauthorised')"
# The sparkline's points: the window ending on the last school day, and on each of the five
# school weeks before it.
SHIFTS = (0, 5, 10, 15, 20, 25)
SLOT_SPACE = 1_000_000  # more slots than an area's schools x slots a school


def quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def day(value: date) -> str:
    return f"DATE '{value.isoformat()}'"


@dataclass(frozen=True)
class Params:
    as_of: date
    year_start: date
    term_start: date
    lo: date  # the earliest mark any window (or its sparkline) can reach
    cutoffs: tuple[date, ...] = ()  # calendar windows of rules that count marked codes

    def predicate(self, window: Window, shift: int = 0) -> str:
        """The slots (alias s) of `window` ending `shift` school days before the last one."""
        if window.kind == "school_days":
            return f"s.r_lo > {shift} AND s.r_hi <= {window.n + shift}"
        column = "in_year" if window.kind == "school_year" else "in_term"
        return f"s.r_lo > {shift} AND s.{column} = 1"

    def recent(self, window: Window) -> str:
        """The recent days (jd_recent) of `window`."""
        if window.kind == "school_days":
            return f"r <= {window.n}"
        start = self.year_start if window.kind == "school_year" else self.term_start
        return f"on_day >= {day(start)}"

    def cutoff(self, window: Window) -> date:
        """The first day of a calendar window (event rules)."""
        if window.kind == "school_year":
            return self.year_start
        if window.kind == "term":
            return self.term_start
        return self.as_of - timedelta(days=window.n - 1)


def params_for(rules: RuleSet, as_of: date) -> Params:
    year_start = rules.calendar.school_year_start(as_of)
    term_start = rules.calendar.term_start(as_of)
    reach = max([*edges(rules), 0])
    calendar_days = [
        w.n for r in rules.enabled for w in (*r.windows, r.red_window) if w and w.kind == "days"
    ]
    # school days -> calendar days, with room for a summer holiday and two half terms
    lo = min(
        year_start,
        term_start,
        as_of - timedelta(days=reach // 5 * 7 + 70),
        as_of - timedelta(days=max(calendar_days + [0])),
    )
    p = Params(as_of, year_start, term_start, lo)
    cuts = tuple(p.cutoff(r.window) for r in rules.enabled if _counts_codes_by_date(r) and r.window)
    return Params(as_of, year_start, term_start, lo, tuple(sorted(set(cuts))))


def _counts_codes_by_date(rule: Rule) -> bool:
    return bool(rule.codes) and rule.kind in ("event_count", "mid_year_admission")


def edges(rules: RuleSet) -> list[int]:
    """Every school-day rank where some window (or its sparkline point) ends."""
    found = set(SHIFTS)
    for rule in rules.enabled:
        if _counts_codes_by_date(rule):
            continue
        for window in rule.windows:
            if window.kind != "school_days":
                continue
            for shift in SHIFTS:
                found.add(window.n + shift)
            if rule.kind == "attendance_drop":
                found.add(2 * window.n)
    return sorted(e for e in found if e > 0)


def recent_days(rules: RuleSet) -> int:
    """How many recent school days are kept one by one: the sparkline's end days, and the
    windows of the rules that look at days (runs, weekdays)."""
    days = [SHIFTS[-1] + 1]
    for rule in rules.enabled:
        if rule.kind in ("consecutive_unauthorised", "weekday_pattern") and rule.window:
            days.append(rule.window.n if rule.window.kind == "school_days" else 0)
    return max(days)


def code_sets(rules: RuleSet) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for rule in rules.enabled:
        if rule.codes and rule.codes not in found:
            found.append(rule.codes)
    return found


def marks_select(p: Params, *, dedupe: bool) -> str:
    where = f"date >= {day(p.lo)} AND date <= {day(p.as_of)}"
    if not dedupe:
        return (
            "SELECT source_record, coalesce(school_urn, '') AS school, date AS on_day, "
            f"code, category, run FROM jd_marks_raw WHERE {where}"
        )
    return (
        "SELECT source_record, coalesce(max_by(school_urn, run), '') AS school, date AS on_day, "
        "max_by(code, run) AS code, max_by(category, run) AS category, max(run) AS run "
        f"FROM jd_marks_raw WHERE {where} GROUP BY source_record, date, session"
    )


def school_days_select() -> str:
    return f"SELECT DISTINCT school, on_day FROM jd_marks WHERE category IN {POSSIBLE}"


def child_parts_select(codes: Sequence[tuple[str, ...]]) -> str:
    """Per child and slot: the counts the rules read (a child's records at several schools,
    or merged children's records, add up)."""
    counts = "".join(
        f", SUM(CASE WHEN m.code IN ({', '.join(quote(c) for c in group)}) THEN 1 ELSE 0 END)"
        f" AS codes_{i}, MAX(CASE WHEN m.code IN ({', '.join(quote(c) for c in group)})"
        f" THEN m.on_day END) AS last_codes_{i}"
        for i, group in enumerate(codes)
    )
    # One integer key (child x SLOT_SPACE + slot) groups several times faster than two.
    return (
        "SELECT MIN(k.child) AS child, MIN(d.slot) AS slot, "
        f"SUM(CASE WHEN m.category IN {POSSIBLE} THEN 1 ELSE 0 END) AS possible, "
        f"SUM(CASE WHEN m.category IN {ATTENDED} THEN 1 ELSE 0 END) AS attended, "
        "SUM(CASE WHEN m.category = 'unauthorised' THEN 1 ELSE 0 END) AS unauthorised, "
        f"SUM(CASE WHEN m.category IN {ABSENT} THEN 1 ELSE 0 END) AS absent"
        f"{counts}, MAX(m.run) AS run, MIN(k.agency) AS first_agency, "
        "MAX(k.agency) AS last_agency FROM jd_marks m "
        "JOIN jd_slot_of_day d ON d.school = m.school AND d.on_day = m.on_day "
        "JOIN jd_records k ON k.source_record = m.source_record "
        f"GROUP BY k.child * {SLOT_SPACE} + d.slot"
    )


def recent_select() -> str:
    return (
        "SELECT c.child, s.day AS on_day, MIN(s.r_lo) AS r, SUM(c.possible) AS possible, "
        "SUM(c.unauthorised) AS unauthorised, SUM(c.absent) AS absent "
        "FROM jd_child_parts c JOIN jd_slots s ON s.slot = c.slot "
        "WHERE s.day IS NOT NULL GROUP BY c.child, s.day"
    )


def sources_select() -> str:
    return (
        "SELECT DISTINCT child, first_agency FROM jd_child_parts UNION "
        "SELECT DISTINCT child, last_agency FROM jd_child_parts"
    )


class Stats:
    """The per-child aggregates the rules need, as one GROUP BY over the child's slots: each
    distinct expression once, found again by its alias."""

    def __init__(self) -> None:
        self.columns: dict[str, str] = {}  # expression -> alias

    def add(self, expression: str) -> str:
        if expression not in self.columns:
            self.columns[expression] = f"s{len(self.columns)}"
        return self.columns[expression]

    def sum_of(self, column: str, predicate: str) -> str:
        return self.add(f"SUM(CASE WHEN {predicate} THEN c.{column} ELSE 0 END)")

    def first_day(self, predicate: str) -> str:
        return self.add(f"MIN(CASE WHEN {predicate} THEN s.first_day END)")

    def end_day(self, shift: int) -> str:
        return self.add(f"MAX(CASE WHEN s.day IS NOT NULL AND s.r_lo = {1 + shift} THEN s.day END)")

    def select(self) -> str:
        items = ", ".join(f"{e} AS {a}" for e, a in self.columns.items())
        items = f", {items}" if items else ""
        return (
            f"SELECT c.child, MAX(c.run) AS last_run{items} FROM jd_child_parts c "
            "JOIN jd_slots s ON s.slot = c.slot GROUP BY c.child"
        )


def runs_select(p: Params, rule: Rule, shortest: int) -> str:
    """Runs of school days whose possible sessions were all unauthorised absence, within the
    rule's window, at least `shortest` days long (days with no possible session neither count
    nor break a run)."""
    assert rule.window is not None
    ua = "CASE WHEN unauthorised = possible THEN 1 ELSE 0 END"
    return (
        "SELECT child, COUNT(*) AS days, MIN(on_day) AS first_day, MAX(on_day) AS last_day "
        f"FROM (SELECT child, on_day, {ua} AS ua, "
        "  row_number() OVER (PARTITION BY child ORDER BY on_day) - "
        f"  row_number() OVER (PARTITION BY child, {ua} ORDER BY on_day) AS grp "
        f"  FROM jd_recent WHERE possible > 0 AND {p.recent(rule.window)}) x "
        f"WHERE ua = 1 GROUP BY child, grp HAVING COUNT(*) >= {int(shortest)}"
    )


def weekdays_select(p: Params, rule: Rule, fewest: int) -> str:
    """Per child and weekday in the window: school days with a possible session, days with an
    absence, and the child's totals over all weekdays; only weekdays with `fewest` absent days."""
    assert rule.window is not None
    return (
        "SELECT child, sample, days, absent_days, all_days, all_absent FROM ("
        " SELECT child, sample, days, absent_days,"
        "  SUM(days) OVER (PARTITION BY child) AS all_days,"
        "  SUM(absent_days) OVER (PARTITION BY child) AS all_absent FROM ("
        "   SELECT child, dayofweek(on_day) AS weekday, MIN(on_day) AS sample, COUNT(*) AS days,"
        "    SUM(CASE WHEN absent > 0 THEN 1 ELSE 0 END) AS absent_days FROM jd_recent"
        f"   WHERE possible > 0 AND {p.recent(rule.window)} GROUP BY child, dayofweek(on_day)"
        " ) w"
        f") t WHERE absent_days >= {int(fewest)}"
    )


def events_select(p: Params, rule: Rule, since: date) -> str:
    kinds = ("school_admission",) if rule.kind == "mid_year_admission" else rule.event_types
    types = ", ".join(quote(t) for t in kinds)
    where = [
        f"event_type IN ({types})",
        f"occurred_on >= {day(since)}",
        f"occurred_on <= {day(p.as_of)}",
    ]
    for name, values in rule.match:
        listed = ", ".join(quote(v) for v in values)
        where.append(f"({name} IS NULL OR {name} = '' OR {name} IN ({listed}))")
    return (
        "SELECT child, occurred_on, recorded_on, agency, what FROM jd_events WHERE "
        + " AND ".join(where)
    )

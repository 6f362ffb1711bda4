"""Applying each rule's thresholds to the counts the SQL gave, and writing the flag's evidence.

Comparisons are on exact fractions (90% is 9 of 10 sessions, not 89.99999), so a value exactly
at a threshold is judged the same on every engine: "below 90" does not fire at 90.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from joinedup.indicators import sql
from joinedup.indicators.results import FlagResult
from joinedup.indicators.rulefile import Rule, RuleSet, Window

__all__ = ["MIN_SESSIONS", "Judge"]

# An attendance window is judged only once it holds this many possible sessions (a week), so
# one absent morning on the first day of term is not "0% attendance".
MIN_SESSIONS = 10
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MARKS_SOURCE = "attendance marks"


@functools.cache
def _exact(value: float) -> Fraction:
    return Fraction(repr(value))


def level_of(rule: Rule, value: Fraction) -> tuple[str, float] | None:
    """The level the value reaches, and that level's threshold (None: the rule does not fire)."""
    below = rule.spec.direction == "below"
    for level, threshold in (("red", rule.red), ("amber", rule.amber)):
        if threshold is None:
            continue
        if (value < _exact(threshold)) if below else (value >= _exact(threshold)):
            return level, threshold
    return None


def level_of_ratio(rule: Rule, num: int, den: int) -> tuple[str, float] | None:
    """`level_of` for the value num / den (den > 0), without making a Fraction."""
    below = rule.spec.direction == "below"
    for level, threshold in (("red", rule.red), ("amber", rule.amber)):
        if threshold is None:
            continue
        t = _exact(threshold)
        left, right = num * t.denominator, t.numerator * den
        if (left < right) if below else (left >= right):
            return level, threshold
    return None


class Judge:
    def __init__(self, rules: RuleSet, p: sql.Params, runs: Mapping[int, date]) -> None:
        self.rules, self.p, self.loaded_on = rules, p, runs
        self.stats: dict[int, dict[str, Any]] = {}
        self.sources: dict[int, str] = {}
        self.aliases: dict[tuple[Any, ...], str] = {}

    # -- planning the per-child aggregates -------------------------------------------------
    def plan(self, codes: Sequence[tuple[str, ...]]) -> sql.Stats:
        stats, p, a = sql.Stats(), self.p, self.aliases
        for shift in sql.SHIFTS:
            a["end", shift] = stats.end_day(shift)
        for rule in self.rules.enabled:
            windows = list(rule.windows)
            if rule.kind == "attendance_drop":
                assert rule.window is not None
                n = rule.window.n
                before = f"s.r_lo > {n} AND s.r_hi <= {2 * n}"
                a["prev", rule.id, "p"] = stats.sum_of("possible", before)
                a["prev", rule.id, "a"] = stats.sum_of("attended", before)
            if rule.kind in ("event_count", "mid_year_admission"):
                if rule.codes:
                    assert rule.window is not None
                    cut = f"s.cut_{p.cutoffs.index(p.cutoff(rule.window))} = 1"
                    column = f"codes_{codes.index(rule.codes)}"
                    a["code", rule.id] = stats.sum_of(column, cut)
                    a["code_last", rule.id] = stats.add(
                        f"MAX(CASE WHEN {cut} THEN c.last_{column} END)"
                    )
                continue
            for window in windows:
                a["start", window] = stats.first_day(p.predicate(window))
                for shift in sql.SHIFTS:
                    where = p.predicate(window, shift)
                    if rule.kind in ("attendance_rate", "attendance_drop"):
                        a["p", window, shift] = stats.sum_of("possible", where)
                        a["a", window, shift] = stats.sum_of("attended", where)
                    if rule.codes:
                        column = f"codes_{codes.index(rule.codes)}"
                        a["c", rule.codes, window, shift] = stats.sum_of(column, where)
        return stats

    def _get(self, row: Mapping[str, Any], *key: Any) -> Any:
        return row[self.aliases[key]]

    def _rate(self, row: Mapping[str, Any], window: Window, shift: int) -> Fraction | None:
        possible = int(self._get(row, "p", window, shift) or 0)
        if possible < MIN_SESSIONS:
            return None
        return Fraction(100 * int(self._get(row, "a", window, shift) or 0), possible)

    def _series(self, row: Mapping[str, Any], value: Any) -> list[dict[str, Any]]:
        points = []
        for shift in reversed(sql.SHIFTS):
            end, point = self._get(row, "end", shift), value(shift)
            if end is not None and point is not None:
                points.append({"end": end.isoformat(), "value": round(float(point), 2)})
        return points

    def _flag(
        self, rule: Rule, child: int, hit: tuple[str, float], value: Fraction | int, **kw: Any
    ) -> FlagResult:
        level, threshold = hit
        return FlagResult(
            child_id=child,
            rule_id=rule.id,
            rule_version=self.rules.version,
            rule_name=rule.name,
            domain=rule.domain,
            level=level,
            value=round(float(value), 2),
            threshold=float(threshold),
            unit=rule.spec.unit,
            comparison=rule.spec.comparison,
            clears_when=rule.clears,
            is_escalation=False,
            **kw,
        )

    def _marks_fields(self, row: Mapping[str, Any], child: int, window: Window) -> dict[str, Any]:
        last = row.get("last_run")
        return {
            "window_start": self._get(row, "start", window),
            "window_end": self._get(row, "end", 0),
            "window_label": window.label,
            "source": f"{self.sources.get(child, 'school')} ({MARKS_SOURCE})"[:200],
            "data_date": self.loaded_on.get(int(last)) if last is not None else None,
        }

    # -- rules over marks --------------------------------------------------------------------
    def marks(self, rule: Rule) -> list[FlagResult]:
        """Attendance rates, drops and session counts. Each value is a ratio of integers
        (num / den), compared with the thresholds by cross-multiplying: no rounding."""
        a, found = self.aliases, []
        windows = [(a.get(("p", w, 0), ""), a.get(("a", w, 0), ""), w) for w in rule.windows]
        window = rule.windows[0]
        count_at = a.get(("c", rule.codes, window, 0), "")
        for child, row in self.stats.items():
            if rule.kind == "attendance_rate":
                best = None
                for possible_at, attended_at, w in windows:
                    possible = int(row[possible_at] or 0)
                    if possible >= MIN_SESSIONS:
                        attended = int(row[attended_at] or 0)
                        if best is None or attended * best[1] < best[0] * possible:
                            best = (attended, possible, w)
                if best is None:
                    continue
                num, den, window = 100 * best[0], best[1], best[2]
            elif rule.kind == "attendance_drop":
                now_p, now_a = int(row[windows[0][0]] or 0), int(row[windows[0][1]] or 0)
                before_p = int(row[a["prev", rule.id, "p"]] or 0)
                before_a = int(row[a["prev", rule.id, "a"]] or 0)
                if now_p < MIN_SESSIONS or before_p < MIN_SESSIONS:
                    continue
                num, den = 100 * (before_a * now_p - now_a * before_p), before_p * now_p
            elif rule.kind == "session_count":
                num, den = int(row[count_at] or 0), 1
            else:
                continue
            hit = level_of_ratio(rule, num, den)
            if hit is None:
                continue
            value = Fraction(num, den)
            if rule.kind == "session_count":
                series: Any = lambda s, w=window, r=row: int(  # noqa: E731
                    self._get(r, "c", rule.codes, w, s) or 0
                )
            else:
                series = lambda s, w=window, r=row: self._rate(r, w, s)  # noqa: E731
            evidence: dict[str, Any] = {"series": self._series(row, series)}
            if rule.kind == "attendance_drop":
                evidence["before"] = round(float(value + (self._rate(row, window, 0) or 0)), 2)
            fields = self._marks_fields(row, child, window)
            found.append(self._flag(rule, child, hit, value, evidence=evidence, **fields))
        return found

    def runs(self, rule: Rule, rows: Sequence[tuple[Any, ...]]) -> list[FlagResult]:
        longest: dict[int, tuple[int, date, date]] = {}
        for child, days, first, last in rows:
            if int(child) not in longest or days > longest[int(child)][0]:
                longest[int(child)] = (int(days), first, last)
        found = []
        assert rule.window is not None
        for child, (days, first, last) in sorted(longest.items()):
            hit = level_of(rule, Fraction(days))
            row = self.stats.get(child)
            if hit is None or row is None:
                continue
            items = [
                {"date": first.isoformat(), "what": "first school day of unauthorised absence"},
                {"date": last.isoformat(), "what": f"last school day of the run ({days} days)"},
            ]
            fields = self._marks_fields(row, child, rule.window)
            found.append(self._flag(rule, child, hit, days, evidence={"items": items}, **fields))
        return found

    def weekdays(self, rule: Rule, rows: Sequence[tuple[Any, ...]]) -> list[FlagResult]:
        best: dict[int, tuple[int, Fraction, date, int, Fraction]] = {}
        for child, sample, days, absent, all_days, all_absent in rows:
            other_days, other_absent = int(all_days) - int(days), int(all_absent) - int(absent)
            if other_days <= 0:
                continue
            rate, other = Fraction(int(absent), int(days)), Fraction(other_absent, other_days)
            if rate < _exact(rule.min_ratio) * other:
                continue
            key = (int(absent), rate)
            if int(child) not in best or key > best[int(child)][:2]:
                best[int(child)] = (int(absent), rate, sample, int(days), other)
        found = []
        assert rule.window is not None
        for child, (absent, rate, sample, days, other) in sorted(best.items()):
            hit = level_of(rule, Fraction(absent))
            row = self.stats.get(child)
            if hit is None or row is None:
                continue
            evidence = {
                "weekday": WEEKDAYS[sample.weekday()],
                "absent_days": absent,
                "days": days,
                "rate": round(float(rate) * 100, 1),
                "other_days_rate": round(float(other) * 100, 1),
            }
            fields = self._marks_fields(row, child, rule.window)
            found.append(self._flag(rule, child, hit, absent, evidence=evidence, **fields))
        return found

    # -- rules over events -------------------------------------------------------------------
    def events(self, rule: Rule, rows: Sequence[tuple[Any, ...]]) -> list[FlagResult]:
        by_child: dict[int, list[tuple[date, date, str, str]]] = defaultdict(list)
        for child, occurred, recorded, agency, what in rows:
            if rule.kind == "mid_year_admission":
                start = self.rules.calendar.school_year_start(occurred)
                if (occurred - start).days <= rule.grace_days:
                    continue
            by_child[int(child)].append((occurred, recorded, agency, what))
        if rule.codes:
            for child, counts in self.stats.items():
                if int(self._get(counts, "code", rule.id) or 0) and child not in by_child:
                    by_child[child] = []
        found = []
        for child, events in sorted(by_child.items()):
            levels = [
                ("red", rule.red, rule.red_window or rule.window),
                ("amber", rule.amber, rule.window),
            ]
            for level, threshold, window in levels:
                if threshold is None or window is None:
                    continue
                since = self.p.cutoff(window)
                counted = sorted(e for e in events if e[0] >= since)
                items = [
                    {"date": o.isoformat(), "what": f"{what} ({agency})"}
                    for o, _, agency, what in counted
                ]
                sources = {agency for _, _, agency, _ in counted}
                data = max((r for _, r, _, _ in counted), default=None)
                count = len(counted)
                row = self.stats.get(child)
                if rule.codes and row is not None and window == rule.window:
                    sessions = int(self._get(row, "code", rule.id) or 0)
                    if sessions:
                        count += sessions
                        last = self._get(row, "code_last", rule.id)
                        codes = "/".join(rule.codes)
                        items.append(
                            {
                                "date": last.isoformat(),
                                "what": f"{sessions} sessions marked {codes}",
                            }
                        )
                        sources.add(f"{self.sources.get(child, 'school')} ({MARKS_SOURCE})")
                        run = row.get("last_run")
                        if run is not None and self.loaded_on.get(int(run)):
                            data = max(d for d in (data, self.loaded_on[int(run)]) if d is not None)
                if Fraction(count) < _exact(threshold):
                    continue
                hit = (level, threshold)
                found.append(
                    self._flag(
                        rule,
                        child,
                        hit,
                        count,
                        evidence={"items": items},
                        window_start=since,
                        window_end=self.p.as_of,
                        window_label=window.label,
                        source="; ".join(sorted(sources))[:200],
                        data_date=data,
                    )
                )
                break
        return found

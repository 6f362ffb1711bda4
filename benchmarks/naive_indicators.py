"""The default indicator rules written plainly in pandas: the comparison for
benchmarks/indicators.py (not used by joinedup). Same definitions as joinedup.indicators:
possible sessions exclude not-possible and no-mark codes, windows count the school days of
the pupil's school, a window is judged from 10 possible sessions."""

from __future__ import annotations

from collections import namedtuple
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from joinedup.indicators.rulefile import RuleSet, Window

Flag = namedtuple("Flag", "child_id rule_id level domain")
POSSIBLE = ["present", "approved_activity", "authorised", "unauthorised"]
MIN_SESSIONS = 10


def _days(
    marks: Path, records: list[Any], as_of: date, code_sets: list[tuple[str, ...]]
) -> pd.DataFrame:
    df = pd.read_parquet(
        marks, columns=["run", "source_record", "school_urn", "date", "session", "code", "category"]
    )
    df["date"] = pd.to_datetime(df["date"])
    df = df[df["date"] <= pd.Timestamp(as_of)]
    if df["run"].nunique() > 1:  # the later import wins
        df = df.sort_values("run").drop_duplicates(
            ["source_record", "date", "session"], keep="last"
        )
    category, code = df["category"].astype(str), df["code"].astype(str)
    df["possible"] = category.isin(POSSIBLE).astype("int32")
    df["attended"] = category.isin(["present", "approved_activity"]).astype("int32")
    df["unauthorised"] = (category == "unauthorised").astype("int32")
    df["absent"] = category.isin(["authorised", "unauthorised"]).astype("int32")
    counts = ["possible", "attended", "unauthorised", "absent"]
    for i, codes in enumerate(code_sets):
        df[f"codes_{i}"] = code.isin(codes).astype("int32")
        counts.append(f"codes_{i}")
    owners = pd.DataFrame(
        {"source_record": [r.source_record for r in records], "child": [r.child for r in records]}
    )
    df = df.merge(owners, on="source_record")
    df["school_urn"] = df["school_urn"].astype(str)
    day = df.groupby(["child", "school_urn", "date"], observed=True)[counts].sum().reset_index()
    school_days = day.loc[day["possible"] > 0, ["school_urn", "date"]].drop_duplicates()
    calendar = (
        day[["child", "school_urn"]]
        .drop_duplicates()
        .merge(school_days, on="school_urn")[["child", "date"]]
    ).drop_duplicates()
    calendar = calendar.sort_values(["child", "date"], ascending=[True, False])
    calendar["r"] = calendar.groupby("child").cumcount() + 1
    per_child = day.groupby(["child", "date"])[counts].sum().reset_index()
    return calendar.merge(per_child, on=["child", "date"], how="left").fillna(0)


def _mask(days: pd.DataFrame, window: Window, starts: dict[str, date], shift: int = 0) -> pd.Series:
    if window.kind == "school_days":
        return (days["r"] > shift) & (days["r"] <= window.n + shift)
    return (days["r"] > shift) & (days["date"] >= pd.Timestamp(starts[window.kind]))


def _level(rule: Any, value: pd.Series) -> pd.Series:
    """amber/red/None per child (value already exact enough: integers or rates)."""
    out = pd.Series(None, index=value.index, dtype=object)
    below = rule.spec.direction == "below"
    for level, threshold in (("amber", rule.amber), ("red", rule.red)):
        if threshold is not None:
            hit = value < threshold if below else value >= threshold
            out[hit] = level
    return out


def pandas_flags(
    marks: Path, records: list[Any], events: list[Any], as_of: date, rules: RuleSet
) -> list[Flag]:
    code_sets: list[tuple[str, ...]] = []
    for rule in rules.enabled:
        if rule.codes and rule.codes not in code_sets:
            code_sets.append(rule.codes)
    days = _days(marks, records, as_of, code_sets)
    starts = {
        "school_year": rules.calendar.school_year_start(as_of),
        "term": rules.calendar.term_start(as_of),
    }
    ev = pd.DataFrame([e.__dict__ for e in events])
    ev["occurred_on"] = pd.to_datetime(ev["occurred_on"])
    ev = ev[ev["occurred_on"] <= pd.Timestamp(as_of)]
    found: list[Flag] = []

    def keep(rule: Any, levels: pd.Series) -> None:
        for child, level in levels.dropna().items():
            found.append(Flag(int(child), rule.id, level, rule.domain))

    def rate(mask: pd.Series) -> pd.Series:
        sums = days[mask].groupby("child")[["possible", "attended"]].sum()
        sums = sums[sums["possible"] >= MIN_SESSIONS]
        return 100 * sums["attended"] / sums["possible"]

    for rule in rules.enabled:
        if rule.kind == "attendance_rate":
            rates = pd.concat([rate(_mask(days, w, starts)) for w in rule.windows], axis=1).min(
                axis=1
            )
            keep(rule, _level(rule, rates))
        elif rule.kind == "attendance_drop":
            w = rule.windows[0]
            now, before = rate(_mask(days, w, starts)), rate(_mask(days, w, starts, w.n))
            keep(rule, _level(rule, (before - now).dropna().round(9)))
        elif rule.kind == "session_count":
            column = f"codes_{code_sets.index(rule.codes)}"
            keep(
                rule,
                _level(
                    rule, days[_mask(days, rule.windows[0], starts)].groupby("child")[column].sum()
                ),
            )
        elif rule.kind == "consecutive_unauthorised":
            d = days[_mask(days, rule.windows[0], starts) & (days["possible"] > 0)].sort_values(
                ["child", "date"]
            )
            ua = d["unauthorised"] == d["possible"]
            run = ((ua != ua.shift()) | (d["child"] != d["child"].shift())).cumsum()
            lengths = d[ua].groupby(run[ua]).agg(child=("child", "first"), days=("date", "size"))
            keep(rule, _level(rule, lengths.groupby("child")["days"].max()))
        elif rule.kind == "weekday_pattern":
            d = days[_mask(days, rule.windows[0], starts) & (days["possible"] > 0)].copy()
            d["weekday"], d["was_absent"] = d["date"].dt.weekday, (d["absent"] > 0).astype(int)
            g = d.groupby(["child", "weekday"]).agg(
                days=("date", "size"), absent=("was_absent", "sum")
            )
            totals = g.groupby("child").transform("sum")
            other_days, other_absent = totals["days"] - g["days"], totals["absent"] - g["absent"]
            fits = (other_days > 0) & (
                g["absent"] * other_days >= rule.min_ratio * other_absent * g["days"]
            )
            keep(rule, _level(rule, g.loc[fits, "absent"].groupby("child").max()))
        elif rule.kind in ("event_count", "mid_year_admission"):
            kinds = ("school_admission",) if rule.kind == "mid_year_admission" else rule.event_types
            e = ev[ev["event_type"].isin(kinds)]
            for name, values in rule.match:
                e = e[e[name].isna() | e[name].isin(values)]
            if rule.kind == "mid_year_admission":
                grace = e["occurred_on"].map(
                    lambda d: (d.date() - rules.calendar.school_year_start(d.date())).days
                )
                e = e[grace > rule.grace_days]
            levels = pd.Series(None, dtype=object)
            for level, threshold, window in (
                ("amber", rule.amber, rule.window),
                ("red", rule.red, rule.red_window or rule.window),
            ):
                if threshold is None or window is None:
                    continue
                since = starts.get(window.kind) or as_of - timedelta(days=window.n - 1)
                count = e[e["occurred_on"] >= pd.Timestamp(since)].groupby("child").size()
                if rule.codes and level == "amber":
                    column = f"codes_{code_sets.index(rule.codes)}"
                    sessions = (
                        days[days["date"] >= pd.Timestamp(since)].groupby("child")[column].sum()
                    )
                    count = count.add(sessions, fill_value=0)
                hit = count[count >= threshold].index
                levels = levels.reindex(levels.index.union(hit))
                levels[hit] = level
            keep(rule, levels)
    for rule in rules.enabled:
        if rule.kind == "escalation":
            domains = pd.DataFrame(found).groupby("child_id")["domain"].nunique()
            keep(rule, _level(rule, domains).where(domains >= rule.red))
    return found

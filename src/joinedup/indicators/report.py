"""The fairness and hit-rate report: were the flags raised by the end of one term followed by
the outcome in the next term (the held-out term), for whom, and how early?

- Cohort: children with at least MIN_SESSIONS possible sessions in both terms (so their
  attendance in the held-out term is known).
- Flagged: the rule fired for the child at the end of the previous term (`area_evaluate` with
  that date, so only data dated up to then counts). The default rule set flags a child when any
  of its rules fires; the baseline, "persistent absence alone", is the `attendance-year` rule
  (year-to-date attendance below 90 %).
- First flag date: the earliest of the checkpoints (every `checkpoint_every` school days
  through the previous term) from which the rule kept firing to the term's end; the lead time
  is the outcome's date minus that.
- Figures (see fairness.py): overall, per rule, and by sex, ethnicity group, SEN, FSM and
  CIN/CLA status, with bootstrap intervals, disparity ratios and small-cell suppression.

Aggregates only: nothing here names or identifies a child.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import numpy as np

from joinedup.indicators import fairness
from joinedup.indicators.cohort import DIMENSIONS, characteristics
from joinedup.indicators.outcomes import (
    OUTCOME_NAMES,
    OUTCOMES,
    Marks,
    Term,
    surviving_child,
    term_outcomes,
)

BASELINE_RULE = "attendance-year"
DEFAULT_SET = "Default rule set"
BASELINE_SET = "Persistent absence alone"


class FlagLike(Protocol):
    """What the report reads of a flag (indicators.results.FlagResult)."""

    @property
    def child_id(self) -> int: ...  # the child's pk
    @property
    def rule_id(self) -> str: ...
    @property
    def rule_name(self) -> str: ...


Evaluate = Callable[..., Sequence[FlagLike]]


class ReportError(Exception):
    """The report cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class RuleSetFigures:
    name: str
    overall: fairness.Row
    by_group: dict[str, fairness.GroupTable]


@dataclass(frozen=True)
class FairnessReport:
    term: Term
    previous: Term
    outcome: str
    cohort: fairness.Cell
    base_rates: dict[str, fairness.Cell]
    rule_sets: tuple[RuleSetFigures, ...]
    rules: tuple[fairness.Row, ...]
    rule_names: dict[str, str]
    terms: tuple[Term, ...]
    checkpoints: tuple[date, ...]
    n_boot: int
    seed: int
    notes: tuple[str, ...] = field(default=())

    @property
    def outcome_name(self) -> str:
        return OUTCOME_NAMES[self.outcome]


def _default_evaluate(rules: Any, last: date) -> Evaluate:
    """`area_evaluate`, reading the database once for every checkpoint up to `last`."""
    from joinedup.indicators.area import area_evaluate, area_inputs, rules_load

    rules = rules or rules_load()
    inputs = area_inputs(as_of=last, rules=rules)

    def evaluate(*, as_of: date) -> Sequence[FlagLike]:
        return area_evaluate(as_of=as_of, rules=rules, inputs=inputs)

    return evaluate


def pick_terms(terms: Sequence[Term], wanted: str | None) -> tuple[Term, Term]:
    """The held-out term (by key or name; default the latest) and the term before it."""
    if len(terms) < 2:
        raise ReportError(
            "the report needs attendance marks for at least two school terms "
            f"(found {len(terms)}); import more of the schools' registers"
        )
    if wanted in (None, "", "latest"):
        return terms[-1], terms[-2]
    for i, term in enumerate(terms):
        if wanted in (term.key, term.name):
            if i == 0:
                raise ReportError(
                    f"term {wanted} is the first term with marks: there is no earlier term "
                    "whose flags it could test"
                )
            return term, terms[i - 1]
    known = ", ".join(t.key for t in terms)
    raise ReportError(f"no school term {wanted!r} in the attendance marks (terms: {known})")


def checkpoints_of(days: Sequence[date], every: int) -> list[date]:
    days = sorted(days)
    if not days:
        return []
    picked = days[every - 1 :: every] if every > 0 else []
    return sorted({*picked, days[-1]})


def first_flag_days(fired: dict[date, set[Any]], checkpoints: Sequence[date]) -> dict[Any, date]:
    """For each key firing at the last checkpoint, the first checkpoint of its unbroken run of
    firing up to the last one."""
    if not checkpoints:
        return {}
    out = {}
    for key in fired.get(checkpoints[-1], set()):
        start = checkpoints[-1]
        for day in reversed(checkpoints):
            if key not in fired.get(day, set()):
                break
            start = day
        out[key] = start
    return out


@dataclass(frozen=True)
class _TermMarks:
    """What the report reads of the attendance marks."""

    terms: list[Term]
    held_out: Term
    previous: Term
    cohort_keys: list[int]  # on roll in both terms, sorted
    found: dict[str, dict[int, date]]  # outcome -> child -> the outcome's date, held-out term
    previous_days: list[date]  # the previous term's school days


def _read_marks(term: str | None, survivor: dict[int, int]) -> _TermMarks:
    marks = Marks(survivor)
    try:
        terms = marks.terms()
        held_out, previous = pick_terms(terms, term)
        cohort_keys = sorted(marks.on_roll(previous) & marks.on_roll(held_out))
        found = term_outcomes(marks, held_out, survivor)
        prev_days = [
            r[0]
            for r in marks.con.execute(
                "SELECT DISTINCT date FROM marks WHERE date BETWEEN ? AND ? ORDER BY 1",
                [previous.start, previous.end],
            ).fetchall()
        ]
    finally:
        marks.close()
    return _TermMarks(terms, held_out, previous, cohort_keys, found, prev_days)


def _check_references(groups: dict[str, dict[int, str]], references: dict[str, str]) -> None:
    for dim, wanted in references.items():
        known = sorted(set(groups[dim].values()))
        if wanted not in known:
            raise ReportError(
                f"no {dim} group {wanted!r} in this cohort (groups: {', '.join(known)})"
            )


def _fired(
    evaluate: Evaluate,
    checkpoints: Sequence[date],
    survivor: dict[int, int],
    in_cohort: set[int],
) -> tuple[dict[str, dict[date, set[int]]], dict[str, str]]:
    """(rule -> checkpoint -> cohort children it flagged, rule -> its name)."""
    fired: dict[str, dict[date, set[int]]] = {}
    names: dict[str, str] = {}
    for day in checkpoints:
        for flag in evaluate(as_of=day):
            child = survivor.get(flag.child_id, flag.child_id)
            if child in in_cohort:
                fired.setdefault(flag.rule_id, {}).setdefault(day, set()).add(child)
                names[flag.rule_id] = flag.rule_name
    return fired, names


def _any_rule(fired: dict[str, dict[date, set[int]]]) -> dict[date, set[int]]:
    """Checkpoint -> the children any rule flagged."""
    any_rule: dict[date, set[int]] = {}
    for by_day in fired.values():
        for day, kids in by_day.items():
            any_rule.setdefault(day, set()).update(kids)
    return any_rule


def _days(by_child: dict[int, date], index: dict[int, int]) -> np.ndarray:
    """Per cohort child (in `index` order), the ordinal of its day, or NaN."""
    out = np.full(len(index), np.nan)
    for child, day in by_child.items():
        if child in index:
            out[index[child]] = day.toordinal()
    return out


@dataclass(frozen=True)
class _Outcome:
    """The cohort in `index` order (child -> position) and each child's outcome day."""

    cohort_keys: list[int]
    index: dict[int, int]
    day: np.ndarray  # ordinal, NaN without the outcome
    has: np.ndarray


def _rule_set_figures(
    name: str,
    flag_day: np.ndarray,
    outcome: _Outcome,
    groups: dict[str, dict[int, str]],
    references: dict[str, str],
    *,
    n_boot: int,
    seed: int,
) -> RuleSetFigures:
    flagged = ~np.isnan(flag_day)
    lead = fairness.lead_days(flag_day, outcome.day)
    overall = fairness.rule_rows(
        {name: flag_day}, outcome.has, outcome.day, n_boot=n_boot, seed=seed
    )[0]
    by_group = {
        dim: fairness.group_table(
            dim,
            [groups[dim][c] for c in outcome.cohort_keys],
            flagged,
            outcome.has,
            lead,
            reference=references.get(dim),
            n_boot=n_boot,
            seed=seed,
        )
        for dim in DIMENSIONS
    }
    return RuleSetFigures(name, overall, by_group)


def report_build(
    *,
    term: str | None = None,
    outcome: str = "persistent_absence",
    n_boot: int = 1000,
    seed: int = 0,
    checkpoint_every: int = 10,
    references: dict[str, str] | None = None,
    rules: Any = None,
    evaluate: Evaluate | None = None,
) -> FairnessReport:
    """The report for the held-out `term` (default the latest). `rules` is a RuleSet to test
    instead of the area's rule file; `evaluate(as_of=...)` replaces `area_evaluate`."""
    if outcome not in OUTCOMES:
        raise ReportError(f"unknown outcome {outcome!r} (choose from {', '.join(OUTCOMES)})")
    survivor = surviving_child()
    read = _read_marks(term, survivor)
    held_out, previous, cohort_keys = read.held_out, read.previous, read.cohort_keys
    if not cohort_keys:
        raise ReportError(
            f"no child has attendance marks in both {previous.name} and {held_out.name}"
        )
    checkpoints = checkpoints_of(read.previous_days, checkpoint_every)
    evaluate = evaluate or _default_evaluate(rules, checkpoints[-1])
    in_cohort = set(cohort_keys)
    groups = characteristics(in_cohort, previous.end, survivor)
    _check_references(groups, references or {})
    fired, names = _fired(evaluate, checkpoints, survivor, in_cohort)

    index = {child: i for i, child in enumerate(cohort_keys)}
    n = len(cohort_keys)

    def flag_day_array(by_day: dict[date, set[int]]) -> np.ndarray:
        return _days(first_flag_days(by_day, checkpoints), index)

    outcome_day = _days(read.found[outcome], index)
    cohort_outcome = _Outcome(cohort_keys, index, outcome_day, ~np.isnan(outcome_day))
    rule_sets = [
        _rule_set_figures(
            name,
            flag_day_array(by_day),
            cohort_outcome,
            groups,
            references or {},
            n_boot=n_boot,
            seed=seed,
        )
        for name, by_day in (
            (DEFAULT_SET, _any_rule(fired)),
            (BASELINE_SET, fired.get(BASELINE_RULE, {})),
        )
    ]
    rule_rows = fairness.rule_rows(
        {rule: flag_day_array(fired[rule]) for rule in sorted(fired)},
        cohort_outcome.has,
        outcome_day,
        n_boot=n_boot,
        seed=seed,
    )
    return FairnessReport(
        term=held_out,
        previous=previous,
        outcome=outcome,
        cohort=fairness.Cell(float(n), suppressed=n < fairness.MIN_CELL),
        base_rates=_base_rates(read.found, index, n),
        rule_sets=tuple(rule_sets),
        rules=tuple(rule_rows),
        rule_names=names,
        terms=tuple(read.terms),
        checkpoints=tuple(checkpoints),
        n_boot=n_boot,
        seed=seed,
    )


def _base_rates(
    found: dict[str, dict[int, date]], index: dict[int, int], n: int
) -> dict[str, fairness.Cell]:
    """The share of the cohort with each outcome (suppressed when the count, or the count
    without it, is below MIN_CELL)."""
    out = {}
    for name in OUTCOMES:
        k = sum(1 for child in found[name] if child in index)
        small = min(k, n - k) < fairness.MIN_CELL
        out[name] = fairness.Cell(None, suppressed=True) if small else fairness.Cell(k / n)
    return out


def report_rows(report: FairnessReport) -> Iterable[dict[str, Any]]:
    """Every figure as a flat row (for CSV and JSON): suppressed figures carry no value."""

    def cells(
        rule_set: str, dimension: str, group: str, row: fairness.Row
    ) -> Iterable[dict[str, Any]]:
        for kind, figures in (("count", row.counts), ("rate", row.rates), ("ratio", row.disparity)):
            for metric, cell in figures.items():
                yield {
                    "rule_set": rule_set,
                    "dimension": dimension,
                    "group": group,
                    "measure": f"disparity_{metric}" if kind == "ratio" else metric,
                    "value": None if cell.suppressed else cell.value,
                    "low": None if cell.suppressed else cell.low,
                    "high": None if cell.suppressed else cell.high,
                    "suppressed": cell.suppressed,
                    "breach": kind == "ratio" and metric in row.breaches,
                    "reference": row.is_reference,
                }

    for rs in report.rule_sets:
        yield from cells(rs.name, "all", "All children", rs.overall)
        for dim, table in rs.by_group.items():
            for row in table.rows:
                yield from cells(rs.name, dim, row.label, row)
    for row in report.rules:
        yield from cells(f"rule:{row.label}", "all", "All children", row)


def report_dict(report: FairnessReport) -> dict[str, Any]:
    return {
        "held_out_term": {
            "name": report.term.name,
            "start": report.term.start.isoformat(),
            "end": report.term.end.isoformat(),
        },
        "flags_as_at": report.previous.end.isoformat(),
        "outcome": report.outcome,
        "outcome_name": report.outcome_name,
        "cohort_children": None if report.cohort.suppressed else report.cohort.value,
        "base_rates": {k: None if c.suppressed else c.value for k, c in report.base_rates.items()},
        "checkpoints": [d.isoformat() for d in report.checkpoints],
        "bootstrap": {"resamples": report.n_boot, "seed": report.seed, "level": 0.95},
        "suppression": (
            f"counts of fewer than {fairness.MIN_CELL} children, and figures that would "
            "reveal them, are null"
        ),
        "figures": list(report_rows(report)),
    }

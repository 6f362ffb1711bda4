"""Hit rates and fairness of indicator rules: pure arithmetic on one row per child (no Django).

For one rule (or rule set) and one later outcome, each child of the cohort is flagged or not and
had the outcome or not. From that 2 x 2 table (true/false positives and negatives):

- flag rate = flagged / children;
- precision = flagged with the outcome / flagged (how often a flag was right);
- recall = flagged with the outcome / children with the outcome (how many were caught);
- false-negative rate = 1 - recall (children with the outcome the rule missed);
- lead time = days from the first flag to the outcome, median over the flagged children who had
  the outcome (how much warning the flag gave).

Each rate gets a percentile bootstrap confidence interval (children resampled with replacement,
within the group, seeded so a report is reproducible). A group's rate is compared with the
reference group's (the largest group unless one is named) as a ratio; a ratio outside
0.8-1.25 is a band breach (the "four-fifths" rule, both ways).

Small cells (see `suppress`): no count of fewer than 10 children is shown, nor any count that
could be worked out from the counts and rates that are shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

__all__ = [
    "BAND",
    "COUNTS",
    "MIN_CELL",
    "SUPPRESSED_TEXT",
    "WITHHELD_TEXT",
    "RATES",
    "Cell",
    "GroupTable",
    "Row",
    "bootstrap_intervals",
    "confusion",
    "group_table",
    "point_rates",
    "row_for",
    "suppress",
]

MIN_CELL = 10  # cells of fewer than 10 children are suppressed
BAND = (0.8, 1.25)  # disparity ratios outside this band are breaches
SUPPRESSED_TEXT = "fewer than 10"  # a count (or a rate of one) below MIN_CELL
WITHHELD_TEXT = "withheld"  # 10 or more, hidden so that a small count cannot be worked out

# Displayed counts, and for each rate its numerator and denominator counts.
COUNTS = ("children", "flagged", "outcome", "flagged_with_outcome")
RATES: dict[str, tuple[str, str]] = {
    "flag_rate": ("flagged", "children"),
    "precision": ("flagged_with_outcome", "flagged"),
    "recall": ("flagged_with_outcome", "outcome"),
    "false_negative_rate": ("flagged_with_outcome", "outcome"),  # shown only with recall's counts
}
LEAD_TIME = "lead_time_days"
DISPARITY_RATES = ("flag_rate", "precision", "recall")
# Each count is part of the one above it; the difference is a count readers can work out.
NESTED = (
    ("children", "flagged"),
    ("children", "outcome"),
    ("flagged", "flagged_with_outcome"),
    ("outcome", "flagged_with_outcome"),
)

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Cell:
    """One figure of the report; `value` is None when it is suppressed or undefined (0/0)."""

    value: float | None
    low: float | None = None
    high: float | None = None
    suppressed: bool = False
    small: bool = True  # when suppressed: fewer than MIN_CELL (else withheld)

    def text(self, kind: str = "count") -> str:
        if self.suppressed:
            return SUPPRESSED_TEXT if self.small else WITHHELD_TEXT
        if self.value is None:
            return "no data"
        if kind == "count":
            return f"{int(self.value):,}"
        if kind == "days":
            return f"{self.value:.0f} days"
        if kind == "ratio":
            return f"{self.value:.2f}"
        return f"{100 * self.value:.1f}%"


@dataclass(frozen=True)
class Row:
    label: str
    counts: dict[str, Cell]
    rates: dict[str, Cell]
    disparity: dict[str, Cell] = field(default_factory=dict)
    breaches: tuple[str, ...] = ()
    is_reference: bool = False


@dataclass(frozen=True)
class GroupTable:
    """One rule set's figures by one characteristic (sex, ethnicity group, ...)."""

    dimension: str
    total: Row
    rows: tuple[Row, ...]
    reference: str


def confusion(flagged: BoolArray, outcome: BoolArray) -> dict[str, int]:
    """The displayed counts of the 2 x 2 table."""
    return {
        "children": int(flagged.size),
        "flagged": int(flagged.sum()),
        "outcome": int(outcome.sum()),
        "flagged_with_outcome": int((flagged & outcome).sum()),
    }


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def point_rates(
    flagged: BoolArray, outcome: BoolArray, lead_days: FloatArray
) -> dict[str, float | None]:
    """Rates for one set of children. `lead_days` is outcome day - first flag day for each child
    (NaN where not both)."""
    c = confusion(flagged, outcome)
    recall = _ratio(c["flagged_with_outcome"], c["outcome"])
    hits = lead_days[flagged & outcome & ~np.isnan(lead_days)]
    return {
        "flag_rate": _ratio(c["flagged"], c["children"]),
        "precision": _ratio(c["flagged_with_outcome"], c["flagged"]),
        "recall": recall,
        "false_negative_rate": None if recall is None else 1.0 - recall,
        LEAD_TIME: float(np.median(hits)) if hits.size else None,
    }


def bootstrap_intervals(
    flagged: BoolArray,
    outcome: BoolArray,
    lead_days: FloatArray,
    *,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> dict[str, tuple[float, float] | None]:
    """Percentile bootstrap intervals of each rate: `n_boot` resamples of the children with
    replacement, from a generator seeded with `seed` (same inputs and seed, same intervals)."""
    n = flagged.size
    out: dict[str, tuple[float, float] | None] = dict.fromkeys([*RATES, LEAD_TIME])
    if n == 0 or n_boot < 1:
        return out
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(n_boot, n))
    f, o = flagged[idx], outcome[idx]
    tp = (f & o).sum(axis=1).astype(float)
    nf, no = f.sum(axis=1).astype(float), o.sum(axis=1).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        samples = {
            "flag_rate": nf / n,
            "precision": np.where(nf > 0, tp / nf, np.nan),
            "recall": np.where(no > 0, tp / no, np.nan),
        }
    samples["false_negative_rate"] = 1.0 - samples["recall"]
    lead = np.where(f & o, lead_days[idx], np.nan)
    has_lead = ~np.isnan(lead).all(axis=1)
    medians = np.full(n_boot, np.nan)
    if has_lead.any():
        medians[has_lead] = np.nanmedian(lead[has_lead], axis=1)
    samples[LEAD_TIME] = medians
    tail = (1.0 - level) / 2 * 100
    for name, values in samples.items():
        values = values[~np.isnan(values)]
        if values.size:
            low, high = np.percentile(values, [tail, 100 - tail])
            out[name] = (float(low), float(high))
    return out


def row_for(
    label: str,
    flagged: BoolArray,
    outcome: BoolArray,
    lead_days: FloatArray,
    *,
    n_boot: int,
    seed: int,
) -> Row:
    """Counts and rates with intervals for one set of children (before suppression)."""
    counts = {k: Cell(float(v)) for k, v in confusion(flagged, outcome).items()}
    points = point_rates(flagged, outcome, lead_days)
    intervals = bootstrap_intervals(flagged, outcome, lead_days, n_boot=n_boot, seed=seed)
    rates = {}
    for name, value in points.items():
        ci = intervals.get(name)
        rates[name] = Cell(value, *(ci if ci and value is not None else (None, None)))
    return Row(label, counts, rates)


def group_table(
    dimension: str,
    groups: Sequence[str] | npt.NDArray[np.str_],
    flagged: BoolArray,
    outcome: BoolArray,
    lead_days: FloatArray,
    *,
    reference: str | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> GroupTable:
    """Figures for every group of `dimension`, the total, and each group's disparity ratios
    against the reference group; suppressed (see `suppress`)."""
    labels = np.asarray(groups, dtype=str)
    total = row_for("All children", flagged, outcome, lead_days, n_boot=n_boot, seed=seed)
    names = sorted(set(labels.tolist()))
    sizes = {g: int((labels == g).sum()) for g in names}
    if reference is None:
        reference = max(names, key=lambda g: (sizes[g], g)) if names else ""
    elif reference not in sizes:
        raise ValueError(
            f"reference group {reference!r} is not a {dimension} group here "
            f"(the groups are: {', '.join(names)})"
        )
    rows = []
    for i, g in enumerate(names):
        m = labels == g
        rows.append(
            row_for(g, flagged[m], outcome[m], lead_days[m], n_boot=n_boot, seed=seed + 1 + i)
        )
    total, rows = suppress(total, rows)
    ref_row = next((r for r in rows if r.label == reference), None)
    rows = [_with_disparity(r, ref_row) for r in rows]
    return GroupTable(dimension, total, tuple(rows), reference)


def _with_disparity(row: Row, ref: Row | None) -> Row:
    disparity: dict[str, Cell] = {}
    breaches = []
    for name in DISPARITY_RATES:
        mine, theirs = row.rates[name], ref.rates[name] if ref else Cell(None)
        if mine.suppressed or theirs.suppressed:
            small = (mine.suppressed and mine.small) or (theirs.suppressed and theirs.small)
            disparity[name] = Cell(None, suppressed=True, small=small)
            continue
        if mine.value is None or not theirs.value:
            disparity[name] = Cell(None)
            continue
        ratio = mine.value / theirs.value
        disparity[name] = Cell(ratio)
        if not BAND[0] <= ratio <= BAND[1]:
            breaches.append(name)
    is_ref = ref is not None and row.label == ref.label
    return replace(row, disparity=disparity, breaches=tuple(breaches), is_reference=is_ref)


def suppress(total: Row, rows: Sequence[Row], *, partition: bool = True) -> tuple[Row, list[Row]]:
    """Hide every count of fewer than MIN_CELL children, and everything that would reveal one.

    Applied until nothing changes:
    1. primary: a count below MIN_CELL (zero included) is suppressed;
    2. differences: where a count and the count it is part of are both shown (children and
       flagged, flagged and flagged-with-outcome, ...), their difference is a count too; if
       it is below MIN_CELL, the smaller count is suppressed;
    3. secondary (when `rows` partition `total`, as groups do): in each column, if exactly
       one row's count is suppressed while the total is shown, total minus the others would
       give it back, so the smallest other shown count in that column is suppressed too.
    A rate is shown only when its numerator and denominator counts are (so with the shown
    denominator it cannot give back a hidden count); its interval, lead time and disparity
    ratios go with it. Lead time is shown only when flagged-with-outcome is.

    A count hidden by rule 1 reads "fewer than 10"; one hidden by rules 2 or 3 is 10 or more
    and reads "withheld" (saying "fewer than 10" would be false). A reader then knows which
    hidden cell is the small one, but still not its value.
    """
    table = [dict(total.counts), *[dict(r.counts) for r in rows]]
    small = [
        {k for k, c in counts.items() if c.value is not None and c.value < MIN_CELL}
        for counts in table
    ]
    hidden = [set(s) for s in small]
    changed = True
    while changed:
        changed = False
        for counts, gone in zip(table, hidden, strict=True):
            for whole, part in NESTED:
                if whole in gone or part in gone:
                    continue
                w, p = counts[whole].value or 0.0, counts[part].value or 0.0
                if w - p < MIN_CELL:
                    gone.add(part)
                    changed = True
        if partition and rows:
            for column in COUNTS:
                if column in hidden[0]:
                    continue
                group_hidden = [i for i in range(1, len(table)) if column in hidden[i]]
                if len(group_hidden) != 1:
                    continue
                shown = [i for i in range(1, len(table)) if column not in hidden[i]]
                # The smallest other shown count; with no other group, the total itself.
                at = min(shown, key=lambda i: table[i][column].value or 0.0) if shown else 0
                hidden[at].add(column)
                changed = True
    out = [
        _apply(r, gone, tiny) for r, gone, tiny in zip([total, *rows], hidden, small, strict=True)
    ]
    return out[0], out[1:]


def _apply(row: Row, gone: set[str], small: set[str]) -> Row:
    counts = {
        k: Cell(None, suppressed=True, small=k in small) if k in gone else c
        for k, c in row.counts.items()
    }
    rates = {}
    for name, cell in row.rates.items():
        needs = set(RATES.get(name, ("flagged_with_outcome", "flagged_with_outcome")))
        hide = needs & gone
        rates[name] = Cell(None, suppressed=True, small=bool(hide & small)) if hide else cell
    return replace(row, counts=counts, rates=rates)


def lead_days(flag_day: FloatArray, outcome_day: FloatArray) -> FloatArray:
    """Days from the first flag to the outcome (NaN where either is missing)."""
    return np.asarray(outcome_day - flag_day, dtype=float)


def rule_rows(
    flags: Mapping[str, FloatArray],
    outcome: BoolArray,
    outcome_day: FloatArray,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> list[Row]:
    """One row per rule (or rule set): `flags[label]` is each child's first flag day (NaN when
    not flagged). Rules overlap, so only primary and difference suppression apply."""
    rows = []
    for i, (label, flag_day) in enumerate(flags.items()):
        flagged = ~np.isnan(flag_day)
        row = row_for(
            label,
            flagged,
            outcome,
            lead_days(flag_day, outcome_day),
            n_boot=n_boot,
            seed=seed + 1000 * (i + 1),
        )
        rows.append(suppress(row, [], partition=False)[0])
    return rows

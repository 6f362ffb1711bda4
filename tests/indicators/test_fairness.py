"""Hit rates and fairness on small tables worked out by hand (indicators/fairness.py)."""

from __future__ import annotations

import numpy as np
import pytest

from joinedup.indicators import fairness
from joinedup.indicators.fairness import MIN_CELL, Cell, Row, group_table, row_for, suppress

NAN = float("nan")


def _table(tp: int, fp: int, fn: int, tn: int) -> tuple[np.ndarray, np.ndarray]:
    flagged = np.array([True] * (tp + fp) + [False] * (fn + tn))
    outcome = np.array([True] * tp + [False] * fp + [True] * fn + [False] * tn)
    return flagged, outcome


def test_rates_and_lead_time_match_the_hand_count() -> None:
    # 40 children: 12 flagged and later persistently absent, 8 flagged and not, 4 missed, 16 not.
    flagged, outcome = _table(12, 8, 4, 16)
    flag_day = np.where(flagged, 100.0, NAN)
    outcome_day = np.full(40, NAN)
    gaps = [5, 5, 10, 10, 10, 20, 20, 30, 30, 40, 40, 50]  # the 12 true positives' lead times
    outcome_day[:12] = 100.0 + np.array(gaps)
    outcome_day[20:24] = 130.0  # the missed children had the outcome too (no flag: no lead)
    rates = fairness.point_rates(flagged, outcome, fairness.lead_days(flag_day, outcome_day))
    assert rates["flag_rate"] == pytest.approx(20 / 40)
    assert rates["precision"] == pytest.approx(12 / 20)
    assert rates["recall"] == pytest.approx(12 / 16)
    assert rates["false_negative_rate"] == pytest.approx(4 / 16)
    assert rates["lead_time_days"] == pytest.approx(20.0)  # median of 12: (20 + 20) / 2
    counts = fairness.confusion(flagged, outcome)
    assert counts == {"children": 40, "flagged": 20, "outcome": 16, "flagged_with_outcome": 12}


def test_rates_with_nothing_to_divide_by_are_undefined_not_zero() -> None:
    flagged, outcome = _table(0, 0, 5, 5)
    rates = fairness.point_rates(flagged, outcome, np.full(10, NAN))
    assert rates["flag_rate"] == 0.0
    assert rates["precision"] is None
    assert rates["lead_time_days"] is None


def test_bootstrap_interval_holds_the_estimate_and_is_stable_for_a_seed() -> None:
    flagged, outcome = _table(30, 20, 10, 140)
    lead = np.where(flagged & outcome, np.arange(200, dtype=float) % 40, NAN)
    first = fairness.bootstrap_intervals(flagged, outcome, lead, n_boot=500, seed=7)
    again = fairness.bootstrap_intervals(flagged, outcome, lead, n_boot=500, seed=7)
    other = fairness.bootstrap_intervals(flagged, outcome, lead, n_boot=500, seed=8)
    assert first == again
    assert first != other
    point = fairness.point_rates(flagged, outcome, lead)
    for name in ("flag_rate", "precision", "recall", "false_negative_rate", "lead_time_days"):
        interval = first[name]
        assert interval is not None
        low, high = interval
        assert low <= point[name] <= high, name  # type: ignore[operator]
        assert low < high, name
    # precision 0.6 on 50 flagged children: the 95 % interval is roughly +-0.14
    low, high = first["precision"]  # type: ignore[misc]
    assert 0.4 < low < 0.55 and 0.65 < high < 0.8


def test_disparity_ratio_against_the_largest_group_and_band_breaches() -> None:
    # Group A (100 children): 50 flagged, 30 of them right. Group B (60): 22 flagged, 12 right.
    fa, oa = _table(30, 20, 10, 40)
    fb, ob = _table(12, 10, 12, 26)
    flagged, outcome = np.concatenate([fa, fb]), np.concatenate([oa, ob])
    groups = ["A"] * 100 + ["B"] * 60
    table = group_table("g", groups, flagged, outcome, np.full(160, NAN), n_boot=50, seed=1)
    assert table.reference == "A"
    a, b = table.rows
    assert a.is_reference and not b.is_reference
    assert a.disparity["flag_rate"].value == pytest.approx(1.0)
    # flag rate 22/60 = 0.367 vs 0.5: 0.73, outside 0.8-1.25
    assert b.disparity["flag_rate"].value == pytest.approx((22 / 60) / 0.5)
    # precision 12/22 = 0.545 vs 0.6: 0.909, inside; recall 12/24 = 0.5 vs 0.75: 0.667, outside
    assert b.disparity["precision"].value == pytest.approx((12 / 22) / 0.6)
    assert b.disparity["recall"].value == pytest.approx(0.5 / 0.75)
    assert b.breaches == ("flag_rate", "recall")
    assert a.breaches == ()
    named = group_table("g", groups, flagged, outcome, np.full(160, NAN), reference="B", n_boot=10)
    assert named.rows[0].disparity["flag_rate"].value == pytest.approx(0.5 / (22 / 60))
    with pytest.raises(ValueError, match="reference group 'C' is not a g group"):
        group_table("g", groups, flagged, outcome, np.full(160, NAN), reference="C", n_boot=10)


def _counts_row(label: str, children: int, flagged: int, outcome: int, tp: int) -> Row:
    counts = {
        "children": Cell(float(children)),
        "flagged": Cell(float(flagged)),
        "outcome": Cell(float(outcome)),
        "flagged_with_outcome": Cell(float(tp)),
    }
    rates = {
        "flag_rate": Cell(flagged / children),
        "precision": Cell(tp / flagged if flagged else None),
    }
    return Row(label, counts, rates)


def test_a_group_of_fewer_than_10_children_is_suppressed_and_says_so() -> None:
    flagged, outcome = _table(0, 3, 1, 3)  # 7 children
    row = row_for("Small", flagged, outcome, np.full(7, NAN), n_boot=20, seed=0)
    shown, _ = suppress(row, [], partition=False)
    assert all(c.suppressed for c in shown.counts.values())
    assert all(c.suppressed and c.value is None for c in shown.rates.values())
    assert shown.counts["children"].text() == "fewer than 10"
    assert shown.rates["precision"].text("percent") == "fewer than 10"


def test_a_count_that_differs_from_its_whole_by_fewer_than_10_is_suppressed() -> None:
    # 25 children, 20 flagged: showing both would reveal that 5 were not flagged.
    row = _counts_row("G", 25, 20, 12, 11)
    shown, _ = suppress(row, [], partition=False)
    assert not shown.counts["children"].suppressed
    assert shown.counts["flagged"].suppressed
    assert shown.rates["flag_rate"].suppressed  # 20/25 with 25 shown gives 20 back
    # flagged_with_outcome 11 of outcome 12: 1 missed child -> suppressed, and precision with it
    assert shown.counts["flagged_with_outcome"].suppressed
    assert shown.rates["precision"].suppressed
    assert shown.counts["outcome"].value == 12


def test_secondary_suppression_stops_a_hidden_group_being_worked_out_from_the_total() -> None:
    total = _counts_row("All children", 100, 40, 30, 20)
    rows = [
        _counts_row("A", 55, 20, 15, 10),
        _counts_row("B", 38, 16, 11, 10),
        _counts_row("C", 7, 4, 4, 0),
    ]
    shown_total, shown = suppress(total, rows)
    a, b, c = shown
    assert all(cell.suppressed for cell in c.counts.values())  # primary
    # children: C hidden alone would be 100 - 55 - 38 = 7, so the smallest other (B) goes too
    assert b.counts["children"].suppressed and not a.counts["children"].suppressed
    assert not shown_total.counts["children"].suppressed
    for column in fairness.COUNTS:
        if not shown_total.counts[column].suppressed:
            hidden = [r for r in shown if r.counts[column].suppressed]
            assert len(hidden) != 1, column  # never exactly one unknown in a column
    # B's flag rate would give back B's children count from its flagged count: gone too
    assert b.rates["flag_rate"].suppressed
    # The small cell says so; the cell hidden to protect it is 10 or more, and says "withheld".
    assert c.counts["children"].text() == "fewer than 10"
    assert b.counts["children"].text() == "withheld"
    assert b.rates["flag_rate"].text("percent") == "withheld"
    assert c.rates["flag_rate"].text("percent") == "fewer than 10"


def test_a_lone_group_hidden_under_a_shown_total_hides_the_total_too() -> None:
    total = _counts_row("All children", 100, 40, 30, 20)
    rows = [_counts_row("Only", 100, 40, 30, 20)]
    rows[0].counts["flagged"] = Cell(7.0)  # inconsistent on purpose: one small cell alone
    shown_total, (only,) = suppress(total, rows)
    assert only.counts["flagged"].suppressed
    assert shown_total.counts["flagged"].suppressed
    assert shown_total.counts["flagged"].text() == "withheld"


def test_groups_cover_the_total_and_a_tiny_group_never_leaks_through_a_table() -> None:
    rng = np.random.default_rng(3)
    labels = np.array(["Big"] * 120 + ["Mid"] * 45 + ["Tiny"] * 6)
    flagged = rng.random(171) < 0.4
    outcome = rng.random(171) < 0.3
    table = group_table("g", labels, flagged, outcome, np.full(171, NAN), n_boot=20, seed=0)
    tiny = next(r for r in table.rows if r.label == "Tiny")
    assert tiny.counts["children"].suppressed
    for column in fairness.COUNTS:
        hidden = [r for r in table.rows if r.counts[column].suppressed]
        assert table.total.counts[column].suppressed or len(hidden) != 1
    # Every shown count is at least MIN_CELL.
    for row in (table.total, *table.rows):
        for cell in row.counts.values():
            assert cell.suppressed or (cell.value or 0) >= MIN_CELL
    # Disparity ratios of a suppressed group are suppressed.
    assert all(c.suppressed for c in tiny.disparity.values())

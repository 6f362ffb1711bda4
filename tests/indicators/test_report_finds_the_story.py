"""The fairness report finds what is true in the synthetic area.

A seeded area is generated with its causal story (a police domestic-abuse notification raises a
child's later absence; free school meals shift base rates), written as the agencies' extract
files, imported and linked the real way, and the report is run on the latest term. Its figures
are checked against the generator's own ground truth (`Area.truth`), not against numbers
written here.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from statistics import mean

import pytest

from joinedup.demo.generator import generate_area
from joinedup.demo.generator.school_calendar import term_of
from joinedup.demo.through_import import area_import_and_link
from joinedup.indicators.area import rules_load
from joinedup.indicators.report import BASELINE_SET, DEFAULT_SET, FairnessReport, report_build

pytestmark = pytest.mark.django_db

DA_RULE = "police-domestic-abuse"
# The area tests a draft rule file whose domestic-abuse window is 26 weeks instead of 12 (in a
# test-sized area, 12 weeks holds too few notifications for precision to clear suppression).
DA_WINDOW = timedelta(weeks=26)


def _report_and_truth(settings: object, tmp_path: Path) -> tuple[FairnessReport, object]:
    settings.VAR_DIR = tmp_path / "var"  # type: ignore[attr-defined]
    area = generate_area(children=3000, seed=11, schools=4)
    area_import_and_link(area, tmp_path / "area")
    default = Path(settings.INDICATOR_RULES_FILE).read_text(encoding="utf-8")  # type: ignore[attr-defined]
    draft = default.replace(
        'window = "12 weeks"\nred_window = "12 months"\nevent_types = ["police_notification"]',
        'window = "26 weeks"\nred_window = "12 months"\nevent_types = ["police_notification"]',
    )
    assert draft != default, "the default rule file's domestic-abuse rule has changed shape"
    (tmp_path / "draft.toml").write_text(draft, encoding="utf-8")
    rules = rules_load(tmp_path / "draft.toml")
    # One rule evaluation (flags at the previous term's end) keeps the test quick.
    return report_build(n_boot=300, seed=3, checkpoint_every=0, rules=rules), area


def test_the_report_finds_the_story(settings: object, tmp_path: Path) -> None:
    report, area = _report_and_truth(settings, tmp_path)
    truth = area.truth  # type: ignore[attr-defined]
    label = term_of(report.term.start).label  # type: ignore[union-attr]
    measured = {
        pid: t.persistently_absent(label)
        for pid, t in truth.children.items()
        if t.persistently_absent(label) is not None
    }
    true_base = mean(measured.values())

    # The area's base rate of persistent absence is the true one (cohort and linkage aside).
    base = report.base_rates["persistent_absence"].value
    assert base is not None and abs(base - true_base) < 0.04

    # Police domestic-abuse flags: precision well above the base rate, as the story makes it.
    da = next(r for r in report.rules if r.label == DA_RULE)
    precision = da.rates["precision"]
    assert not precision.suppressed and precision.low is not None
    assert precision.low > base, (precision, base)
    # ... and close to the truth: of the children notified in the rule's window, the share
    # the generator made persistently absent next term.
    since = report.previous.end - DA_WINDOW
    notified = [
        pid
        for pid, t in truth.children.items()
        if pid in measured and any(since < n.on <= report.previous.end for n in t.domestic_abuse)
    ]
    true_precision = mean(measured[pid] for pid in notified)
    assert true_precision > true_base
    assert abs((precision.value or 0) - true_precision) < 0.15

    # Disadvantage shifts base rates: FSM pupils are flagged more often, by the default set
    # and by the baseline, and the ratio is marked as outside the band.
    fsm_people = {p.person_id for p in area.people if p.fsm}  # type: ignore[attr-defined]
    fsm_true = mean(v for pid, v in measured.items() if pid in fsm_people)
    other_true = mean(v for pid, v in measured.items() if pid not in fsm_people)
    assert fsm_true > other_true
    for rule_set in report.rule_sets:
        rows = {r.label: r for r in rule_set.by_group["fsm"].rows}
        fsm, other = rows["FSM eligible"], rows["Not FSM eligible"]
        assert (fsm.rates["flag_rate"].value or 0) > (other.rates["flag_rate"].value or 1)
        assert "flag_rate" in fsm.breaches or "flag_rate" in other.breaches
    # The default rule set catches more of the children who go on to be persistently absent
    # than persistent absence alone (it reads more than the year-to-date figure).
    default = next(rs for rs in report.rule_sets if rs.name == DEFAULT_SET).overall
    baseline = next(rs for rs in report.rule_sets if rs.name == BASELINE_SET).overall
    assert (default.rates["recall"].value or 0) > (baseline.rates["recall"].value or 1)

"""The default rules on hand-built timelines: each threshold just met and just missed, code
categories, half terms and holidays, and dates after the as-of date. Pure: DuckDB, no database.

The autumn term 2025 (timelines.autumn()): 3 Sep to 19 Dec, half term 27-31 Oct; 73 school
days. "The last 30 school days" to 19 Dec start on 10 Nov."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from joinedup.indicators.evaluate import EventRow, FlagResult, evaluate
from joinedup.indicators.rulefile import DEFAULT_RULES_FILE, load_rules
from tests.indicators.timelines import HALF_TERM, Pupil, autumn, event, inputs, write_marks

RULES = load_rules(DEFAULT_RULES_FILE)
END = date(2025, 12, 19)
DAYS = autumn()
LAST_30 = DAYS[-30:]


def flags(
    tmp_path: Path,
    pupils: Sequence[Pupil],
    events: Sequence[EventRow] = (),
    as_of: date = END,
    previous: dict[tuple[int, str], str] | None = None,
) -> dict[tuple[int, str], FlagResult]:
    path = write_marks(tmp_path / "marks.parquet", pupils) if pupils else None
    found = evaluate(
        inputs([path] if path else [], pupils, events),
        as_of=as_of,
        rules=RULES,
        previous=previous,
    )
    return {(f.child_id, f.rule_id): f for f in found}


def level(found: dict[tuple[int, str], FlagResult], child: int, rule: str) -> str | None:
    flag = found.get((child, rule))
    return flag.level if flag else None


def test_the_timeline_is_what_the_tests_assume() -> None:
    assert len(DAYS) == 73 and LAST_30[0] == date(2025, 11, 10)


def test_attendance_6_weeks_thresholds(tmp_path: Path) -> None:
    # 60 possible sessions in the window: 54 attended is 90% exactly (not below 90)
    pupils = [
        Pupil(1, 1, DAYS).absent_sessions(LAST_30, 6, "I"),  # 90.0%
        Pupil(2, 2, DAYS).absent_sessions(LAST_30, 7, "I"),  # 88.3%
        Pupil(3, 3, DAYS).absent_sessions(LAST_30, 12, "I"),  # 80.0%
        Pupil(4, 4, DAYS).absent_sessions(LAST_30, 13, "I"),  # 78.3%
    ]
    found = flags(tmp_path, pupils)
    assert [level(found, c, "attendance-6-weeks") for c in (1, 2, 3, 4)] == [
        None,
        "amber",
        "amber",
        "red",
    ]
    amber, red = found[2, "attendance-6-weeks"], found[4, "attendance-6-weeks"]
    assert (amber.value, amber.threshold, amber.comparison, amber.unit) == (88.33, 90, "<", "%")
    assert (red.value, red.threshold) == (78.33, 80)
    assert (amber.window_start, amber.window_end) == (LAST_30[0], END)
    assert amber.window_label == "the last 6 school weeks"
    assert amber.source == "Hillside Primary (attendance marks)"
    assert amber.data_date == date(2025, 12, 20)  # the day the marks' import loaded
    assert amber.rule_version == RULES.version and amber.clears_when
    series = amber.evidence["series"]
    assert len(series) == 6 and series[-1] == {"end": "2025-12-19", "value": 88.33}
    assert [p["end"] for p in series] == sorted(p["end"] for p in series)


def test_attendance_year_and_severe_absence_thresholds(tmp_path: Path) -> None:
    total = 2 * len(DAYS)  # 150 sessions
    early = DAYS[:40]  # absences before the 6-week window and the one before it
    pupils = [
        Pupil(1, 1, DAYS).absent_sessions(early, total // 10, "I"),  # 90% exactly
        Pupil(2, 2, DAYS).absent_sessions(early, total // 10 + 1, "I"),
        Pupil(3, 3, DAYS).mark(LAST_30[:15], "I"),  # 6 weeks: 30 of 60 = 50% exactly
        Pupil(4, 4, DAYS).mark(LAST_30[:15], "I").absent_sessions(LAST_30[15:], 1, "I"),
    ]
    found = flags(tmp_path, pupils)
    assert level(found, 1, "attendance-year") is None
    assert level(found, 2, "attendance-year") == "amber"
    assert found[2, "attendance-year"].window_start == DAYS[0]
    assert found[2, "attendance-year"].window_label == "school year to date"
    assert level(found, 3, "severe-absence") is None
    severe = found[4, "severe-absence"]
    assert (severe.level, severe.value, severe.threshold) == ("red", 48.33, 50)
    assert severe.window_label == "the last 6 school weeks"  # the lower of its two windows


def test_attendance_drop_thresholds(tmp_path: Path) -> None:
    pupils = [
        Pupil(1, 1, DAYS).absent_sessions(LAST_30, 3, "I"),  # 100% -> 95%: 5 points
        Pupil(2, 2, DAYS).absent_sessions(LAST_30, 2, "I"),  # 100% -> 96.7%
    ]
    found = flags(tmp_path, pupils)
    drop = found[1, "attendance-drop"]
    assert (drop.level, drop.value, drop.threshold, drop.comparison) == ("amber", 5, 5, ">=")
    assert drop.evidence["before"] == 100
    assert (2, "attendance-drop") not in found


def test_ten_consecutive_unauthorised_days(tmp_path: Path) -> None:
    pupils = [
        Pupil(1, 1, DAYS).mark(LAST_30[5:15], "O"),
        Pupil(2, 2, DAYS).mark(LAST_30[5:14], "G"),
        # 9 days, one day authorised, 9 more: never 10 in a row
        Pupil(3, 3, DAYS).mark(LAST_30[:9], "O").mark([LAST_30[9]], "I").mark(LAST_30[10:19], "O"),
        # a day the pupil had no possible session (X) neither counts nor breaks the run
        Pupil(4, 4, DAYS).mark(LAST_30[:5], "O").mark([LAST_30[5]], "X").mark(LAST_30[6:11], "O"),
    ]
    found = flags(tmp_path, pupils)
    run = found[1, "unauthorised-10-days"]
    assert (run.level, run.value, run.unit) == ("red", 10, "school days")
    assert run.evidence["items"][0]["date"] == LAST_30[5].isoformat()
    assert (2, "unauthorised-10-days") not in found
    assert (3, "unauthorised-10-days") not in found
    assert found[4, "unauthorised-10-days"].value == 10


def test_a_run_of_unauthorised_days_spans_the_half_term(tmp_path: Path) -> None:
    before = [d for d in DAYS if d < HALF_TERM[0]][-5:]
    after = [d for d in DAYS if d > HALF_TERM[1]][:5]
    pupil = Pupil(1, 1, DAYS).mark(before + after, "N")
    found = flags(tmp_path, [pupil], as_of=after[-1])
    assert found[1, "unauthorised-10-days"].value == 10  # the half-term week is skipped


def test_penalty_notice_and_unexplained_absence(tmp_path: Path) -> None:
    window = DAYS[-50:]  # 10 school weeks
    pupils = [
        Pupil(1, 1, DAYS).mark([window[0], window[10], window[20], window[30], window[40]], "G"),
        Pupil(2, 2, DAYS).mark([window[0], window[10], window[20], window[30]], "U"),
        Pupil(3, 3, DAYS)
        .mark([window[0], window[10], window[20], window[30]], "U")
        .mark([window[40]], "O", ["AM"]),
        # 3 code N sessions in the last 4 school weeks; one of them 21 school days ago
        Pupil(4, 4, DAYS).mark([DAYS[-1]], "N").mark([DAYS[-20]], "N", ["AM"]),
        Pupil(5, 5, DAYS).mark([DAYS[-1]], "N").mark([DAYS[-21]], "N", ["AM"]),
    ]
    found = flags(tmp_path, pupils)
    assert found[1, "penalty-notice-threshold"].value == 10
    assert level(found, 2, "penalty-notice-threshold") is None  # 8 sessions
    assert level(found, 3, "penalty-notice-threshold") is None  # 9 sessions
    unexplained = found[4, "unexplained-absence"]
    assert (unexplained.level, unexplained.value, unexplained.unit) == ("amber", 3, "sessions")
    assert unexplained.evidence["series"][-1]["value"] == 3
    assert level(found, 5, "unexplained-absence") is None


def test_weekday_pattern(tmp_path: Path) -> None:
    mondays = [d for d in LAST_30 if d.weekday() == 0]
    fridays = [d for d in LAST_30 if d.weekday() == 4]
    others = [d for d in LAST_30 if d.weekday() in (1, 2, 3)]
    pupils = [
        Pupil(1, 1, DAYS).mark(mondays[:3], "I", ["AM"]),
        Pupil(2, 2, DAYS).mark(mondays[:2], "I", ["AM"]),
        # 3 of 6 Mondays, but absent as often on other days: not twice the others' rate
        Pupil(3, 3, DAYS).mark(mondays[:3], "I").mark(others[::2] + fridays[:3], "I"),
    ]
    found = flags(tmp_path, pupils)
    pattern = found[1, "weekday-pattern"]
    assert (pattern.level, pattern.value, pattern.evidence["weekday"]) == ("amber", 3, "Monday")
    assert pattern.evidence["other_days_rate"] == 0
    assert level(found, 2, "weekday-pattern") is None
    assert level(found, 3, "weekday-pattern") is None


def test_not_possible_and_no_mark_codes_are_not_possible_sessions(tmp_path: Path) -> None:
    # 30 school days: 6 days X/Y1/Z/#/D (not possible), 5 sessions absent, the rest present:
    # 43 attended of 48 possible = 89.6%. Counted as absent it would be 71.7% (red); counted
    # as present, 91.7% (no flag).
    not_possible = LAST_30[:6]
    pupil = Pupil(1, 1, DAYS)
    for day, code in zip(not_possible, ("X", "Y1", "Z", "#", "D", "-"), strict=True):
        pupil.mark([day], code)
    pupil.absent_sessions(LAST_30[6:], 5, "I")
    # a classmate present every day keeps every one of those days a school day
    found = flags(tmp_path, [pupil, Pupil(2, 2, DAYS)])
    flag = found[1, "attendance-6-weeks"]
    assert (flag.level, flag.value) == ("amber", 89.58)


def test_a_whole_school_closure_day_is_not_a_school_day(tmp_path: Path) -> None:
    # A C2 session one school day before the 6-week window: outside it, until a whole-school
    # closure (#) inside the window stops counting as a school day.
    closed = LAST_30[10]
    open_every_day = [Pupil(1, 1, DAYS).mark([DAYS[-31]], "C2", ["PM"]), Pupil(2, 2, DAYS)]
    assert (1, "part-time-timetable") not in flags(tmp_path, open_every_day)
    closure = [p.mark([closed], "#") for p in open_every_day]
    flag = flags(tmp_path, closure)[1, "part-time-timetable"]
    assert flag.window_start == DAYS[-31]


def test_holidays_are_skipped_by_school_day_windows(tmp_path: Path) -> None:
    # As at 5 Nov (3 days after half term), the last 6 school weeks go back past the half term.
    as_of = date(2025, 11, 5)
    term_so_far = [d for d in DAYS if d <= as_of]
    pupil = Pupil(1, 1, DAYS).mark([term_so_far[-30]], "C2", ["PM"])
    found = flags(tmp_path, [pupil], as_of=as_of)
    flag = found[1, "part-time-timetable"]
    assert flag.window_start == term_so_far[-30] == date(2025, 9, 18)
    assert (as_of - flag.window_start).days > 6 * 7  # 6 school weeks, and the half term
    assert flag.window_end == date(2025, 11, 5)
    earlier = Pupil(2, 2, DAYS).mark([term_so_far[-31]], "C2", ["PM"])
    assert (2, "part-time-timetable") not in flags(tmp_path, [earlier], as_of=as_of)


def test_marks_and_events_after_the_as_of_date_do_not_count(tmp_path: Path) -> None:
    as_of = date(2025, 11, 28)
    pupil = Pupil(1, 1, DAYS).mark([d for d in DAYS if d > as_of], "O")
    events = [
        event(1, "suspension", date(2025, 12, 1)),
        event(1, "missing_episode", date(2025, 12, 2)),
    ]
    assert flags(tmp_path, [pupil], events, as_of=as_of) == {}
    found = flags(tmp_path, [pupil], events, as_of=END)
    assert {"attendance-6-weeks", "suspensions-term", "missing-episode"} <= {r for _, r in found}


def test_the_later_import_wins_where_two_files_overlap(tmp_path: Path) -> None:
    absent = Pupil(1, 1, DAYS).mark(LAST_30, "O")
    present = Pupil(1, 1, DAYS)
    first = write_marks(tmp_path / "first.parquet", [absent], run=1)
    second = write_marks(tmp_path / "second.parquet", [present], run=2)
    both = evaluate(inputs([first, second], [present]), as_of=END, rules=RULES)
    assert both == []
    swapped_first = write_marks(tmp_path / "a.parquet", [present], run=1)
    swapped_second = write_marks(tmp_path / "b.parquet", [absent], run=2)
    again = evaluate(inputs([swapped_first, swapped_second], [present]), as_of=END, rules=RULES)
    assert {f.rule_id for f in again} >= {"attendance-6-weeks", "unauthorised-10-days"}
    assert all(f.data_date == date(2025, 12, 21) for f in again if f.domain == "attendance")


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([], None),
        ([("suspension", date(2025, 10, 1))], "amber"),
        ([("suspension", date(2025, 10, 1)), ("suspension", date(2025, 12, 1))], "red"),
        ([("suspension", date(2025, 7, 1))], None),  # last school year's summer term
    ],
)
def test_suspensions_this_term(
    tmp_path: Path, events: list[tuple[str, date]], expected: str | None
) -> None:
    found = flags(tmp_path, [], [event(1, t, d) for t, d in events])
    assert level(found, 1, "suspensions-term") == expected
    if expected:
        assert found[1, "suspensions-term"].window_start == date(2025, 9, 3)  # term_dates


def test_police_domestic_abuse(tmp_path: Path) -> None:
    recent, older, long_ago = date(2025, 11, 1), date(2025, 6, 1), date(2024, 11, 1)
    cases = {
        1: [recent],
        2: [recent, older],  # 2 in 12 months: red
        3: [older],  # 1, more than 12 weeks ago: nothing
        4: [older, long_ago],  # 2, but only 1 in 12 months
    }
    events = [
        event(c, "police_notification", d, notification_type="domestic_abuse", agency="Police")
        for c, days in cases.items()
        for d in days
    ]
    events.append(event(5, "police_notification", recent, notification_type="other"))
    events.append(event(6, "police_notification", recent))  # no type: domestic abuse
    found = flags(tmp_path, [], events)
    assert [level(found, c, "police-domestic-abuse") for c in range(1, 7)] == [
        "amber",
        "red",
        None,
        None,
        None,
        "amber",
    ]
    red = found[2, "police-domestic-abuse"]
    assert (red.value, red.threshold, red.window_label) == (2, 2, "the last 12 months")
    assert red.source == "Police"
    assert [i["date"] for i in red.evidence["items"]] == ["2025-06-01", "2025-11-01"]


def test_single_event_rules(tmp_path: Path) -> None:
    when = date(2025, 12, 1)
    events = [
        event(1, "permanent_exclusion", when),
        event(2, "missing_education", when),
        event(3, "elective_home_education", when),
        event(4, "missing_episode", when),
        event(5, "youth_justice_contact", when),
        event(6, "alternative_provision", when),
        event(7, "missing_episode", date(2025, 9, 1)),  # more than 12 weeks ago
    ]
    found = flags(tmp_path, [], events)
    assert level(found, 1, "permanent-exclusion") == "red"
    assert level(found, 2, "missing-education") == "red"
    assert level(found, 3, "elective-home-education") == "amber"
    assert level(found, 4, "missing-episode") == "red"
    assert level(found, 5, "youth-justice-contact") == "amber"
    assert level(found, 6, "alternative-provision") == "amber"
    assert (7, "missing-episode") not in found


def test_alternative_provision_from_k_marks(tmp_path: Path) -> None:
    pupils = [Pupil(1, 1, DAYS).mark(DAYS[-3:], "K", ["PM"]), Pupil(2, 2, DAYS).mark(DAYS[:2], "K")]
    found = flags(tmp_path, pupils)
    flag = found[1, "alternative-provision"]
    assert (flag.level, flag.value) == ("amber", 3)
    assert flag.evidence["items"] == [{"date": "2025-12-19", "what": "3 sessions marked K"}]
    assert (2, "alternative-provision") not in found  # September: more than 12 weeks ago
    assert (1, "attendance-6-weeks") not in found  # K counts as attending


def test_mid_year_move(tmp_path: Path) -> None:
    events = [
        event(1, "school_admission", date(2025, 11, 3)),
        event(2, "school_admission", date(2025, 9, 3)),  # the start of the school year
        event(3, "school_admission", date(2025, 9, 16)),  # 15 days in: mid-year
        event(4, "school_admission", date(2025, 9, 15)),  # 14 days in: the start
    ]
    found = flags(tmp_path, [], events, as_of=date(2025, 10, 1))
    assert level(found, 1, "mid-year-move") is None  # after the as-of date
    assert level(found, 2, "mid-year-move") is None
    assert level(found, 3, "mid-year-move") == "amber"
    assert level(found, 4, "mid-year-move") is None
    later = flags(tmp_path, [], events, as_of=END)
    assert level(later, 1, "mid-year-move") == "amber"
    assert level(later, 3, "mid-year-move") is None  # more than 13 weeks ago


def test_escalation(tmp_path: Path) -> None:
    pupils = [
        Pupil(1, 1, DAYS).absent_sessions(LAST_30, 7, "I"),
        Pupil(2, 2, DAYS).absent_sessions(LAST_30, 7, "I"),
    ]
    events = [event(1, "missing_episode", date(2025, 12, 1))]
    found = flags(tmp_path, pupils, events)
    escalation = found[1, "escalation"]
    assert (escalation.level, escalation.value, escalation.is_escalation) == ("red", 2, True)
    assert escalation.evidence["domains"] == ["attendance", "partner"]
    assert (2, "escalation") not in found  # one domain
    # A flag that was amber in the last run and is red now escalates on its own.
    worse = [Pupil(2, 2, DAYS).absent_sessions(LAST_30, 13, "I")]
    rising = flags(tmp_path, worse, previous={(2, "attendance-6-weeks"): "amber"})
    assert rising[2, "escalation"].evidence["rising"] == ["attendance-6-weeks"]
    steady = flags(tmp_path, worse, previous={(2, "attendance-6-weeks"): "red"})
    assert (2, "escalation") not in steady


def test_a_disabled_rule_does_not_fire(tmp_path: Path) -> None:
    text = DEFAULT_RULES_FILE.read_text().replace(
        'id = "missing-episode"', 'id = "missing-episode"\nenabled = false'
    )
    path = tmp_path / "rules.toml"
    path.write_text(text)
    rules = load_rules(path)
    found = evaluate(inputs([], [], [event(1, "missing_episode", END)]), as_of=END, rules=rules)
    assert found == []

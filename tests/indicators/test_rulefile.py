"""The rule file: the shipped set loads, and every kind of mistake is refused with a message
naming the file, the rule and the field."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from joinedup.chronology.vocabulary import EventType
from joinedup.indicators.rulefile import (
    DEFAULT_RULES_FILE,
    EVENT_TYPES,
    Calendar,
    RuleFileError,
    load_rules,
    parse_window,
)

DEFAULT_IDS = {
    "attendance-6-weeks",
    "attendance-year",
    "severe-absence",
    "attendance-drop",
    "unauthorised-10-days",
    "penalty-notice-threshold",
    "unexplained-absence",
    "weekday-pattern",
    "suspensions-term",
    "permanent-exclusion",
    "part-time-timetable",
    "alternative-provision",
    "mid-year-move",
    "missing-education",
    "elective-home-education",
    "police-domestic-abuse",
    "missing-episode",
    "youth-justice-contact",
    "escalation",
}

HEADER = 'version = "t1"\n'
GOOD_RULE = """
[[rule]]
id = "low"
name = "Low attendance"
domain = "attendance"
kind = "attendance_rate"
reads = "marks"
window = "6 school weeks"
amber = 90
red = 80
clears = "attendance back up"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(RuleFileError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message  # every message names the file
    return message


def test_the_default_rule_set_loads_with_the_ids_others_depend_on() -> None:
    rules = load_rules(DEFAULT_RULES_FILE)
    assert {r.id for r in rules.rules} == DEFAULT_IDS
    assert rules.decision_due_school_days == 5
    assert len(rules.sha256) == 64 and rules.version
    year = rules.rule("attendance-year")
    assert (year.amber, year.red, year.window.kind if year.window else None) == (
        90.0,
        80.0,
        "school_year",
    )
    assert rules.rule("escalation").is_escalation
    assert all(r.enabled and r.reads and r.clears for r in rules.rules)


def test_event_types_match_the_chronology_vocabulary() -> None:
    # rulefile.py imports no Django, so it keeps its own copy of the list.
    assert set(EVENT_TYPES) == set(EventType.values)


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, HEADER + GOOD_RULE))
    (rule,) = rules.rules
    assert rule.window is not None and rule.window.n == 30  # 6 school weeks = 30 school days
    assert rules.calendar == Calendar()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('kind = "attendance_rate"', 'kind = "vibes"'),
            r"rule 'low' \(rule 1\) kind: 'vibes' is not a kind",
        ),
        (("amber = 90\nred = 80\n", ""), r"rule 'low' \(rule 1\) amber/red: missing threshold"),
        (
            ("amber = 90\nred = 80", "amber = 80\nred = 90"),
            r"amber/red: wrong order: .* red \(90\) must be below amber \(80\)",
        ),
        (
            ("amber = 90", "amber = 90\ncolour = 'red'"),
            r"rule 'low' \(rule 1\) colour: is not a field of a attendance_rate rule",
        ),
        (('window = "6 school weeks"', 'window = "a while"'), r"window: 'a while' is not a window"),
        (
            ('window = "6 school weeks"', 'window = "12 months"'),
            r"window: '12 months': a attendance_rate rule's window is counted in school days",
        ),
        (('domain = "attendance"', 'domain = "astrology"'), r"domain: 'astrology' is not one of"),
        (('name = "Low attendance"', 'name = "  "'), r"name: is required"),
        (('id = "low"', 'id = "Low Attendance"'), r"rule 1 id: 'Low Attendance' is not an id"),
        (("amber = 90", 'amber = "ninety"'), r"amber: 'ninety' is not a number"),
        (("amber = 90", "amber = 120"), r"amber: 120 is outside the rule's range"),
        (("amber = 90", "amber = 90\nenabled = 'yes'"), r"enabled: must be true or false"),
    ],
)
def test_rule_mistakes_are_named(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in GOOD_RULE
    message = refused(tmp_path, HEADER + GOOD_RULE.replace(old, new, 1))
    assert re.search(expected, message), message


def test_count_rules_must_have_red_above_amber(tmp_path: Path) -> None:
    text = (
        HEADER
        + """
[[rule]]
id = "sus"
name = "Suspended"
domain = "behaviour"
kind = "event_count"
reads = "suspensions"
window = "term"
event_types = ["suspension"]
amber = 2
red = 1
clears = "a new term"
"""
    )
    message = refused(tmp_path, text)
    assert "rule 'sus' (rule 1) amber/red: wrong order" in message
    assert "red (1) must be above amber (2)" in message


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('codes = ["N", "F"]', "codes: 'F' is not a DfE 2024 attendance code"),
        ("", "codes: is required for a session_count rule"),
    ],
)
def test_session_count_codes_are_checked(tmp_path: Path, extra: str, expected: str) -> None:
    text = (
        HEADER
        + f"""
[[rule]]
id = "n-codes"
name = "N codes"
domain = "attendance"
kind = "session_count"
reads = "marks"
window = "4 school weeks"
{extra}
amber = 3
clears = "fewer N codes"
"""
    )
    assert expected in refused(tmp_path, text)


def test_unknown_event_type_and_match_field(tmp_path: Path) -> None:
    rule = """
[[rule]]
id = "police"
name = "Police"
domain = "partner"
kind = "event_count"
reads = "notifications"
window = "12 weeks"
event_types = [TYPES]
amber = 1
clears = "time"
"""
    message = refused(tmp_path, HEADER + rule.replace("TYPES", '"police_visit"'))
    assert "rule 'police' (rule 1) event_types: 'police_visit' is not an event type" in message
    text = (
        HEADER + rule.replace("TYPES", '"police_notification"') + 'match = { colour = ["red"] }\n'
    )
    assert "match: 'colour' is not a field events carry" in refused(tmp_path, text)


def test_bad_toml_names_the_line(tmp_path: Path) -> None:
    message = refused(tmp_path, HEADER + GOOD_RULE + "\n[[rule]\nid = 'x'\n")
    assert "is not valid TOML" in message
    assert "line 14" in message


def test_file_level_mistakes(tmp_path: Path) -> None:
    assert "version: is required" in refused(tmp_path, GOOD_RULE)
    assert "top-level key 'rules'" in refused(tmp_path, HEADER + "rules = 1\n" + GOOD_RULE)
    assert "the file has no rules" in refused(tmp_path, HEADER)
    assert "rule 'low' (rule 2): the id is used twice" in refused(
        tmp_path, HEADER + GOOD_RULE + GOOD_RULE
    )
    due = HEADER + "[worklist]\ndecision_due_school_days = 0\n" + GOOD_RULE
    assert "decision_due_school_days: must be a whole number 1-60" in refused(tmp_path, due)
    calendar = HEADER + '[calendar]\nterm_starts = ["13-01"]\n' + GOOD_RULE
    assert "[calendar] term_starts: '13-01' is not a month-day" in refused(tmp_path, calendar)
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(RuleFileError, match="cannot read the rule file"):
        load_rules(missing)
    (tmp_path / "latin1.toml").write_bytes(b'version = "caf\xe9"\n')
    with pytest.raises(RuleFileError, match="is not UTF-8"):
        load_rules(tmp_path / "latin1.toml")


def test_windows_parse() -> None:
    assert parse_window("6 school weeks").n == 30
    assert parse_window("10 school days").kind == "school_days"
    assert parse_window("12 weeks").n == 84 and parse_window("12 weeks").kind == "days"
    assert parse_window("12 months").n == 360
    assert parse_window("term").kind == "term"
    assert parse_window("School  Year").kind == "school_year"
    with pytest.raises(ValueError, match="is not a window"):
        parse_window("fortnight")


def test_calendar_terms() -> None:
    fixed = Calendar()
    assert fixed.school_year_start(date(2026, 2, 1)) == date(2025, 9, 1)
    assert fixed.school_year_start(date(2025, 9, 1)) == date(2025, 9, 1)
    assert fixed.term_start(date(2026, 2, 1)) == date(2026, 1, 1)
    assert fixed.term_start(date(2026, 5, 1)) == date(2026, 4, 1)
    listed = Calendar(term_dates=(date(2025, 9, 3), date(2026, 1, 5), date(2026, 4, 13)))
    assert listed.term_start(date(2026, 4, 2)) == date(2026, 1, 5)  # Easter holiday, listed
    assert listed.term_start(date(2026, 4, 20)) == date(2026, 4, 13)
    # Long after the listed dates, the month-days take over again.
    assert listed.term_start(date(2027, 2, 1)) == date(2027, 1, 1)

# mypy: disable-error-code="misc"
# (Each stage takes `self: Builder`: a mixin whose state lives on the Builder that uses it.)
"""Each pupil's register, day by day, from the story's drivers (see story.py).

A school day is either a whole-day absence (an episode of illness lasting a few days, a medical
appointment for one session, a holiday not granted, unexplained absence ...), a suspension
(code E, no alternative provision), an alternative-provision day (B), a part-time-timetable
afternoon (C2), or present (now and then late: L). The same simulation gives the register marks
(written for the previous school year and this one so far), the termly attendance summaries in
the school's events file (for every term since September 2024), the suspensions (in the
school's exclusions return) and the truth's per-term attendance.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date
from itertools import accumulate
from typing import TYPE_CHECKING

from joinedup.dates import govuk_date
from joinedup.demo import names as N
from joinedup.demo.generator.model import (
    REFERENCE_DATE,
    WINDOW_START,
    ChildInfo,
    Person,
    SourceRow,
    Stint,
    at,
    days,
    pick,
)
from joinedup.demo.generator.school_calendar import MARKS_FROM, school_days, term_labels
from joinedup.demo.generator.story import (
    AP_PROVIDERS,
    SUSPENSION_BASE,
    SUSPENSION_BY_NEED,
    SUSPENSION_MULTIPLIERS,
    abuse_boost,
)
from joinedup.demo.generator.truth import ChildTruth, Register, TermAttendance

if TYPE_CHECKING:
    from joinedup.demo.generator.builder import Builder

ATTENDED = frozenset({"/", "\\", "L", "B"})
AUTHORISED = frozenset({"I", "M", "C", "E", "C2"})
PRESENT_DAY = ("/", "\\")
Chances = tuple[float, float, bool]
# (code, weight, shortest and longest run in days; 0 = a single session).
Episodes = tuple[tuple[str, int, int, int], ...]
AUTHORISED_EPISODES: Episodes = (("I", 85, 1, 4), ("M", 12, 0, 0), ("C", 3, 1, 2))
UNAUTHORISED_EPISODES: Episodes = (
    ("N", 25, 1, 2),
    ("O", 45, 1, 3),
    ("G", 15, 3, 5),
    ("U", 15, 0, 0),
)
AFTER_ABUSE_EPISODES: Episodes = (("N", 55, 1, 3), ("O", 40, 1, 3), ("G", 5, 3, 5))
LATE = 0.02
# Illness by month (index 1-12): more in winter, less in September, October and the summer.
SEASON = (1.0, 1.25, 1.2, 1.05, 1.0, 0.9, 0.85, 0.85, 1.0, 0.8, 0.9, 1.1, 1.2)
_CUMULATIVE = tuple(
    list(accumulate(w for _, w, *_ in episodes))
    for episodes in (AUTHORISED_EPISODES, UNAUTHORISED_EPISODES, AFTER_ABUSE_EPISODES)
)


def _mean_days(episodes: Episodes) -> float:
    total = sum(w for _, w, *_ in episodes)
    return sum(w * ((lo + hi) / 2 if hi else 0.5) for _, w, lo, hi in episodes) / total


MEAN_AUTHORISED, MEAN_UNAUTHORISED = (
    _mean_days(AUTHORISED_EPISODES),
    _mean_days(UNAUTHORISED_EPISODES),
)


class _Day:
    """The register simulation's state for one pupil at one school."""

    def __init__(self) -> None:
        self.run_code, self.run_left = "", 0  # an absence episode in progress
        self.suspended_left = 0  # sessions of suspension still to serve
        self.part_time_until = date.min
        self.ap: tuple[date, date] | None = None
        self.suspensions = 0


class Registers:
    """The register stage; `Builder` supplies the state."""

    def register(self: Builder, p: Person, info: ChildInfo, st: Stint, row: SourceRow) -> None:
        r = self.reg_rng
        t = self.truth.child(p.person_id)
        end = st.leaving or REFERENCE_DATE
        secondary = self.schools[st.school].phase == "secondary"
        register = Register(st.entry, st.leaving)
        self.registers[(row.agency_code, row.record_id)] = register
        hazard = SUSPENSION_BASE["secondary" if secondary else "primary"]
        hazard *= SUSPENSION_MULTIPLIERS["male" if p.sex == "M" else "female"]
        hazard *= SUSPENSION_BY_NEED[info.need]
        hazard *= SUSPENSION_MULTIPLIERS["fsm"] if p.fsm else 1
        hazard *= SUSPENSION_MULTIPLIERS["sen"] if p.sen else 1
        hazard *= SUSPENSION_MULTIPLIERS["semh"] if info.sen_need == "SEMH" else 1
        phase = {"authorised": 1.05, "unauthorised": 1.4} if secondary else {}
        base_a = t.base_authorised * phase.get("authorised", 1) + t.school_avoidance
        base_u = t.base_unauthorised * phase.get("unauthorised", 1)
        missing = set()
        if t.missing_education_on and st.reason == "Child missing education":
            missing = set(school_days(t.missing_education_on, end))
        dob = p.date_of_birth
        compulsory_from = date(dob.year + 5 + ((dob.month, dob.day) > (8, 31)), 9, 1)
        state, term_of_day, marks = _Day(), term_labels(), register.marks
        present: dict[str, int] = defaultdict(int)  # whole days present, by term
        other: dict[str, Counter[str]] = defaultdict(Counter)  # every other session's code
        last: dict[str, date] = {}
        calm = [_chances(base_a * season, base_u, False) for season in SEASON]
        late = 1 - LATE * min(3.0, t.frailty)  # a draw above this on a day present: late
        for day in school_days(max(st.entry, WINDOW_START), end):
            extra, recent = abuse_boost(t, day) if t.responds_to_abuse else (0.0, False)
            if t.slide_from and t.slide_until and t.slide_from <= day < t.slide_until:
                ramp = min((day - t.slide_from).days, (t.slide_until - day).days) / 100
                extra += t.slide_peak * min(1.0, ramp)
            busy = state.suspended_left or state.ap or state.run_left
            codes = ("N", "N") if day in missing else _ongoing(state, day) if busy else None
            if codes is None:  # nothing under way today: a suspension may begin, or an absence
                risk = hazard * (SUSPENSION_MULTIPLIERS["after_domestic_abuse"] if recent else 1)
                risk *= SUSPENSION_MULTIPLIERS["suspended_before"] if state.suspensions else 1
                u = r.random()
                if u < risk:
                    self.suspend(r, t, state, day, row, secondary and day >= compulsory_from)
                    codes = _ongoing(state, day)
                else:
                    chances = calm[day.month]
                    if extra:
                        a, b = base_a * SEASON[day.month] + 0.25 * extra, base_u + 0.75 * extra
                        chances = _chances(a, b, extra > 0.03)
                    codes = _new_day(r, state, (u - risk) / (1 - risk), chances, late)
            assert codes is not None
            if state.part_time_until >= day and codes[1] == "\\" and day >= compulsory_from:
                codes = (codes[0], "C2")
            label = term_of_day[day]
            last[label] = day
            if codes == PRESENT_DAY:
                present[label] += 1
                continue
            other[label].update(codes)
            if day >= MARKS_FROM:
                for session, code in zip(("AM", "PM"), codes, strict=True):
                    if code not in PRESENT_DAY:
                        marks[(day, session)] = code
        terms = {label: _tally(present[label], other[label]) for label in last}
        self.term_summaries(row, terms, last)
        for label, counts in terms.items():
            total = t.terms.setdefault(label, TermAttendance())
            total.possible += counts.possible
            total.attended += counts.attended
            total.authorised += counts.authorised
            total.unauthorised += counts.unauthorised

    def suspend(
        self: Builder,
        r: random.Random,
        t: ChildTruth,
        state: _Day,
        day: date,
        row: SourceRow,
        may_need_provision: bool,
    ) -> None:
        """A suspension from today; after a second one, some get a part-time timetable or
        alternative provision two days a week."""
        code, label = pick(r, N.SUSPENSION_REASONS)
        sessions = r.choices((1, 2, 4, 6, 10), (10, 40, 30, 12, 8))[0]
        length = "half a day" if sessions == 1 else f"{sessions / 2:g} day{'s' * (sessions > 2)}"
        payload = {"reason_code": code, "sessions": sessions}
        self.event(row, "suspension", at(day, 8, 30), f"Suspended for {length}: {label}", payload)
        state.suspended_left, state.run_left = sessions, 0
        state.suspensions += 1
        t.suspensions.append(day)
        if state.suspensions < 2 or state.ap or state.part_time_until > day:
            return
        u = r.random()
        if u < 0.3:
            start, weeks = day + days(r.randint(5, 10)), r.randint(4, 8)
            state.part_time_until = start + days(7 * weeks)
            t.part_time.append((start, state.part_time_until))
        elif u < 0.6 and may_need_provision:
            start, weeks = day + days(r.randint(7, 14)), r.randint(6, 12)
            if start >= REFERENCE_DATE:
                return
            state.ap = (start, start + days(7 * weeks))
            t.alternative_provision.append(state.ap)
            provider = r.choice(AP_PROVIDERS)
            summary = f"Placed in alternative provision two days a week at {provider}"
            payload2 = {
                "provider": provider,
                "days_per_week": 2,
                "arranged_by": "school",
                "planned_weeks": weeks,
            }
            self.event(row, "alternative_provision", at(start, 9), summary, payload2)

    def term_summaries(
        self: Builder, row: SourceRow, terms: dict[str, TermAttendance], lasts: dict[str, date]
    ) -> None:
        for label, counts in terms.items():
            if counts.possible < 10:
                continue
            last = lasts[label]
            absent = counts.authorised + counts.unauthorised
            pct = round(100 * counts.attended / counts.possible, 1)
            n = counts.unauthorised
            summary = (
                f"Attendance {pct}% in {label} ({n} unauthorised session{'' if n == 1 else 's'})"
            )
            if last >= REFERENCE_DATE - days(21):
                summary += f" to {govuk_date(last)}"
            payload = {
                "term": label,
                "sessions_possible": counts.possible,
                "sessions_attended": counts.attended,
                "authorised": absent - counts.unauthorised,
                "unauthorised": counts.unauthorised,
                "attendance_pct": pct,
            }
            self.event(row, "attendance_summary", at(last, 16), summary, payload)


def _ongoing(state: _Day, day: date) -> tuple[str, str] | None:
    """The day's AM and PM codes when a suspension, AP day or absence episode is under way."""
    if state.suspended_left:
        pm = "E" if state.suspended_left > 1 else "\\"
        state.suspended_left = max(0, state.suspended_left - 2)
        return "E", pm
    if state.ap and state.ap[0] <= day <= state.ap[1] and day.weekday() in (1, 3):
        return "B", "B"
    if state.run_left:
        state.run_left -= 1
        return state.run_code, state.run_code
    return None


def _chances(authorised: float, unauthorised: float, after_abuse: bool) -> Chances:
    """The chance, on a day with nothing under way, that an authorised or an unauthorised
    absence episode starts, such that the child misses about `authorised + unauthorised` of
    their days (episodes last several days, so the chance of one starting is lower)."""
    share = min(0.95, authorised + unauthorised)
    if share <= 0:
        return 0.0, 0.0, after_abuse
    length = (authorised * MEAN_AUTHORISED + unauthorised * MEAN_UNAUTHORISED) / (
        authorised + unauthorised
    )
    start = share / (length * (1 - share) + share)
    return (
        start * authorised / (authorised + unauthorised),
        start * unauthorised / (authorised + unauthorised),
        after_abuse,
    )


def _new_day(
    r: random.Random, state: _Day, u: float, chances: Chances, late: float
) -> tuple[str, str]:
    """A day with nothing under way: present (perhaps late), or the start of an absence.
    `u` is a uniform draw; `chances`: an authorised and an unauthorised episode starting, and
    whether the unauthorised ones are the kind that follows domestic abuse."""
    authorised, unauthorised, after_abuse = chances
    if u < authorised:
        episodes, weights = AUTHORISED_EPISODES, _CUMULATIVE[0]
    elif u < authorised + unauthorised:
        episodes, weights = (
            (AFTER_ABUSE_EPISODES, _CUMULATIVE[2])
            if after_abuse
            else (UNAUTHORISED_EPISODES, _CUMULATIVE[1])
        )
    else:
        return ("L" if u > late else "/"), "\\"
    code, _, lo, hi = r.choices(episodes, cum_weights=weights)[0]
    if not hi:  # one session
        return (code, "\\") if code == "U" or r.random() < 0.5 else ("/", code)
    state.run_code, state.run_left = code, r.randint(lo, hi) - 1
    return code, code


def _tally(present_days: int, codes: Counter[str]) -> TermAttendance:
    counts = TermAttendance(possible=2 * present_days + sum(codes.values()))
    counts.attended = 2 * present_days + sum(n for c, n in codes.items() if c in ATTENDED)
    counts.authorised = sum(n for c, n in codes.items() if c in AUTHORISED)
    counts.unauthorised = counts.possible - counts.attended - counts.authorised
    return counts

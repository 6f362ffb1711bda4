"""The causal story's ground truth: what really drove each child's record, for tests only.

None of this is written into an agency's extract; the extracts carry only what an agency would
observe (marks, events, census fields). `Area.truth` holds it so tests (and the indicators'
hit-rate report's tests) can check that the story is in the files and that a report finds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["ChildTruth", "DomesticAbuse", "Register", "TermAttendance", "Truth"]


@dataclass(frozen=True)
class DomesticAbuse:
    """A police domestic-abuse notification for the child's household."""

    on: date
    dash_risk: str  # standard, medium, high
    child_present: bool


@dataclass
class TermAttendance:
    """One term's sessions for one child on one school roll, counted as the DfE counts them."""

    possible: int = 0
    attended: int = 0  # present, late or an approved off-site activity (B)
    authorised: int = 0
    unauthorised: int = 0

    @property
    def rate(self) -> float:
        return self.attended / self.possible if self.possible else 1.0


@dataclass
class Register:
    """One pupil's register at one school: every mark that is not plain present ('/' or '\\')."""

    entry: date
    leaving: date | None
    marks: dict[tuple[date, str], str] = field(default_factory=dict)


@dataclass
class ChildTruth:
    person_id: str
    frailty: float = 1.0  # the child's own propensity to be absent (multiplies the base rates)
    base_authorised: float = 0.0  # daily chance of an authorised absence before any event
    base_unauthorised: float = 0.0
    school_avoidance: float = 0.0  # extra authorised (illness) absence: not a safeguarding sign
    domestic_abuse: list[DomesticAbuse] = field(default_factory=list)
    responds_to_abuse: bool = False  # absence and suspension risk rise after a notification
    slide_from: date | None = None  # attendance slides gradually from this date
    slide_until: date | None = None  # ... and recovers (over about 100 days) by this date
    slide_peak: float = 0.0  # extra daily absence at the slide's worst
    elective_home_education_on: date | None = None
    missing_education_on: date | None = None  # removed from roll as missing education
    readmitted_on: date | None = None  # after missing education, found and admitted elsewhere
    suspensions: list[date] = field(default_factory=list)
    part_time: list[tuple[date, date]] = field(default_factory=list)  # C2 timetable spells
    alternative_provision: list[tuple[date, date]] = field(default_factory=list)
    terms: dict[str, TermAttendance] = field(default_factory=dict)  # by term label, all schools
    # Later outcomes, from the agencies' events: referral accepted (the assessment found more
    # than no further action), CIN plan, CP plan, looked after, early help episode started.
    outcomes: dict[str, list[date]] = field(default_factory=dict)

    def attendance(self, term: str) -> float | None:
        counts = self.terms.get(term)
        return counts.rate if counts and counts.possible >= 10 else None

    def persistently_absent(self, term: str) -> bool | None:
        """Below 90% attendance in `term` (None when the child had under 10 sessions)."""
        rate = self.attendance(term)
        return None if rate is None else rate < 0.9


@dataclass
class Truth:
    """The story behind an area: per-child truth and the base-rate multipliers used."""

    children: dict[str, ChildTruth] = field(default_factory=dict)
    multipliers: dict[str, dict[str, float]] = field(default_factory=dict)

    def child(self, person_id: str) -> ChildTruth:
        if person_id not in self.children:
            self.children[person_id] = ChildTruth(person_id)
        return self.children[person_id]

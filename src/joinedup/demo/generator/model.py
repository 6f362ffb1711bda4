"""The synthetic area's data model, noise rates, calendar and small helpers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from joinedup.demo.generator.truth import Register, Truth

REFERENCE_DATE = date(2026, 11, 1)  # "today" in every generated area
WINDOW_START = date(2024, 9, 1)  # events cover the two school years before REFERENCE_DATE
LA_CODE = "990"  # DfE LA numbers run 201-941: 990-993 are unallocated, so no UPN is real
OTHER_LA_CODES = ("991", "992", "993")


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    agency_type: str
    urn: str = ""


@dataclass
class Household:
    household_id: str
    address: str
    postcode: str
    previous_address: str = ""
    previous_postcode: str = ""
    adults: list[tuple[str, str]] = field(default_factory=list)
    moved_on: date | None = None  # moved from previous_address (in the area) on this date
    arrived_on: date | None = None  # arrived from outside the area (previous_address) on this date


@dataclass
class Person:
    person_id: str
    given_name: str
    middle_names: str
    family_name: str
    date_of_birth: date
    sex: str
    household_id: str
    nhs_number: str
    upn: str
    former_upn: str = ""
    la_child_id: str = ""
    ethnicity: str = ""
    sen: str = ""
    fsm: bool = False
    school_codes: list[str] = field(default_factory=list)
    twin_of: str = ""
    sibling_ids: list[str] = field(default_factory=list)
    previous_family_name: str = ""
    name_changed_on: date | None = None  # when previous_family_name stopped being used


@dataclass
class SourceRow:
    agency_code: str
    record_id: str
    person_id: str
    given_name: str
    middle_names: str
    family_name: str
    date_of_birth: str
    sex: str
    postcode: str
    address: str
    nhs_number: str = ""
    upn: str = ""
    former_upn: str = ""
    la_child_id: str = ""
    # The extract's agency-specific columns, for writer.py. School: nc_year, entry_date,
    # leaving_date, sen, fsm, ethnicity. Police: notification_type, notification_date.
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class GeneratedEvent:
    agency_code: str
    record_id: str
    person_id: str
    event_type: str
    occurred_at: datetime
    summary: str
    payload: dict
    sensitivity: str = "standard"


@dataclass
class GeneratedInvolvement:
    agency_code: str
    person_id: str
    description: str
    started_on: date
    ended_on: date | None
    level: int  # 1 universal (a school roll), 2 early help, 3 targeted, 4 specialist


@dataclass
class Area:
    seed: int
    reference_date: date
    agencies: list[AgencySpec]
    households: list[Household]
    people: list[Person]
    records: list[SourceRow]
    events: list[GeneratedEvent]
    involvements: list[GeneratedInvolvement]
    # Each school record's register, by (agency code, record id): the writer's attendance files.
    registers: dict[tuple[str, str], Register] = field(default_factory=dict)
    truth: Truth = field(default_factory=Truth)  # the causal story; never in an extract


@dataclass(frozen=True)
class Noise:
    """Chance, per record, of each kind of noise in one agency type's extract (0..1)."""

    nickname: float
    variant: float  # a spelling variant of the given name (of the family name, half as often)
    typo: float  # one keying error in the given name (and, separately, the family name)
    drop_middle: float  # 1.0 where the extract has no middle names
    dob_typo: float  # one digit of the date of birth wrong
    dob_swap: float  # day and month swapped (only possible when the day is 12 or less)
    dob_blank: float
    dob_year_only: float  # an estimated date of birth: 1 January of the year of birth
    stale_address: float  # still the previous address after a house move
    stale_name: float  # still the previous family name after a change
    hyphen_part: float  # one part of a hyphenated family name
    sex_held: float
    blank_postcode: float
    nhs_held: float  # the agency holds the child's NHS number
    upn_held: float
    la_id_held: float  # ... the LA child id, where social care has issued one
    id_typo: float  # two adjacent digits of the NHS number transposed


def _percent(*rates: float) -> Noise:
    return Noise(*(rate / 100 for rate in rates))


# Percent. Columns: nickname variant typo middle | dob: typo swap blank year-only | stale:
# address name | hyphen-part sex-held blank-postcode | held: NHS UPN LA-id | id-typo.
NOISE: dict[str, Noise] = {
    "school": _percent(0.5, 1, 1, 5, 0.4, 0.2, 0, 0, 12, 8, 5, 100, 0, 0, 100, 0, 0),
    "health": _percent(1, 2, 1.5, 100, 0.6, 0.4, 0, 0, 25, 20, 10, 100, 0, 99, 0, 0, 0),
    "social_care": _percent(3, 3, 1.5, 15, 1, 0.8, 0, 0, 20, 20, 10, 100, 0, 70, 65, 100, 0.4),
    "early_help": _percent(6, 4, 2, 40, 1.2, 1, 0, 0, 30, 30, 15, 95, 0, 25, 50, 60, 0.4),
    "police": _percent(15, 5, 4, 100, 3, 2, 8, 2, 45, 45, 30, 0, 6, 0, 0, 0, 0),
    "youth_service": _percent(20, 5, 3, 60, 2, 1.5, 3, 0, 40, 40, 30, 80, 4, 0, 10, 0, 0),
    "youth_justice": _percent(8, 3, 2, 20, 1, 1, 0, 0, 30, 30, 15, 100, 0, 10, 40, 60, 0.4),
    "housing": _percent(5, 4, 3, 60, 2, 1, 2, 0, 0, 40, 20, 0, 0, 0, 0, 0, 0),
    "voluntary": _percent(12, 5, 3, 60, 2, 1.5, 3, 0, 40, 40, 30, 60, 3, 0, 0, 0, 0),
}

SENSITIVITY: dict[str, str] = {
    **dict.fromkeys(
        ("health_contact", "police_notification", "missing_episode", "youth_justice_contact"),
        "special_category",
    ),
    **dict.fromkeys(
        ("referral", "assessment", "plan", "child_protection", "looked_after", "sen_support")
        + ("early_help_episode", "housing_contact"),
        "sensitive",
    ),
}

# Local record ids, by agency code ({n} is a per-agency serial).
RECORD_IDS = {
    "early-help": "EH{n:06d}",
    "health": "RJU{n:07d}",
    "youth-service": "YS{n:06d}",
    "youth-justice": "YJ{n:05d}",
    "housing": "HSG{n:06d}",
    "voluntary-sector": "VS{n:05d}",
    "social-care": "CS{n:06d}",  # also the LA child id
}

# First and last school days of each school year (terms: school_calendar.py).
YEAR_START = {2024: date(2024, 9, 4), 2025: date(2025, 9, 3), 2026: date(2026, 9, 2)}
YEAR_END = {2024: date(2025, 7, 22), 2025: date(2026, 7, 21)}

Step = tuple[datetime, str, str, dict]  # (when, event type, summary, payload)
Spell = tuple[str, date, date | None]  # (involvement description, started on, ended on)


def academic_year(d: date) -> int:
    return d.year if d.month >= 9 else d.year - 1


def nc_year(dob: date, year: int) -> int:
    """National Curriculum year in the school year from September `year` (0 = Reception)."""
    return year - dob.year - (1 if (dob.month, dob.day) > (8, 31) else 0) - 4


def year_label(nc: int) -> str:
    return "Reception" if nc == 0 else f"Year {nc}"


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def birthday(dob: date, years: int) -> date:
    """The day a child born on `dob` turns `years` (29 February birthdays fall on 1 March)."""
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:
        return date(dob.year + years, 3, 1)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def rand_date(r: random.Random, start: date, end: date) -> date:
    return start + days(r.randint(0, max(0, (end - start).days)))


def at(d: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=UTC)


def pick(r: random.Random, table: tuple[tuple[str, str, int], ...]) -> tuple[str, str]:
    """Draw (code, label) from a (code, label, weight) table."""
    code, label, _ = r.choices(table, [weight for *_, weight in table])[0]
    return code, label


def typo(r: random.Random, s: str) -> str:
    """One keying error: substitute, drop, double or transpose one character (never the first)."""
    if len(s) < 3:
        return s
    i = r.randrange(1, len(s) - 1)
    kind = r.randrange(4)
    if kind == 0:
        out = s[:i] + r.choice("aeioulnrstmdh") + s[i + 1 :]
    elif kind == 1:
        out = s[:i] + s[i + 1 :]
    elif kind == 2:
        out = s[:i] + s[i] + s[i:]
    else:
        out = s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    return out if out != s else s[:i] + s[i + 1 :]


def noisy_dob(r: random.Random, dob: date, nz: Noise) -> str:
    """The date of birth as the agency holds it (ISO), or '' when it holds none."""
    u = r.random()
    iso = dob.isoformat()
    if u < nz.dob_blank:
        return ""
    u -= nz.dob_blank
    if u < nz.dob_year_only:
        return f"{dob.year}-01-01"
    u -= nz.dob_year_only
    if u < nz.dob_swap and dob.day <= 12 and dob.day != dob.month:
        return date(dob.year, dob.day, dob.month).isoformat()
    if nz.dob_swap <= u < nz.dob_swap + nz.dob_typo:
        for _ in range(20):
            i = r.choice((3, 6, 8, 9))
            wrong = iso[:i] + str(r.randrange(10)) + iso[i + 1 :]
            try:
                if wrong != iso and date.fromisoformat(wrong) <= REFERENCE_DATE:
                    return wrong
            except ValueError:
                continue
    return iso


@dataclass
class Stint:
    """A spell on one school's roll."""

    school: str
    entry: date
    leaving: date | None = None
    reason: str = ""


@dataclass
class ChildInfo:
    """Hidden ground truth that drives the services but is not part of Person."""

    need: int
    stints: list[Stint] = field(default_factory=list)
    sen_need: str = ""
    sixth_form: bool = False
    temporary_upn_current: bool = False  # the current school still holds the temporary UPN


@dataclass(frozen=True)
class School:
    code: str
    phase: str
    town: str
    urn: str
    est: str  # DfE establishment number (4 digits), part of the UPNs the school allocates

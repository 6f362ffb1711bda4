"""The synthetic area's school calendar: terms, half-terms, holidays and bank holidays.

Every school in the area follows the local authority's term dates (INSET days are not
modelled), which are typical of an English LA: the autumn term from early September to just
before Christmas with a half-term at the end of October, the spring term from early January to
the Easter holidays with a half-term in February, the summer term to late July with a half-term
at the end of May. Bank holidays are England and Wales's; the ones that fall in term time (the
early May bank holiday) are not school days either. A school day is a weekday in a term that
is not in its half-term and not a bank holiday; each has two sessions, AM and PM.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

__all__ = [
    "BANK_HOLIDAYS",
    "MARKS_FROM",
    "SCHOOL_TERMS",
    "SchoolTerm",
    "is_school_day",
    "school_days",
    "term_labels",
    "term_of",
]


@dataclass(frozen=True)
class SchoolTerm:
    label: str
    first: date  # first school day
    last: date  # last school day
    half_term: tuple[date, date]  # first and last weekday of the half-term holiday

    @property
    def school_year(self) -> int:
        """The school year as the calendar year it starts in (2025 for 2025/26)."""
        return self.first.year if self.first.month >= 9 else self.first.year - 1


def _term(label: str, first: str, last: str, half_term: str) -> SchoolTerm:
    """A term from ISO dates; `half_term` is "first/last" weekday of its half-term holiday."""
    off, back = half_term.split("/")
    iso = date.fromisoformat
    return SchoolTerm(label, iso(first), iso(last), (iso(off), iso(back)))


SCHOOL_TERMS: tuple[SchoolTerm, ...] = (
    _term("Autumn term 2024", "2024-09-04", "2024-12-20", "2024-10-28/2024-11-01"),
    _term("Spring term 2025", "2025-01-06", "2025-04-04", "2025-02-17/2025-02-21"),
    _term("Summer term 2025", "2025-04-22", "2025-07-22", "2025-05-26/2025-05-30"),
    _term("Autumn term 2025", "2025-09-03", "2025-12-19", "2025-10-27/2025-10-31"),
    _term("Spring term 2026", "2026-01-05", "2026-03-27", "2026-02-16/2026-02-20"),
    _term("Summer term 2026", "2026-04-13", "2026-07-21", "2026-05-25/2026-05-29"),
    _term("Autumn term 2026", "2026-09-02", "2026-12-18", "2026-10-26/2026-10-30"),
)

# England and Wales bank holidays in the period (Christmas, Easter and the two May Mondays).
BANK_HOLIDAYS: frozenset[date] = frozenset(
    date.fromisoformat(d)
    for d in (
        "2024-12-25",
        "2024-12-26",
        "2025-01-01",
        "2025-04-18",
        "2025-04-21",
        "2025-05-05",
        "2025-05-26",
        "2025-08-25",
        "2025-12-25",
        "2025-12-26",
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    )  # fmt: skip
)

# Schools' attendance registers cover the previous school year and this one so far.
MARKS_FROM = date(2025, 9, 3)


def is_school_day(day: date) -> bool:
    term = term_of(day)
    if term is None or day.weekday() >= 5 or day in BANK_HOLIDAYS:
        return False
    return not term.half_term[0] <= day <= term.half_term[1]


def term_of(day: date) -> SchoolTerm | None:
    """The term whose first..last school day span holds `day` (holidays between terms: None)."""
    for term in SCHOOL_TERMS:
        if term.first <= day <= term.last:
            return term
    return None


@cache
def _all_school_days() -> tuple[date, ...]:
    out: list[date] = []
    for term in SCHOOL_TERMS:
        day = term.first
        while day <= term.last:
            if is_school_day(day):
                out.append(day)
            day += timedelta(days=1)
    return tuple(out)


@cache
def term_labels() -> dict[date, str]:
    """Each school day's term label."""
    return {day: term.label for day in _all_school_days() if (term := term_of(day))}


def school_days(start: date, stop: date) -> tuple[date, ...]:
    """The school days from `start` up to but not including `stop`."""
    days = _all_school_days()
    return days[bisect_left(days, start) : bisect_left(days, stop)]

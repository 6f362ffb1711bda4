"""Working days in England and Wales: weekdays that are not bank holidays.

Used for the deadlines people are held to (a flag's "decide by" date; referral SLA timers).
Bank holidays for the years in the table below are the GOV.UK England and Wales list
(https://www.gov.uk/bank-holidays), including substitute days. Other years use the standing
rules (New Year, Good Friday, Easter Monday, early May, spring, summer, Christmas and Boxing Day
with their substitute days), which reproduce the table exactly (a test checks it): a deadline
never stops working at a year's end. One-off holidays (a coronation, a state funeral) are not
predictable: add the year's published dates to the table when GOV.UK announces one.

School holidays (half-terms, Christmas, Easter, summer) differ by school and by area, so they
are not here: a deadline counted in working days runs through a half-term.
"""

from __future__ import annotations

from datetime import date, timedelta

ENGLAND_AND_WALES_BANK_HOLIDAYS: frozenset[date] = frozenset(
    {
        # 2024
        date(2024, 1, 1),
        date(2024, 3, 29),  # Good Friday
        date(2024, 4, 1),  # Easter Monday
        date(2024, 5, 6),
        date(2024, 5, 27),
        date(2024, 8, 26),
        date(2024, 12, 25),
        date(2024, 12, 26),
        # 2025
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 5),
        date(2025, 5, 26),
        date(2025, 8, 25),
        date(2025, 12, 25),
        date(2025, 12, 26),
        # 2026
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),  # Boxing Day substitute (26 December is a Saturday)
        # 2027
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
        date(2027, 12, 27),  # Christmas Day substitute (25 December is a Saturday)
        date(2027, 12, 28),  # Boxing Day substitute
    }
)
PUBLISHED_YEARS = frozenset(day.year for day in ENGLAND_AND_WALES_BANK_HOLIDAYS)


def _easter_sunday(year: int) -> date:
    """Western Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def standing_bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays by the standing rules (no one-off days)."""
    easter = _easter_sunday(year)
    new_year = date(year, 1, 1)
    days = {
        new_year + timedelta(days=(7 - new_year.weekday()) % 7 if new_year.weekday() >= 5 else 0),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _monday_on_or_after(date(year, 5, 1)),
        _last_monday(year, 5),
        _last_monday(year, 8),
    }
    # Christmas and Boxing Day; one falling at a weekend moves to the next free weekday.
    for day in (date(year, 12, 25), date(year, 12, 26)):
        while day.weekday() >= 5 or day in days:
            day += timedelta(days=1)
        days.add(day)
    return frozenset(days)


def bank_holidays(year: int) -> frozenset[date]:
    if year in PUBLISHED_YEARS:
        return frozenset(d for d in ENGLAND_AND_WALES_BANK_HOLIDAYS if d.year == year)
    return standing_bank_holidays(year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself is not counted).

    add_working_days(Friday, 1) is the next Monday (or Tuesday after a bank-holiday Monday).
    """
    if days < 0:
        raise ValueError(f"days must be 0 or more, not {days}")
    day = start
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count

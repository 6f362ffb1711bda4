"""The days CI moves the clock to for the date-sensitive tests (`pytest --clock DAY`).

    python scripts/test_clocks.py [--today YYYY-MM-DD]

Prints one line per day, "NAME DAY", counted from today so that the days stay ahead of the
real clock (a browser test's cookies would expire on a day in the past):

- weekend: the next Saturday;
- bank-holiday: the next England and Wales bank holiday (governance.working_days);
- end-of-term: the next last day of a school term, as English schools usually keep them: the
  autumn term ends on the last Friday on or before 20 December, the spring term on the day before
  Good Friday, the summer term on the last weekday on or before 22 July;
- year-ahead: a year from today (the same day next year; 28 February for a 29th).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from joinedup.governance.working_days import bank_holidays, standing_bank_holidays  # noqa: E402


def _weekday_on_or_before(day: date, weekday: int | None = None) -> date:
    while (day.weekday() != weekday) if weekday is not None else day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def term_ends(year: int) -> list[date]:
    good_friday = min(d for d in standing_bank_holidays(year) if d.month in (3, 4))
    return [
        good_friday - timedelta(days=1),
        _weekday_on_or_before(date(year, 7, 22)),
        _weekday_on_or_before(date(year, 12, 20), weekday=4),
    ]


def clocks(today: date) -> dict[str, date]:
    weekend = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    holiday = min(d for y in (today.year, today.year + 1) for d in bank_holidays(y) if d > today)
    term_end = min(d for y in (today.year, today.year + 1) for d in term_ends(y) if d > today)
    try:
        year_ahead = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        year_ahead = date(today.year + 1, 2, 28)
    return {
        "weekend": weekend,
        "bank-holiday": holiday,
        "end-of-term": term_end,
        "year-ahead": year_ahead,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    for name, day in clocks(args.today).items():
        print(name, day.isoformat())
    return 0


if __name__ == "__main__":
    sys.exit(main())

from __future__ import annotations

from datetime import date

import pytest

from joinedup.governance.working_days import (
    ENGLAND_AND_WALES_BANK_HOLIDAYS,
    PUBLISHED_YEARS,
    add_working_days,
    is_working_day,
    standing_bank_holidays,
    working_days_between,
)


def test_weekends_and_bank_holidays_are_not_working_days() -> None:
    assert is_working_day(date(2026, 11, 23))  # Monday
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute
    assert not is_working_day(date(2027, 3, 26))  # Good Friday


def test_adding_working_days_skips_weekends_and_bank_holidays() -> None:
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Fri -> Mon
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)  # over Easter
    # Christmas 2026: 25 Fri, 28 Mon substitute; 24 Dec + 2 = 29 and 30 Dec.
    assert add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 30)
    assert add_working_days(date(2026, 11, 23), 5) == date(2026, 11, 30)
    assert add_working_days(date(2026, 11, 23), 0) == date(2026, 11, 23)


def test_working_days_between_counts_both_ways() -> None:
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 30)) == 6
    assert working_days_between(date(2026, 11, 30), date(2026, 11, 20)) == -6


@pytest.mark.parametrize("year", sorted(PUBLISHED_YEARS))
def test_the_standing_rules_reproduce_the_published_list(year: int) -> None:
    published = {d for d in ENGLAND_AND_WALES_BANK_HOLIDAYS if d.year == year}
    assert standing_bank_holidays(year) == published


def test_a_deadline_runs_on_past_the_published_years() -> None:
    # 2027-12-31 Fri; 2028-01-03 Mon is the New Year substitute (1 Jan is a Saturday).
    assert add_working_days(date(2027, 12, 31), 1) == date(2028, 1, 4)
    # Easter 2028 is 16 April: Good Friday 14, Easter Monday 17.
    assert not is_working_day(date(2028, 4, 14)) and not is_working_day(date(2028, 4, 17))


def test_negative_days_are_refused_plainly() -> None:
    with pytest.raises(ValueError, match="days must be 0 or more"):
        add_working_days(date(2026, 1, 5), -1)

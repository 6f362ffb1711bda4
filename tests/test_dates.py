"""The one GOV.UK date formatter: the style guide's forms, in UK time, on any platform."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.template import Context, Template

from joinedup.dates import govuk_date, govuk_datetime, govuk_time


def test_dates_have_no_leading_zero_and_the_full_month() -> None:
    assert govuk_date(date(2026, 3, 5)) == "5 March 2026"
    assert govuk_date(date(2026, 12, 25)) == "25 December 2026"


@pytest.mark.parametrize(
    ("clock", "words"),
    [
        (time(0, 0), "midnight"),
        (time(12, 0), "midday"),
        (time(14, 0), "2pm"),
        (time(14, 30), "2:30pm"),
        (time(9, 5), "9:05am"),
        (time(12, 30), "12:30pm"),
        (time(0, 15), "12:15am"),
    ],
)
def test_times(clock: time, words: str) -> None:
    assert govuk_time(clock) == words


def test_an_aware_datetime_is_shown_in_uk_time_across_midnight() -> None:
    # 23:30 UTC on 30 June is 00:30 BST on 1 July: the date shown is the UK one.
    late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert govuk_date(late) == "1 July 2026"
    assert govuk_datetime(late) == "1 July 2026 at 12:30am"
    assert govuk_datetime(datetime(2026, 1, 10, 14, 0, tzinfo=UTC)) == "10 January 2026 at 2pm"
    assert govuk_datetime(date(2026, 1, 10)) == "10 January 2026"


def test_the_template_filters_use_it_and_leave_other_values_alone() -> None:
    page = Template(
        "{% load govuk %}{{ d|govuk_date }}|{{ t|govuk_datetime }}|"
        "{{ n|govuk_date }}|{{ s|govuk_date }}"
    )
    context = Context(
        {"d": date(2026, 3, 5), "t": datetime(2026, 3, 5, 12, tzinfo=UTC), "n": None, "s": "x"}
    )
    assert page.render(context) == "5 March 2026|5 March 2026 at midday||x"

"""Dates and times as GOV.UK writes them: "5 March 2026", "5 March 2026 at 2:30pm", "at 2pm",
"at midday", "at midnight", always in Europe/London whatever the server's zone.

The one formatter for pages, messages, reminders and generated text (GOV.UK style guide,
"Dates" and "Times"). Pure Python, so the data core and the demo generator use it too; it avoids
strftime's "%-d", which only glibc knows.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

__all__ = ["LONDON", "govuk_date", "govuk_datetime", "govuk_time"]

LONDON = ZoneInfo("Europe/London")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def in_london(value: datetime) -> datetime:
    """An aware datetime in UK time; a naive one is taken as UK time already (Django's
    convention for naive values with TIME_ZONE = Europe/London)."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value
    return value.astimezone(LONDON)


def govuk_date(value: date) -> str:
    """5 March 2026 (a datetime is first put in UK time)."""
    if isinstance(value, datetime):
        value = in_london(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def govuk_time(value: time) -> str:
    """2:30pm, 2pm, midday, midnight."""
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def govuk_datetime(value: date) -> str:
    """5 March 2026 at 2:30pm in UK time; a plain date -> 5 March 2026."""
    if not isinstance(value, datetime):
        return govuk_date(value)
    local = in_london(value)
    return f"{govuk_date(local)} at {govuk_time(local.time())}"

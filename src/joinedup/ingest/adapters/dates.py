"""Days in extract files (start and end dates): YYYY-MM-DD or DD/MM/YYYY, 1900 to 2199."""

from __future__ import annotations

from datetime import date

from joinedup.ingest.adapters.base import DATE_FORMATS, Problem

__all__ = ["day_or_problem"]

FIRST_YEAR, LAST_YEAR = 1900, 2199


def day_or_problem(column: str, value: str, *, required: bool) -> date | None | Problem:
    """The day a value names; None when blank (a Problem when `required`)."""
    text = value.strip()
    if not text:
        return Problem(column, "is blank: a date is needed") if required else None
    for match in (p.fullmatch(text) for p in DATE_FORMATS.values()):
        if match is None:
            continue
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return Problem(column, f"{text[:40]!r} is not a real date")
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            return Problem(column, f"{text!r} is outside {FIRST_YEAR}-{LAST_YEAR}")
        return day
    return Problem(column, f"{text[:40]!r} is not a date in the format YYYY-MM-DD or DD/MM/YYYY")

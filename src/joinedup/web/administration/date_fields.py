"""GOV.UK date inputs as three boxes (day, month, year) on a Django form, checked together:
a date that does not exist, a part missing or a year out of range is named, never a 500."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def date_parts_fields(prefix: str) -> dict[str, forms.CharField]:
    """The three boxes, to add to a form's fields as `<prefix>_day` and so on."""
    return {
        f"{prefix}_{part}": forms.CharField(
            required=False, max_length=4, error_messages={"max_length": "Too many digits"}
        )
        for part in ("day", "month", "year")
    }


def date_from_parts(
    form: forms.Form, prefix: str, label: str, *, required: bool = False
) -> date | None:
    """The date the boxes hold, or None; errors go on `<prefix>_day` (the group's anchor)."""
    data: dict[str, Any] = form.cleaned_data
    parts = [str(data.get(f"{prefix}_{p}") or "").strip() for p in ("day", "month", "year")]
    anchor = f"{prefix}_day"
    if not any(parts):
        if required:
            form.add_error(anchor, f"Enter the {label.lower()}")
        return None
    missing = [n for n, p in zip(("a day", "a month", "a year"), parts, strict=True) if not p]
    if missing:
        form.add_error(anchor, f"{label} must include {' and '.join(missing)}")
        return None
    if not all(p.isdigit() and p.isascii() for p in parts) or len(parts[2]) != 4:
        form.add_error(anchor, f"{label} must be a real date, for example 27 3 2026")
        return None
    year, month, day = int(parts[2]), int(parts[1]), int(parts[0])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        form.add_error(anchor, f"{label} must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return None
    try:
        return date(year, month, day)
    except ValueError:
        form.add_error(anchor, f"{label} must be a real date, for example 27 3 2026")
        return None

"""Template helpers for the import pages: `{% load imports %}`."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

_STATUS_TAGS = {
    "loaded": "govuk-tag--green",
    "failed": "govuk-tag--red",
    "already_imported": "govuk-tag--grey",
    "running": "govuk-tag--blue",
}


@register.filter
def thousands(value: Any) -> str:
    """12345 -> "12,345" (GOV.UK style: commas in numbers over 999)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def status_tag_class(status: str) -> str:
    """The GOV.UK tag colour for an import run's status."""
    return _STATUS_TAGS.get(str(status), "govuk-tag--grey")

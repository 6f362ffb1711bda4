"""`{% load needs %}`: the area's words for a level of need."""

from __future__ import annotations

from django import template

from joinedup.needs.selectors import area_vocabulary

register = template.Library()


@register.filter
def level_with_label(level: int | None) -> str:
    """3 -> "3: Targeted" (the area's label); blank -> "Not said"."""
    label = area_vocabulary().level_label(level)
    return f"{level}: {label}" if label else "Not said"

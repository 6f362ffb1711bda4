"""Small template helpers for the assessment pages and the child's panel."""

from __future__ import annotations

from typing import Any

from django import template

from joinedup.assessments.library import assessment_form, measure_instrument

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def form_title(form_id: str) -> str:
    form = assessment_form(form_id)
    return form.title if form else form_id


@register.filter
def instrument_title(instrument_id: str) -> str:
    instrument = measure_instrument(instrument_id)
    return instrument.title if instrument else instrument_id

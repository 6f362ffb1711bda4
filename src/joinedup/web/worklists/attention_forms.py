"""Query-string form: which "nobody gripping it" section and page."""

from __future__ import annotations

from django import forms

from joinedup.access.attention import SECTIONS

_SECTION_NAMES = ", ".join(SECTIONS)


class AttentionQueryForm(forms.Form):
    section = forms.ChoiceField(
        label="Section",
        choices=list(SECTIONS.items()),
        required=False,
        error_messages={
            "invalid_choice": "Section %(value)s does not exist: choose one of "
            + _SECTION_NAMES
            + "."
        },
    )
    page = forms.IntegerField(
        label="Page",
        required=False,
        min_value=1,
        max_value=100_000,
        error_messages={
            "invalid": "Page must be a whole number, like 2.",
            "min_value": "Page must be 1 or more.",
            "max_value": "Page must be 100,000 or less.",
        },
    )

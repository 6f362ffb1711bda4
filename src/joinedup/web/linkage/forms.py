"""A clerical reviewer's decision on a pair of records, and undoing a decision."""

from __future__ import annotations

from django import forms


class LinkReviewDecisionForm(forms.Form):
    """A clerical reviewer's decision on one pair of records."""

    outcome = forms.ChoiceField(
        label="Are these the same child?",
        widget=forms.RadioSelect,
        choices=[
            ("match", "Same child"),
            ("non_match", "Different children"),
            ("defer", "Cannot tell: leave for later"),
        ],
        error_messages={"required": "Select whether these are the same child"},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="What convinced you. This is recorded with your name and shown in the "
        "child's linkage history.",
        error_messages={"required": "Enter the reason for your decision"},
    )


class LinkDecisionUndoForm(forms.Form):
    reason = forms.CharField(
        label="Why are you undoing this decision?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the reason for undoing the decision"},
    )

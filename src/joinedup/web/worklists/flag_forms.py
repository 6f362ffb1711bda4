from __future__ import annotations

from django import forms

from joinedup.indicators.choices import DecisionKind
from joinedup.indicators.flag_decisions import REASON_MAX_LENGTH


class FlagDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=DecisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose no action, monitor, offer support or refer."},
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX_LENGTH,
        help_text="Why you decided this. It is recorded with your name, and other "
        "professionals with this child see it.",
        error_messages={"required": "Enter the reason for your decision."},
    )


class TriageDecisionForm(FlagDecisionForm):
    child_id = forms.CharField(widget=forms.HiddenInput, max_length=12)

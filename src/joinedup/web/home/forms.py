from __future__ import annotations

from django import forms

from joinedup.governance.models import Purpose


class PurposeForm(forms.Form):
    purpose = forms.ChoiceField(choices=Purpose.choices, label="Purpose")
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, allowed: tuple[str, ...], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["purpose"].choices = [(p, Purpose(p).label) for p in allowed]  # type: ignore[attr-defined]

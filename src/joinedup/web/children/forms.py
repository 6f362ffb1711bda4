"""The child search and emergency-access forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from joinedup.governance.models import Purpose


class ChildSearchForm(forms.Form):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=100,
        help_text="Given name, family name or both. Known-as names are searched too.",
    )
    dob_day = forms.IntegerField(label="Day", required=False, min_value=1, max_value=31)
    dob_month = forms.IntegerField(label="Month", required=False, min_value=1, max_value=12)
    dob_year = forms.IntegerField(label="Year", required=False, min_value=1990, max_value=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [data.get("dob_day"), data.get("dob_month"), data.get("dob_year")]
        data["date_of_birth"] = None
        if any(p is not None for p in parts):
            if not all(p is not None for p in parts):
                raise forms.ValidationError(
                    "Date of birth must include a day, month and year.", code="dob_incomplete"
                )
            try:
                data["date_of_birth"] = date(parts[2], parts[1], parts[0])  # type: ignore[arg-type]
            except ValueError as exc:
                raise forms.ValidationError(
                    "Date of birth must be a real date.", code="dob_invalid"
                ) from exc
        if not (data.get("name") or "").strip() and data["date_of_birth"] is None:
            raise forms.ValidationError("Enter a name or a date of birth to search.", code="empty")
        return data


class BreakGlassForm(forms.Form):
    child_id = forms.CharField(
        label="Child id",
        max_length=12,
        help_text="The joinedup id the other agency gave you, for example C-7Q2X9K4M.",
    )
    purpose = forms.ChoiceField(label="Purpose", choices=Purpose.choices)
    reason = forms.CharField(
        label="Why do you need to see this record now?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text="Your reason is recorded, and reviewed by information governance.",
    )

    def __init__(self, *args: Any, allowed: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(p, Purpose(p).label) for p in allowed]  # type: ignore[attr-defined]

    def clean_child_id(self) -> str:
        value = str(self.cleaned_data["child_id"]).strip().upper()
        if not value.startswith("C-") or len(value) != 10:
            raise forms.ValidationError("Enter a child id in the form C- then 8 characters.")
        return value

"""Query-string form: which period the referral report covers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms


class ReportPeriodForm(forms.Form):
    start = forms.DateField(
        label="From",
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text="The first day referrals were sent, as YYYY-MM-DD, for example 2025-12-01.",
        error_messages={"invalid": "From must be a real date as YYYY-MM-DD, like 2025-12-01."},
    )
    end = forms.DateField(
        label="To",
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text="The last day referrals were sent, as YYYY-MM-DD.",
        error_messages={"invalid": "To must be a real date as YYYY-MM-DD, like 2026-11-30."},
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if end and end > self.today:
            self.add_error("end", "To cannot be in the future.")
        if start and start > self.today:
            self.add_error("start", "From cannot be in the future.")
        elif start and end and start > end:
            self.add_error("start", "From must be on or before To.")
        return data

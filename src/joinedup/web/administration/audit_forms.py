"""The audit search's filters: each checked and named when wrong (an impossible date, a range
that ends before it starts, a child id of the wrong shape, a page past the last one allowed)."""

from __future__ import annotations

from typing import Any

from django import forms

from joinedup.governance.audit_search import ACTION_RE, CHILD_ID_RE, MAX_PAGE, AuditFilters
from joinedup.governance.models import AuditOutcome
from joinedup.web.administration.date_fields import date_from_parts, date_parts_fields
from joinedup.web.administration.forms import AdminForm, agency_choices, page_field, text_field


class AuditSearchForm(AdminForm):
    child_id = text_field(
        "Child id", max_length=20, required=False, help_text="For example, C-7Q2X9K4M"
    )
    staff = text_field(
        "Member of staff",
        max_length=150,
        required=False,
        help_text="Their username or email address, or part of their name",
    )
    agency = forms.TypedChoiceField(
        label="Their agency",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    action = text_field(
        "Action",
        max_length=80,
        required=False,
        help_text="For example, children.view; end with * for a family, like children.*",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=[("", "Any"), *AuditOutcome.choices],
        error_messages={"invalid_choice": "Select allowed, denied or any"},
    )
    page = page_field(MAX_PAGE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.TypedChoiceField)
        agency_field.choices = agency_choices(blank="Any", open_only=False)
        self.fields.update(date_parts_fields("from"))
        self.fields.update(date_parts_fields("to"))

    def clean_child_id(self) -> str:
        value = str(self.cleaned_data.get("child_id") or "").strip().upper()
        if value and not CHILD_ID_RE.match(value):
            raise forms.ValidationError(
                "Child id must be C- followed by 8 letters and digits, for example C-7Q2X9K4M"
            )
        return value

    def clean_action(self) -> str:
        value = str(self.cleaned_data.get("action") or "").strip().lower()
        if value and not ACTION_RE.match(value):
            raise forms.ValidationError(
                "Action must be words joined by dots, for example children.view or children.*"
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start = date_from_parts(self, "from", "Start date")
        end = date_from_parts(self, "to", "End date")
        if start and end and end < start:
            self.add_error("to_day", "End date must be the same as or after the start date")
        data["date_from"], data["date_to"] = start, end
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            child_id=data.get("child_id") or "",
            staff=(data.get("staff") or "").strip(),
            agency_id=data.get("agency"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            action=data.get("action") or "",
            outcome=data.get("outcome") or "",
        )

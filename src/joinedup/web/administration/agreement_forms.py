"""The sharing agreement form (a draft, all its fields) and the review form. Dates are GOV.UK
date inputs; the agreement's own rules (SharingAgreement.clean) are checked by the service and
put back on these fields."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

from django import forms

from joinedup.chronology.vocabulary import EventType
from joinedup.dates import LONDON
from joinedup.governance.models import Agency, Article6Basis, Purpose
from joinedup.web.administration.date_fields import date_from_parts, date_parts_fields
from joinedup.web.administration.forms import AdminForm, text_field

FIELD_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 40


class AgreementForm(AdminForm):
    code = forms.SlugField(
        label="Code",
        max_length=60,
        help_text="Lower-case letters, digits and hyphens, for example operation-encompass. "
        "It cannot be changed later.",
        error_messages={
            "required": "Enter the code",
            "invalid": "Code must be lower-case letters, digits and hyphens only",
            "max_length": "Code must be 60 characters or fewer",
        },
    )
    title = text_field("Title")
    parties = forms.TypedMultipleChoiceField(
        label="Parties",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every agency that shares under this agreement (two or more)",
        error_messages={"required": "Select the agencies party to the agreement"},
    )
    purposes = forms.MultipleChoiceField(
        label="Purposes",
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one purpose"},
    )
    article_6_basis = forms.ChoiceField(
        label="UK GDPR Article 6 lawful basis",
        choices=Article6Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the Article 6 lawful basis"},
    )
    article_9_condition = text_field(
        "Article 9 / DPA 2018 Schedule 1 condition",
        max_length=300,
        required=False,
        help_text="Required when health or criminal-offence data is shared, for example "
        "DPA 2018 Sch. 1 para 18 (safeguarding of children)",
    )
    event_types = forms.MultipleChoiceField(
        label="Event types shared",
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one event type"},
    )
    shared_fields = text_field(
        "Fields shared",
        max_length=600,
        required=False,
        help_text="Separated by commas: summary, payload, or named payload keys. "
        "Leave blank to share every field.",
    )
    retention = text_field("Retention", help_text="For example, until the child's 25th birthday")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = self.fields["parties"]
        assert isinstance(parties, forms.TypedMultipleChoiceField)
        parties.choices = [
            (a.pk, a.name) for a in Agency.objects.filter(ended_on__isnull=True).order_by("name")
        ]
        parties.error_messages["invalid_choice"] = "Select open agencies from the list"
        for prefix in ("starts", "review", "ends"):
            self.fields.update(date_parts_fields(prefix))

    def _field_names(self) -> list[str]:
        raw = str(self.cleaned_data.get("shared_fields") or "")
        names = [n.strip().lower() for n in raw.split(",") if n.strip()]
        return names

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        names = self._field_names()
        bad = [n for n in names if not FIELD_RE.match(n)]
        if bad:
            self.add_error(
                "shared_fields",
                f"Field names are lower-case letters, digits and underscores: {bad[0][:40]!r} "
                "is not one",
            )
        elif len(names) > MAX_FIELDS:
            self.add_error("shared_fields", f"List {MAX_FIELDS} fields or fewer")
        data["field_list"] = sorted(set(names))
        if data.get("parties") is not None and len(data["parties"]) < 2:
            self.add_error(
                "parties", "Select at least two agencies: an agreement is between parties"
            )
        starts = date_from_parts(self, "starts", "Start date", required=True)
        review = date_from_parts(self, "review", "Review date", required=True)
        ends = date_from_parts(self, "ends", "End date")
        if starts and ends and ends <= starts:
            self.add_error("ends_day", "End date must be after the start date")
        if starts and review and review <= starts:
            self.add_error("review_day", "Review date must be after the start date")
        # Sharing starts at the beginning of the start day and stops at the end of the end
        # day, UK time.
        data["starts_at"] = datetime.combine(starts, time.min, LONDON) if starts else None
        data["ends_at"] = (
            datetime.combine(ends + timedelta(days=1), time.min, LONDON) if ends else None
        )
        data["review_at"] = review
        return data

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments (call after is_valid())."""
        data = self.cleaned_data
        return {
            "party_ids": list(data["parties"]),
            "title": data["title"],
            "purposes": list(data["purposes"]),
            "article_6_basis": data["article_6_basis"],
            "article_9_condition": data.get("article_9_condition") or "",
            "event_types": list(data["event_types"]),
            "fields": data["field_list"],
            "retention": data["retention"],
            "starts_at": data["starts_at"],
            "review_at": data["review_at"],
            "ends_at": data["ends_at"],
        }


def agreement_initial(agreement: Any) -> dict[str, Any]:
    """An agreement's values as the form's initial data (for editing a draft)."""
    initial: dict[str, Any] = {
        "code": agreement.code,
        "title": agreement.title,
        "parties": [p.pk for p in agreement.parties.all()],
        "purposes": agreement.purposes,
        "article_6_basis": agreement.article_6_basis,
        "article_9_condition": agreement.article_9_condition,
        "event_types": agreement.event_types,
        "shared_fields": ", ".join(agreement.fields or []),
        "retention": agreement.retention,
    }
    starts = agreement.starts_at.astimezone(LONDON).date()
    ends = (
        (agreement.ends_at.astimezone(LONDON) - timedelta(days=1)).date()
        if agreement.ends_at
        else None
    )
    for prefix, day in (("starts", starts), ("review", agreement.review_at), ("ends", ends)):
        if day is not None:
            initial.update(
                {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}
            )
    return initial


class ReviewForm(AdminForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(date_parts_fields("review"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["review_at"] = date_from_parts(self, "review", "Next review date", required=True)
        return data

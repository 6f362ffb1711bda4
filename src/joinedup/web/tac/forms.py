"""Forms for the team-around-the-child pages. They only read what was typed; the rules (and
their messages) live in the services, whose errors `add_service_errors` puts on the fields."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from joinedup.tac.choices import ActionStatus

MEETING_ACTION_ROWS = 5


def _text(
    label: str, *, required: bool = False, rows: int = 0, max_length: int | None = 5000, **kw: Any
) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=widget, **kw
    )


def _date_part(label: str, width: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "class": f"govuk-date-input__input govuk-input--width-{width}",
            }
        ),
    )


def date_from_parts(data: Mapping[str, Any], prefix: str) -> tuple[date | None, bool]:
    """(the date, whether anything was typed)."""
    parts = [str(data.get(f"{prefix}_{p}") or "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return None, False
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0])), True
    except ValueError:
        return None, True


def add_service_errors(
    form: forms.Form, exc: ValidationError, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's errors on the form's fields (service key -> form field via `fields`,
    else the same name); an error for no field goes to the top of the error summary."""
    fields = fields or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for key, errors in exc.message_dict.items():
        name = fields.get(key, key)
        target = name if name in form.fields and not form.has_error(name) else None
        if name in form.fields and form.has_error(name):
            continue
        for message in errors:
            form.add_error(target, message)


class TacOpenForm(forms.Form):
    level = forms.TypedChoiceField(
        label="Level of need",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the child's level of need."},
    )
    lead = forms.ChoiceField(
        label="Lead professional",
        widget=forms.RadioSelect,
        choices=[("me", "I am the lead professional"), ("later", "The team will agree one")],
        initial="me",
        error_messages={"required": "Choose who is the lead professional."},
    )
    referral_reference = _text(
        "Referral it started from",
        max_length=20,
        help_text="For example R-7Q2X9K4M. Leave blank if the team did not start from a referral.",
    )

    def __init__(self, *args: Any, levels: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = levels  # type: ignore[attr-defined]


class MemberFindForm(forms.Form):
    """Step one of adding a member (a GET form): the agency, and part of a name to narrow a
    large agency's staff."""

    agency = forms.TypedChoiceField(
        label="Agency",
        coerce=int,
        error_messages={"required": "Choose the agency the new member works for."},
    )
    name = _text(
        "Name",
        max_length=100,
        help_text="Part of the worker's first or last name, to narrow a long list.",
    )

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "find_%s")  # not id_agency: the add form has one too
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "Choose an agency")] + [  # type: ignore[attr-defined]
            (a.pk, a.name) for a in agencies
        ]


class MemberAddForm(forms.Form):
    """Step two: a worker of the chosen agency (or none: the whole agency) and their role."""

    agency = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose the agency the new member works for."},
    )
    worker = forms.IntegerField(
        label="Worker",
        required=False,
        widget=forms.Select,
        help_text="Leave as “No named worker” to add the whole agency.",
    )
    role_in_team = _text("Role in the team", max_length=120, help_text="For example, school nurse.")

    def __init__(self, *args: Any, workers: list[Any], worker_exists: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker_exists = worker_exists
        self.fields["worker"].widget.choices = [("", "No named worker")] + [  # type: ignore[attr-defined]
            (w.pk, f"{w.display_name} ({w.get_role_display().lower()})") for w in workers
        ]

    def clean_worker(self) -> int | None:
        worker = self.cleaned_data.get("worker")
        if worker is not None and not self.worker_exists(worker):
            raise ValidationError(
                "Choose a member of staff who can work in a team around the child."
            )
        return worker


class LeadSetForm(forms.Form):
    worker = forms.TypedChoiceField(
        label="Who is the lead professional?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the lead professional."},
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [  # type: ignore[attr-defined]
            (m.worker_id, f"{m.worker.display_name} ({m.agency.name})") for m in members
        ]


class LevelChangeForm(forms.Form):
    to_level = forms.TypedChoiceField(
        label="New level of need",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new level of need."},
    )
    reason = _text("Why is the level changing?", rows=4)
    referral_reference = _text(
        "Referral",
        max_length=20,
        help_text="The referral this step up or down went through, for example R-7Q2X9K4M. "
        "A step up to the highest level links the child's referral to children's social care "
        "when you leave this blank.",
    )

    def __init__(self, *args: Any, levels: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_level"].choices = levels  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    reason = _text("Why is the team closing?", rows=4)


class ActionUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        widget=forms.RadioSelect,
        choices=ActionStatus.choices,
        error_messages={"required": "Choose open, done or cancelled."},
    )
    note = _text(
        "Note", rows=3, help_text="What happened. Needed when the action is done or cancelled."
    )


class MeetingForm(forms.Form):
    held_on_day = _date_part("Day", 2)
    held_on_month = _date_part("Month", 2)
    held_on_year = _date_part("Year", 4)
    attendees = forms.TypedMultipleChoiceField(
        label="Who attended?",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Members of the team. Name anyone else below.",
    )
    # Lengths and every other rule are the service's (it reports all problems at once).
    others_present = _text(
        "Others present", max_length=None, help_text="For example: Mum; the young person."
    )
    child_attended = forms.BooleanField(label="The child or young person attended", required=False)
    child_views = _text(
        "The child's views, in their own words",
        rows=4,
        max_length=None,
        help_text="Write what they said as they said it.",
    )
    notes = _text("Notes", rows=4, max_length=None)
    decisions = _text("Decisions", rows=4, max_length=None, help_text="What the meeting agreed.")

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [  # type: ignore[attr-defined]
            (m.worker_id, f"{m.worker.display_name} ({m.agency.name})") for m in members
        ]
        owners = [("", "Choose an owner")] + [(m.worker_id, m.worker.display_name) for m in members]
        for i in range(MEETING_ACTION_ROWS):
            self.fields[f"action_{i}_description"] = _text("Action", max_length=None)
            self.fields[f"action_{i}_owner"] = forms.ChoiceField(
                label="Owner", required=False, choices=owners
            )
            self.fields[f"action_{i}_due_day"] = _date_part("Day", 2)
            self.fields[f"action_{i}_due_month"] = _date_part("Month", 2)
            self.fields[f"action_{i}_due_year"] = _date_part("Year", 4)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        held_on, typed = date_from_parts(self.data, "held_on")
        if typed and held_on is None:
            self.add_error("held_on_day", "The date of the meeting must be a real date.")
        return data

    def action_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "n": i + 1,
                "description": self[f"action_{i}_description"],
                "owner": self[f"action_{i}_owner"],
                "day": self[f"action_{i}_due_day"],
                "month": self[f"action_{i}_due_month"],
                "year": self[f"action_{i}_due_year"],
            }
            for i in range(MEETING_ACTION_ROWS)
        ]

    def service_arguments(self) -> dict[str, Any]:
        """What the service takes. Blank action rows are left out."""
        data = self.data
        held_on, _ = date_from_parts(data, "held_on")
        actions = []
        for i in range(MEETING_ACTION_ROWS):
            due_on, due_typed = date_from_parts(data, f"action_{i}_due")
            description = str(data.get(f"action_{i}_description") or "")
            owner = str(data.get(f"action_{i}_owner") or "")
            if description.strip() or owner or due_typed:
                actions.append(
                    {"row": i + 1, "description": description, "owner_id": owner, "due_on": due_on}
                )
        getlist = getattr(data, "getlist", None)
        attendees = getlist("attendees") if getlist else list(data.get("attendees") or [])
        return {
            "held_on": held_on,
            "attendee_ids": attendees,
            "others_present": str(data.get("others_present") or ""),
            "child_attended": str(data.get("child_attended") or "") in {"on", "true", "1"},
            "child_views": str(data.get("child_views") or ""),
            "notes": str(data.get("notes") or ""),
            "decisions": str(data.get("decisions") or ""),
            "actions": actions,
        }

    def service_fields(self) -> dict[str, str]:
        """Service error keys -> the field each error is shown on."""
        names = {"held_on": "held_on_day", "attendee_ids": "attendees"}
        index = 0
        for i in range(MEETING_ACTION_ROWS):
            data = self.data
            if any(
                str(data.get(f"action_{i}_{part}") or "").strip()
                for part in ("description", "owner", "due_day", "due_month", "due_year")
            ):
                names[f"actions[{index}].description"] = f"action_{i}_description"
                names[f"actions[{index}].owner_id"] = f"action_{i}_owner"
                names[f"actions[{index}].due_on"] = f"action_{i}_due_day"
                index += 1
        return names

"""Forms of the administration pages: agencies, teams, staff. Messages say what to do (GOV.UK
patterns); the services check again and their refusals are put back on these fields."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms

from joinedup.governance.models import Agency, AgencyType, Role, Team

TEXT_MAX = 200
STATUS_CHOICES = [("", "Any"), ("active", "Active"), ("ended", "Ended")]
STAFF_STATUS_CHOICES = [("", "Any"), ("active", "Active"), ("disabled", "Disabled")]
STAFF_PAGE_SIZE = 50
STAFF_MAX_PAGE = 1000


def _has_control(value: str) -> bool:
    return any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} for ch in value)


class AdminForm(forms.Form):
    """Every text box: one line of printable text, of a sensible length."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name, value in list(data.items()):
            if isinstance(value, str) and _has_control(value):
                self.add_error(
                    name, f"{self.fields[name].label} must not contain control characters"
                )
        return data


def text_field(label: str, *, max_length: int = TEXT_MAX, required: bool = True, **kw: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kw,
    )


def page_field(maximum: int) -> Any:
    message = f"Page must be a whole number from 1 to {maximum}"
    return forms.IntegerField(
        required=False,
        min_value=1,
        max_value=maximum,
        widget=forms.HiddenInput,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


def agency_choices(*, blank: str = "", open_only: bool = True) -> list[tuple[Any, str]]:
    agencies = Agency.objects.order_by("name")
    if open_only:
        agencies = agencies.filter(ended_on__isnull=True)
    return [("", blank)] + [(a.pk, a.name) for a in agencies]


def team_choices(teams: Any) -> list[tuple[Any, Any]]:
    """Teams grouped under their agency (optgroups), with "No team" first."""
    grouped: dict[str, list[tuple[int, str]]] = {}
    for team in teams:
        grouped.setdefault(team.agency.name, []).append((team.pk, team.name))
    return [("", "No team")] + list(grouped.items())


# ------------------------------------------------------------------------------- agencies


class AgencyFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show", choices=STATUS_CHOICES, required=False, widget=forms.Select
    )


class AgencyChangeForm(AdminForm):
    name = text_field("Name")
    urn = text_field(
        "School URN", max_length=10, required=False, help_text="Schools only: 6 or 7 digits"
    )
    ods_code = text_field(
        "NHS ODS code",
        max_length=10,
        required=False,
        help_text="Health agencies only: 3 to 10 letters and digits, for example RX1",
    )


class AgencyForm(AgencyChangeForm):
    agency_type = forms.ChoiceField(
        label="Type of agency",
        choices=AgencyType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of agency"},
    )
    code = text_field(
        "Code",
        max_length=40,
        help_text="How extracts and the area file name it: lower-case letters, digits and "
        "hyphens, for example moor-school. It cannot be changed later.",
    )
    field_order = ["agency_type", "name", "code", "urn", "ods_code"]


# ---------------------------------------------------------------------------------- teams


class TeamRenameForm(AdminForm):
    name = text_field("Team name")


class TeamForm(TeamRenameForm):
    code = text_field(
        "Code",
        max_length=60,
        help_text="Lower-case letters, digits and hyphens, unique in the agency, for example mash",
    )


# ---------------------------------------------------------------------------------- staff


class StaffSearchForm(AdminForm):
    q = text_field("Name, username, email or staff number", max_length=100, required=False)
    agency = forms.TypedChoiceField(label="Agency", required=False, coerce=int, empty_value=None)
    role = forms.ChoiceField(label="Role", required=False, choices=[("", "Any"), *Role.choices])
    status = forms.ChoiceField(label="Status", required=False, choices=STAFF_STATUS_CHOICES)
    page = page_field(STAFF_MAX_PAGE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.TypedChoiceField)
        agency_field.choices = agency_choices(blank="Any", open_only=False)
        agency_field.error_messages["invalid_choice"] = "Select an agency from the list"


class StaffMoveForm(AdminForm):
    agency = forms.TypedChoiceField(
        label="Agency",
        coerce=int,
        empty_value=None,
        error_messages={
            "required": "Select the agency they work for",
            "invalid_choice": "Select an open agency from the list",
        },
    )
    team = forms.TypedChoiceField(
        label="Team",
        coerce=int,
        empty_value=None,
        required=False,
        help_text="It must be a team of the agency chosen above",
        error_messages={"invalid_choice": "Select an open team from the list, or no team"},
    )

    def __init__(self, *args: Any, teams: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        team_field = self.fields["team"]
        assert isinstance(agency_field, forms.TypedChoiceField)
        assert isinstance(team_field, forms.TypedChoiceField)
        agency_field.choices = agency_choices(blank="Select an agency")
        team_field.choices = team_choices(teams)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        agency_id, team_id = data.get("agency"), data.get("team")
        if agency_id and team_id:
            team = Team.objects.filter(pk=team_id).first()
            if team is not None and team.agency_id != agency_id:
                self.add_error("team", f"{team.name} is not a team of the agency chosen")
        return data


class StaffRoleForm(AdminForm):
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Select a role"), *Role.choices],
        error_messages={"required": "Select their role"},
    )


class StaffForm(StaffMoveForm):
    given_name = text_field("Given name", max_length=150)
    family_name = text_field("Family name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    username = text_field(
        "Username",
        max_length=150,
        required=False,
        help_text="Leave blank to use the email address",
    )
    role = StaffRoleForm.base_fields["role"]
    staff_number = text_field(
        "Staff number", max_length=40, required=False, help_text="Their employer's id for them"
    )
    field_order = [
        "given_name",
        "family_name",
        "email",
        "username",
        "agency",
        "team",
        "role",
        "staff_number",
    ]

"""The referral form and the forms for each action on a referral.

The form checks what it can say clearly field by field (a real date of birth, a valid NHS
number or UPN, a team of the chosen agency). Sending also checks completeness here, so every
missing answer is shown at once; `referrals.services` checks again and its field errors are
mapped back onto these fields (`service_errors_apply`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from joinedup.governance.models import Agency, StaffUser, Team
from joinedup.linkage.identifiers import InvalidIdentifier, check_nhs_number, check_upn
from joinedup.needs.vocabulary import Vocabulary
from joinedup.referrals.choices import Consent, SharingBasis
from joinedup.web.referrals.action_forms import service_label

SEX_CHOICES = [("F", "Female"), ("M", "Male"), ("U", "Not known")]
TEXT_MAX = 5000

# A service's field name (or error key) -> this form's field.
SERVICE_FIELDS = {
    "to_agency_id": "to_agency",
    "to_team_id": "to_team",
    "to_service_id": "to_service",
    "attachment_refs": "attachments",
    "worker_id": "worker",
    "alternative_service_id": "alternative_service",
}


class DayMonthYearWidget(forms.MultiWidget):
    """Three text boxes: day, month, year (rendered by includes/date_input.html)."""

    def __init__(self) -> None:
        super().__init__(widgets=[forms.TextInput, forms.TextInput, forms.TextInput])

    def decompress(self, value: date | None) -> list[int | None]:
        return [value.day, value.month, value.year] if value else [None, None, None]


class DateOfBirthField(forms.MultiValueField):
    """A GOV.UK date input: day, month and year, each a box; all three or none."""

    widget = DayMonthYearWidget

    def __init__(self, **kwargs: Any) -> None:
        parts = (forms.CharField(required=False),) * 3
        super().__init__(fields=parts, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list: list[Any]) -> date | None:
        parts = [str(p or "").strip() for p in (data_list or [])]
        if not any(parts):
            return None
        names = ("a day", "a month", "a year")
        missing = [n for n, p in zip(names, parts, strict=True) if not p]
        if missing:
            raise ValidationError(f"Date of birth must include {' and '.join(missing)}.")
        if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
            raise ValidationError("Date of birth must be a real date, for example 27 3 2012.")
        try:
            value = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError as exc:
            raise ValidationError(
                "Date of birth must be a real date, for example 27 3 2012."
            ) from exc
        if value > date.today():
            raise ValidationError("Date of birth must be today or in the past.")
        if value.year < 1990:
            raise ValidationError("Date of birth must be after 1990.")
        return value


def _text(label: str, *, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ChildDetailsForm(forms.Form):
    """Section 1: the child, as the sender knows them. Also read alone by the live match."""

    given_name = forms.CharField(label="Given name", required=False, max_length=100)
    family_name = forms.CharField(label="Family name", required=False, max_length=100)
    date_of_birth = DateOfBirthField(label="Date of birth", help_text="For example, 27 3 2012")
    sex = forms.ChoiceField(
        label="Sex", required=False, choices=SEX_CHOICES, widget=forms.RadioSelect
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    address = forms.CharField(label="Address", required=False, max_length=300)
    nhs_number = forms.CharField(
        label="NHS number", required=False, max_length=20, help_text="10 digits"
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)", required=False, max_length=20, help_text="13 characters"
    )
    child_id = forms.CharField(
        label="Is this the child?", required=False, max_length=12, widget=forms.RadioSelect
    )

    def clean_nhs_number(self) -> str:
        return _identifier(self.cleaned_data["nhs_number"], check_nhs_number)

    def clean_upn(self) -> str:
        return _identifier(self.cleaned_data["upn"], check_upn)

    def clean_postcode(self) -> str:
        return " ".join(str(self.cleaned_data["postcode"]).upper().split())

    def clean_child_id(self) -> str:
        return str(self.cleaned_data["child_id"]).strip().upper()

    def match_person(self) -> dict[str, str]:
        """The valid details, as `child_match` takes them (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        person = {
            name: str(data[name]).strip()
            for name in ("given_name", "family_name", "sex", "postcode", "nhs_number", "upn")
            if data.get(name)
        }
        if data.get("date_of_birth"):
            person["date_of_birth"] = data["date_of_birth"].isoformat()
        return person


class ReferralForm(ChildDetailsForm):
    # Section 2: where to.
    to_agency = forms.TypedChoiceField(label="Agency", required=False, coerce=int, empty_value=None)
    to_team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    to_service = forms.TypedChoiceField(
        label="Or a service from the directory", required=False, coerce=int, empty_value=None
    )
    # Section 3: the need, in the shared language and in the sender's words.
    level = forms.TypedChoiceField(
        label="Level of need",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    sender_term = forms.ChoiceField(label="In your words", required=False)
    sender_words = forms.CharField(
        label="Or describe the level in your own words", required=False, max_length=120
    )
    needs = forms.MultipleChoiceField(
        label="Needs", required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = _text("Why are you making this referral?", rows=6)
    what_tried = _text("What has been tried so far?")
    child_views = _text("The child's views", help_text="In the child's own words if you can.")
    family_views = _text("The family's views")
    # Section 4: consent, or the lawful basis for sharing without it.
    consent = forms.ChoiceField(
        label="Has the family consented to this referral?",
        required=False,
        choices=Consent.choices,
        widget=forms.RadioSelect,
    )
    sharing_basis = forms.ChoiceField(
        label="Lawful basis for sharing without consent",
        required=False,
        choices=SharingBasis.choices,
        widget=forms.RadioSelect,
    )
    sharing_reason = _text(
        "Why are you sharing without consent?",
        help_text="Record your reason, as the information-sharing guidance asks.",
    )
    # Section 5: completed assessments of the chosen child.
    attachments = forms.MultipleChoiceField(
        label="Assessments to attach", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        vocabulary: Vocabulary,
        sender: StaffUser,
        services: list[Any] = (),  # type: ignore[assignment]
        attachable: list[Any] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.vocabulary = vocabulary
        self.fields["to_agency"].choices = [("", "Choose an agency")] + [  # type: ignore[attr-defined]
            (a.pk, a.name) for a in Agency.objects.order_by("name")
        ]
        by_agency: dict[str, list[tuple[int, str]]] = {}
        for team in Team.objects.select_related("agency").order_by("agency__name", "name"):
            by_agency.setdefault(team.agency.name, []).append((team.pk, team.name))
        self.fields["to_team"].choices = [("", "Any team")] + list(by_agency.items())  # type: ignore[attr-defined]
        self.services = {hit.service.pk: hit for hit in services if hit.receives_referrals}
        self.fields["to_service"].choices = [("", "No service chosen")] + [  # type: ignore[attr-defined]
            (pk, service_label(hit)) for pk, hit in self.services.items()
        ]
        self.fields["level"].choices = [(lv.level, lv.label) for lv in vocabulary.levels]  # type: ignore[attr-defined]
        self.sender_terms = (
            vocabulary.terms_for(
                agency_code=sender.agency.code, agency_type=sender.agency.agency_type
            )
            if sender.agency is not None
            else []
        )
        self.fields["sender_term"].choices = [("", "Choose your agency's term")] + [  # type: ignore[attr-defined]
            (t.term, f"{t.term} ({vocabulary.level_label(t.level)})") for t in self.sender_terms
        ]
        self.fields["needs"].choices = [(n.code, n.label) for n in vocabulary.needs]  # type: ignore[attr-defined]
        self.attachable = list(attachable)
        self.fields["attachments"].choices = [  # type: ignore[attr-defined]
            (a.reference, f"{a.reference}: {a.form}") for a in self.attachable
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team_id, agency_id = data.get("to_team"), data.get("to_agency")
        if team_id is not None:
            team = Team.objects.filter(pk=team_id).first()
            if team is not None and agency_id is not None and team.agency_id != agency_id:
                self.add_error("to_team", "Choose a team of the agency you chose, or no team.")
            elif team is not None:
                data["to_agency"] = team.agency_id
        service = self.services.get(data.get("to_service") or 0)
        if service is not None and data.get("to_agency") is None:
            data["to_agency"] = service.service.agency_id
        if data.get("to_agency") is None:
            self.add_error("to_agency", "Choose the agency, team or service you are referring to.")
        # The sender's words: their own wording wins over the list; the level follows a
        # mapped term when the sender chose no level.
        words = (data.get("sender_words") or "").strip() or data.get("sender_term") or ""
        data["sender_term"] = words
        if data.get("level") is None and words and self.sender_terms:
            data["level"] = next(
                (t.level for t in self.sender_terms if t.term.casefold() == words.casefold()), None
            )
        if data.get("consent") == Consent.GIVEN:
            data["sharing_basis"], data["sharing_reason"] = "", ""
        return data

    def _missing(self, field: str, message: str) -> None:
        if field not in self.errors:  # a field's own error says more
            self.add_error(field, message)

    def check_complete(self) -> None:
        """Sending needs everything the receiving team acts on; say every gap at once."""
        data = self.cleaned_data
        has_identifier = data.get("nhs_number") or data.get("upn")
        if not has_identifier:
            if not data.get("given_name"):
                self._missing("given_name", "Enter the child's given name, or an identifier.")
            if not data.get("family_name"):
                self._missing("family_name", "Enter the child's family name, or an identifier.")
            if data.get("date_of_birth") is None:
                self._missing(
                    "date_of_birth", "Enter the child's date of birth, or an NHS number or UPN."
                )
        if data.get("level") is None:
            self._missing("level", "Choose the level of need.")
        if not data.get("needs"):
            self._missing("needs", "Choose at least one need.")
        if not (data.get("reason") or "").strip():
            self._missing("reason", "Enter why you are making this referral.")
        consent = data.get("consent")
        if not consent:
            self._missing("consent", "Say whether the family has consented.")
        elif consent != Consent.GIVEN:
            if not data.get("sharing_basis"):
                self._missing(
                    "sharing_basis", "Choose the lawful basis for sharing without consent."
                )
            if not (data.get("sharing_reason") or "").strip():
                self._missing("sharing_reason", "Enter why you are sharing without consent.")

    def service_kwargs(self) -> dict[str, Any]:
        """The fields as `referral_create` / `referral_update` take them."""
        d = self.cleaned_data
        return {
            "details": {
                "given_name": d.get("given_name", ""),
                "family_name": d.get("family_name", ""),
                "date_of_birth": d.get("date_of_birth"),
                "sex": d.get("sex", ""),
                "postcode": d.get("postcode", ""),
                "address": d.get("address", ""),
                "nhs_number": d.get("nhs_number", ""),
                "upn": d.get("upn", ""),
            },
            "child_id": d.get("child_id", ""),
            "to_agency_id": d.get("to_agency"),
            "to_team_id": d.get("to_team"),
            "to_service_id": d.get("to_service"),
            "level": d.get("level"),
            "sender_term": d.get("sender_term", ""),
            "needs": list(d.get("needs") or []),
            "reason": d.get("reason", ""),
            "what_tried": d.get("what_tried", ""),
            "child_views": d.get("child_views", ""),
            "family_views": d.get("family_views", ""),
            "consent": d.get("consent", ""),
            "sharing_basis": d.get("sharing_basis", ""),
            "sharing_reason": d.get("sharing_reason", ""),
            "attachment_refs": list(d.get("attachments") or []),
        }

    def needs_grouped(self) -> list[dict[str, Any]]:
        """Needs by scheme, then group, for the checkboxes: [{scheme, label, groups: [...]}]."""
        chosen = set(self["needs"].value() or [])
        schemes: dict[str, dict[str, Any]] = {}
        for need in self.vocabulary.needs:
            scheme = schemes.setdefault(
                need.scheme,
                {"id": need.scheme, "label": self.vocabulary.schemes[need.scheme], "groups": {}},
            )
            scheme["groups"].setdefault(need.group or "Other", []).append(
                {"code": need.code, "label": need.label, "checked": need.code in chosen}
            )
        out = []
        for scheme in schemes.values():
            groups = [{"label": k, "needs": v} for k, v in scheme["groups"].items()]
            count = sum(n["checked"] for g in groups for n in g["needs"])
            out.append({**scheme, "groups": groups, "chosen": count})
        return out


def _identifier(raw: str, check: Any) -> str:
    raw = str(raw or "").strip()
    if not raw:
        return ""
    try:
        return str(check(raw).value)
    except InvalidIdentifier as exc:
        raise ValidationError(str(exc)) from exc


def referral_initial(referral: Any) -> dict[str, Any]:
    """A draft's saved answers as the form's initial data."""
    dob = referral.date_of_birth
    fields = [
        "given_name",
        "family_name",
        "sex",
        "postcode",
        "address",
        "nhs_number",
        "upn",
        "level",
        "reason",
        "what_tried",
        "child_views",
        "family_views",
        "consent",
        "sharing_basis",
        "sharing_reason",
    ]
    initial: dict[str, Any] = {name: getattr(referral, name) for name in fields}
    initial.update(
        date_of_birth=[dob.day, dob.month, dob.year] if dob else None,
        child_id=referral.child.child_id if referral.child_id else "",
        to_agency=referral.to_agency_id,
        to_team=referral.to_team_id,
        to_service=referral.to_service_id,
        sender_words=referral.sender_term,
        needs=list(referral.needs or []),
        attachments=[a.reference for a in referral.attachments.all()],
    )
    return initial


def service_errors_apply(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: each field's message on its field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.message_dict.items():
        field = SERVICE_FIELDS.get(key, key)
        if field in form.fields:
            form.add_error(field, errors)
        else:
            form.add_error(None, errors if key == "__all__" else [f"{e}" for e in errors])

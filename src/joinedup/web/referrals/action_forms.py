"""The forms for each action on a referral, the list's status filter, and the banner each
successful action shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms

from joinedup.access.policy import Action, role_allows
from joinedup.governance.models import StaffUser
from joinedup.referrals.choices import ReferralOutcome
from joinedup.web.templatetags.govuk import govuk_date

TEXT_MAX = 5000


def _note(label: str, *, required: bool = False, message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": message} if message else {},
    )


def service_label(hit: Any) -> str:
    """A directory service as an option: its name, organisation, and whether it is stale."""
    label = f"{hit.service.name} ({hit.organisation_name})"
    return f"{label}: not reviewed for over 12 months" if hit.is_stale else label


class SendForm(forms.Form):
    pass


class AcknowledgeForm(forms.Form):
    note = _note("Note")


class AcceptForm(forms.Form):
    note = _note("Note")
    worker = forms.TypedChoiceField(
        label="Allocate a worker", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, referral: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = StaffUser.objects.filter(is_active=True, agency_id=referral.to_agency_id)
        if referral.to_team_id:
            staff = staff.filter(team_id=referral.to_team_id)
        self.fields["worker"].choices = [("", "Allocate later")] + [  # type: ignore[attr-defined]
            (s.pk, s.display_name)
            for s in staff.order_by("last_name", "first_name")
            if role_allows(s.role, Action.RECEIVE_REFERRALS)
        ]


class DeclineForm(forms.Form):
    reason = _note("Why are you declining?", required=True, message="Enter why you are declining.")
    alternative = _note(
        "Suggested alternative",
        required=True,
        message="Enter the alternative you suggest, so the child is not left without help.",
    )
    alternative_service = forms.TypedChoiceField(
        label="A service from the directory", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, services: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alternative_service"].choices = [("", "No service chosen")] + [  # type: ignore[attr-defined]
            (hit.service.pk, service_label(hit)) for hit in services
        ]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose the outcome"), *ReferralOutcome.choices],
        error_messages={"required": "Choose the outcome."},
    )
    note = _note("Note about the outcome", required=True, message="Enter a note about the outcome.")


class AlternativeTakenUpForm(forms.Form):
    note = _note(
        "What was taken up?",
        required=True,
        message="Enter what the family took up, or the new referral made.",
    )


# URL verb -> form. The URL uses hyphens; the access layer's actions use underscores.
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "send": SendForm,
    "acknowledge": AcknowledgeForm,
    "accept": AcceptForm,
    "decline": DeclineForm,
    "close": CloseForm,
    "alternative-taken-up": AlternativeTakenUpForm,
}


def action_form(
    verb: str,
    referral: Any,
    data: Any = None,
    *,
    services: list[Any] = (),  # type: ignore[assignment]
) -> forms.Form:
    """The form for `verb` on this referral; its fields are prefixed with the verb so several
    can share one page."""
    kwargs: dict[str, Any] = {"prefix": verb}
    if verb == "accept":
        kwargs["referral"] = referral
    elif verb == "decline":
        kwargs["services"] = list(services)
    return ACTION_FORMS[verb](data, **kwargs)


def _outcome(referral: Any) -> str:
    return ReferralOutcome(referral.outcome).label if referral.outcome else "closed"


SUCCESS: dict[str, Callable[[Any], str]] = {
    "draft": lambda r: f"Draft referral {r.reference} saved. It has not been sent.",
    "send": lambda r: (
        f"Referral {r.reference} sent to {r.to_agency.name}. They should "
        f"acknowledge it by {govuk_date(r.acknowledge_by)}."
    ),
    "acknowledge": lambda r: f"Referral {r.reference} acknowledged.",
    "accept": lambda r: (
        f"Referral {r.reference} accepted. Your team is now involved with the child."
    ),
    "decline": lambda r: (
        f"Referral {r.reference} declined. The sender has been told why, "
        "with your suggested alternative."
    ),
    "close": lambda r: f"Referral {r.reference} closed: {_outcome(r)}.",
    "alternative-taken-up": lambda r: (
        f"Recorded that the alternative to referral {r.reference} was taken up."
    ),
}


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "All statuses"), *statuses]  # type: ignore[attr-defined]

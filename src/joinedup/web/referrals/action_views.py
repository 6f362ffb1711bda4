"""POST one action on a referral: send, acknowledge, accept, decline, close, or record that
a declined referral's alternative was taken up. Each calls the referral service; a refusal
(the status, or the viewer's side of the referral) is shown on the referral's page as an
error summary with the service's message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from joinedup.access.referrals import access_referral_by_id
from joinedup.governance.models import StaffUser
from joinedup.referrals import services
from joinedup.referrals.errors import ReferralNotFound
from joinedup.web.context import current_purpose, staff
from joinedup.web.referrals.action_forms import ACTION_FORMS, SUCCESS, action_form
from joinedup.web.referrals.forms import service_errors_apply
from joinedup.web.referrals.views import detail_response, directory_services


def _text(data: dict[str, Any], name: str) -> str:
    return str(data.get(name) or "")


def action_perform(
    verb: str, *, actor: StaffUser, purpose: str, reference: str, data: dict[str, Any]
) -> Any:
    """Call the service for `verb` with the form's answers."""
    common: dict[str, Any] = {"actor": actor, "purpose": purpose, "reference": reference}
    if verb == "send":
        return services.referral_send(**common)
    if verb == "acknowledge":
        return services.referral_acknowledge(**common, note=_text(data, "note"))
    if verb == "accept":
        return services.referral_accept(
            **common, note=_text(data, "note"), worker_id=data.get("worker") or None
        )
    if verb == "decline":
        return services.referral_decline(
            **common,
            reason=_text(data, "reason"),
            alternative=_text(data, "alternative"),
            alternative_service_id=data.get("alternative_service") or None,
        )
    if verb == "close":
        return services.referral_close(
            **common, outcome=_text(data, "outcome"), note=_text(data, "note")
        )
    return services.referral_alternative_taken_up(**common, note=_text(data, "note"))


@require_POST
def referral_action(request: HttpRequest, reference: str, verb: str) -> HttpResponse:
    if verb not in ACTION_FORMS:
        raise ReferralNotFound()
    viewer = staff(request)
    purpose = current_purpose(request)
    access = access_referral_by_id(viewer, reference, purpose=purpose)
    services_ = directory_services(viewer) if verb == "decline" else []
    form = action_form(verb, access.referral, request.POST, services=services_)
    # A verb the viewer may not do now still goes to the service, so that its refusal says
    # exactly why (the status, or the viewer's side), rather than the form's complaints.
    allowed = verb.replace("-", "_") in access.actions
    valid = form.is_valid()
    if valid or not allowed:
        data = form.cleaned_data if valid else {}
        try:
            referral = action_perform(
                verb, actor=viewer, purpose=purpose, reference=reference, data=data
            )
        except ValidationError as exc:
            if not allowed:
                form.errors.clear()  # the refusal is the whole story
            service_errors_apply(form, exc)
        else:
            messages.success(request, SUCCESS[verb](referral))
            return redirect("referral-detail", reference=reference)
    return detail_response(request, access, bound=(verb, form))

"""The referrals pages: thin views over the access layer and the referral services.

A referral the viewer may not open and one that does not exist give the same 404
(`access_referral_by_id`); a change the referral's status does not allow is shown as an error
summary with the service's message, never a server error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from joinedup.access.assessments import assessments_attachable
from joinedup.access.policy import Action, role_allows
from joinedup.access.referrals import (
    ReferralAccess,
    access_referral_by_id,
    referral_child_id_for,
    referral_list,
)
from joinedup.access.writes import writes_together
from joinedup.directory.selectors import service_search
from joinedup.governance.models import StaffUser
from joinedup.needs.selectors import area_vocabulary
from joinedup.referrals import services
from joinedup.referrals.choices import Consent, ReferralStatus, SharingBasis
from joinedup.web.context import current_purpose, page_context, staff
from joinedup.web.referrals.action_forms import ACTION_FORMS, SUCCESS, StatusFilterForm, action_form
from joinedup.web.referrals.forms import (
    ReferralForm,
    referral_initial,
    service_errors_apply,
)
from joinedup.web.referrals.match_views import match_panel, may_refer

PAGE_SIZE = 50
LIVE = {ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED, ReferralStatus.ACCEPTED}


def _boxes(viewer: StaffUser) -> dict[str, str]:
    boxes = {}
    if role_allows(viewer.role, Action.RECEIVE_REFERRALS):
        boxes["received"] = "Received"
    if role_allows(viewer.role, Action.MAKE_REFERRALS):
        boxes["sent"] = "Sent"
    return boxes


def directory_services(viewer: StaffUser) -> list[Any]:
    """Active directory services that take referrals through joinedup."""
    return [hit for hit in service_search(viewer=viewer, limit=500) if hit.receives_referrals]


def attachable_for(viewer: StaffUser, purpose: str, child_id: str) -> list[Any]:
    """Completed assessments of the chosen child the sender may attach ([] with no child)."""
    if not child_id:
        return []
    return assessments_attachable(viewer=viewer, purpose=purpose, child_id=child_id.strip())


def referral_list_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    boxes = _boxes(viewer)
    if not boxes:
        raise Http404()
    box = request.GET.get("box", "")
    box = box if box in boxes else next(iter(boxes))
    statuses = [
        (s.value, s.label)
        for s in ReferralStatus
        if not (box == "received" and s == ReferralStatus.DRAFT)
    ]
    filters = StatusFilterForm(request.GET or None, statuses=statuses)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    found = referral_list(
        viewer=viewer,
        purpose=current_purpose(request),
        box=box,
        statuses=[status] if status else None,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
    )
    vocabulary = area_vocabulary()
    today = timezone.localdate()
    rows = [
        {
            "referral": r,
            "level_label": vocabulary.level_label(r.level),
            "overdue": r.status == ReferralStatus.SENT
            and r.acknowledge_by is not None
            and r.acknowledge_by < today,
        }
        for r in found[:PAGE_SIZE]
    ]
    query = f"box={box}" + (f"&status={status}" if status else "")
    return render(
        request,
        "referrals/list.html",
        page_context(
            request,
            "referrals",
            boxes=boxes,
            box=box,
            filters=filters,
            status=status,
            rows=rows,
            page=page,
            previous_url=f"?{query}&page={page - 1}" if page > 1 else "",
            next_url=f"?{query}&page={page + 1}" if len(found) > PAGE_SIZE else "",
            may_refer=may_refer(viewer),
        ),
    )


def _form(request: HttpRequest, data: Any = None, **kwargs: Any) -> ReferralForm:
    viewer = staff(request)
    purpose = current_purpose(request)
    chosen = (data or {}).get("child_id") or (kwargs.get("initial") or {}).get("child_id", "")
    return ReferralForm(
        data,
        vocabulary=area_vocabulary(),
        sender=viewer,
        services=directory_services(viewer),
        attachable=attachable_for(viewer, purpose, chosen),
        **kwargs,
    )


def _form_page(
    request: HttpRequest, form: ReferralForm, referral: Any = None, status: int = 200
) -> HttpResponse:
    viewer = staff(request)
    form.is_bound and form.is_valid()
    panel = match_panel(
        viewer=viewer,
        purpose=current_purpose(request),
        details=form,
        chosen=str(form["child_id"].value() or ""),
    )
    return render(
        request,
        "referrals/form.html",
        page_context(
            request,
            "referrals",
            form=form,
            referral=referral,
            match=panel,
            levels=form.vocabulary.levels,
            needs_grouped=form.needs_grouped(),
            consent_given=Consent.GIVEN,
        ),
        status=status,
    )


def _save(request: HttpRequest, form: ReferralForm, reference: str = "") -> HttpResponse | None:
    """Save the draft (and send it, for "Send referral"); None when the form has errors."""
    viewer = staff(request)
    purpose = current_purpose(request)
    sending = request.POST.get("intent") == "send"
    form.is_valid()
    if sending:
        form.check_complete()  # every gap at once, beside any field's own error
    if form.errors:
        return None
    try:
        # Saving and sending together: a send the service refuses leaves nothing half-written.
        with writes_together():
            if reference:
                referral = services.referral_update(
                    actor=viewer, purpose=purpose, reference=reference, **form.service_kwargs()
                )
            else:
                referral = services.referral_create(
                    actor=viewer, purpose=purpose, **form.service_kwargs()
                )
            if sending:
                referral = services.referral_send(
                    actor=viewer, purpose=purpose, reference=referral.reference
                )
    except ValidationError as exc:
        service_errors_apply(form, exc)
        return None
    messages.success(request, SUCCESS["send" if sending else "draft"](referral))
    return redirect("referral-detail", reference=referral.reference)


def referral_new_page(request: HttpRequest) -> HttpResponse:
    if not may_refer(staff(request)):
        raise Http404()
    form = _form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = _save(request, form)
        if done is not None:
            return done
    return _form_page(request, form)


def referral_edit_page(request: HttpRequest, reference: str) -> HttpResponse:
    viewer = staff(request)
    access = access_referral_by_id(viewer, reference, purpose=current_purpose(request))
    if "edit" not in access.actions:
        messages.info(request, f"Referral {reference} is no longer a draft: it cannot be edited.")
        return redirect("referral-detail", reference=reference)
    referral = access.referral
    if request.method == "POST":
        form = _form(request, request.POST)
        done = _save(request, form, reference=reference)
        if done is not None:
            return done
    else:
        form = _form(request, initial=referral_initial(referral))
    return _form_page(request, form, referral=referral)


# --- one referral ----------------------------------------------------------------------------


def _attachment_links(referral: Any) -> list[dict[str, str]]:
    out = []
    for assessment in referral.attachments.all():
        try:
            href = reverse("assessment-detail", kwargs={"reference": assessment.reference})
        except NoReverseMatch:
            href = ""
        out.append({"reference": assessment.reference, "form": assessment.form, "href": href})
    return out


def detail_response(
    request: HttpRequest, access: ReferralAccess, bound: tuple[str, Any] | None = None
) -> HttpResponse:
    referral = access.referral
    vocabulary = area_vocabulary()
    needs = []
    for code in referral.needs or []:
        need = vocabulary.need(code)
        needs.append(
            {
                "code": code,
                "label": need.label if need else code,
                "scheme": vocabulary.schemes.get(need.scheme, "") if need else "",
            }
        )
    level = vocabulary.level(referral.level) if referral.level in (1, 2, 3, 4) else None
    services_ = directory_services(access.viewer) if "decline" in access.actions else []
    # Keyed by the access layer's action names (underscores) for the template.
    forms_ = {
        verb.replace("-", "_"): action_form(verb, referral, None, services=services_)
        for verb in ACTION_FORMS
        if verb.replace("-", "_") in access.actions
    }
    error_form = None
    if bound is not None:
        forms_[bound[0].replace("-", "_")] = bound[1]
        error_form = bound[1] if bound[1].errors else None
    today = timezone.localdate()
    return render(
        request,
        "referrals/detail.html",
        page_context(
            request,
            "referrals",
            access=access,
            referral=referral,
            side=access.side,
            actions=access.actions,
            action_forms=forms_,
            form=error_form,
            child_id=referral_child_id_for(access),
            level=level,
            needs=needs,
            consent_label=Consent(referral.consent).label if referral.consent else "",
            basis_label=SharingBasis(referral.sharing_basis).label
            if referral.sharing_basis
            else "",
            transitions=list(referral.transitions.select_related("actor")),
            attachments=_attachment_links(referral),
            overdue=referral.status == ReferralStatus.SENT
            and referral.acknowledge_by is not None
            and referral.acknowledge_by < today,
            is_live=referral.status in LIVE,
        ),
    )


def referral_detail_page(request: HttpRequest, reference: str) -> HttpResponse:
    access = access_referral_by_id(staff(request), reference, purpose=current_purpose(request))
    return detail_response(request, access)

"""Information governance's sharing agreements: list by status, draft, edit a draft, approve,
make live, end and record a review. Thin views over governance.agreement_services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.access.policy import Action
from joinedup.governance import agreement_services, selectors
from joinedup.governance.models import AgreementStatus, SharingAgreement
from joinedup.web.administration.agreement_forms import AgreementForm, ReviewForm, agreement_initial
from joinedup.web.administration.guards import errors_apply, for_role
from joinedup.web.context import page_context, staff

MANAGE = Action.MANAGE_AGREEMENTS
# The agreement's field (as the service names it) -> the form's field.
SERVICE_FIELDS = {
    "starts_at": "starts_day",
    "review_at": "review_day",
    "ends_at": "ends_day",
    "fields": "shared_fields",
}


def _agreement(request: HttpRequest, code: str) -> SharingAgreement:
    agreement = selectors.sharing_agreement_get(viewer=staff(request), code=code)
    if agreement is None:
        raise Http404()
    return agreement


@for_role(MANAGE, methods=("GET",))
def agreement_list_page(request: HttpRequest) -> HttpResponse:
    agreements = list(selectors.sharing_agreement_list(viewer=staff(request)))
    groups = [
        (status, label, [a for a in agreements if a.status == status])
        for status, label in AgreementStatus.choices
    ]
    return render(
        request,
        "administration/agreement_list.html",
        page_context(request, "governance-agreements", groups=groups),
    )


@for_role(MANAGE)
def agreement_new_page(request: HttpRequest) -> HttpResponse:
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = agreement_services.agreement_create(
                actor=staff(request), code=form.cleaned_data["code"], **form.values()
            )
        except ValidationError as exc:
            errors_apply(form, exc, SERVICE_FIELDS)
        else:
            messages.success(request, f"{agreement.title} saved as a draft.")
            return redirect("governance-agreement", code=agreement.code)
    return render(
        request,
        "administration/agreement_form.html",
        page_context(request, "governance-agreements", form=form, agreement=None),
    )


@for_role(MANAGE)
def agreement_edit_page(request: HttpRequest, code: str) -> HttpResponse:
    agreement = _agreement(request, code)
    if agreement.status != AgreementStatus.DRAFT:
        messages.error(request, f"{agreement.title} is no longer a draft: it cannot be edited.")
        return redirect("governance-agreement", code=agreement.code)
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        data["code"] = agreement.code  # fixed once drafted
    form = AgreementForm(data, initial=agreement_initial(agreement))
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            agreement_services.agreement_update(
                actor=staff(request), agreement_id=agreement.pk, **form.values()
            )
        except ValidationError as exc:
            errors_apply(form, exc, SERVICE_FIELDS)
        else:
            messages.success(request, f"{agreement.title} draft saved.")
            return redirect("governance-agreement", code=agreement.code)
    return render(
        request,
        "administration/agreement_form.html",
        page_context(request, "governance-agreements", form=form, agreement=agreement),
    )


@for_role(MANAGE, methods=("GET",))
def agreement_page(request: HttpRequest, code: str) -> HttpResponse:
    agreement = _agreement(request, code)
    authors = agreement_services.agreement_authors(agreement)
    return render(
        request,
        "administration/agreement_detail.html",
        page_context(
            request,
            "governance-agreements",
            agreement=agreement,
            may_approve=staff(request).pk not in authors,
            review_form=ReviewForm(),
        ),
    )


def _transition(
    request: HttpRequest, code: str, step: Callable[..., Any], done: str
) -> HttpResponse:
    agreement = _agreement(request, code)
    try:
        step(actor=staff(request), agreement_id=agreement.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{agreement.title} {done}.")
    return redirect("governance-agreement", code=agreement.code)


@for_role(MANAGE, methods=("POST",))
def agreement_approve_page(request: HttpRequest, code: str) -> HttpResponse:
    return _transition(request, code, agreement_services.agreement_approve, "approved")


@for_role(MANAGE, methods=("POST",))
def agreement_live_page(request: HttpRequest, code: str) -> HttpResponse:
    return _transition(
        request,
        code,
        agreement_services.agreement_make_live,
        "is live: sharing starts on its start date",
    )


@for_role(MANAGE, methods=("POST",))
def agreement_end_page(request: HttpRequest, code: str) -> HttpResponse:
    return _transition(
        request, code, agreement_services.agreement_end, "has ended: sharing under it has stopped"
    )


@for_role(MANAGE, methods=("POST",))
def agreement_review_page(request: HttpRequest, code: str) -> HttpResponse:
    agreement = _agreement(request, code)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            agreement_services.agreement_review_record(
                actor=staff(request),
                agreement_id=agreement.pk,
                next_review=form.cleaned_data["review_at"],
            )
        except ValidationError as exc:
            errors_apply(form, exc, SERVICE_FIELDS)
        else:
            messages.success(request, f"Review of {agreement.title} recorded.")
            return redirect("governance-agreement", code=agreement.code)
    return render(
        request,
        "administration/agreement_detail.html",
        page_context(
            request,
            "governance-agreements",
            agreement=agreement,
            may_approve=staff(request).pk not in agreement_services.agreement_authors(agreement),
            review_form=form,
            form=form,
        ),
        status=400,
    )

"""Worklists: the flags of the children a person has a legitimate relationship with, each to be
decided by a person; and the front door's "unknown to services" triage list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.access.children import access_child_by_id
from joinedup.access.errors import AccessRefused
from joinedup.access.flags import may_triage
from joinedup.access.policy import Action, role_allows
from joinedup.indicators.flag_decisions import flag_decision_record, flag_triage_decision_record
from joinedup.indicators.selectors import (
    child_flag_panel,
    unknown_to_services_list,
    worklist_list,
)
from joinedup.web.context import current_purpose, page_context, staff
from joinedup.web.worklists.flag_forms import FlagDecisionForm, TriageDecisionForm

TABS = {"to-decide": "To decide", "decided": "Decided"}


def _tab(request: HttpRequest) -> str:
    tab = request.GET.get("tab", "to-decide")
    return tab if tab in TABS else "to-decide"


def worklist_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    if not role_allows(viewer.role, Action.VIEW_CHILD):
        raise Http404()
    worklist = worklist_list(viewer=viewer, purpose=current_purpose(request))
    tab = _tab(request)
    return render(
        request,
        "worklists/worklist.html",
        page_context(
            request,
            "worklist",
            worklist=worklist,
            tab=tab,
            tabs=TABS,
            items=worklist.decided if tab == "decided" else worklist.to_decide,
            may_decide=role_allows(viewer.role, Action.DECIDE_FLAGS),
        ),
    )


def worklist_item_page(request: HttpRequest, child_id: str) -> HttpResponse:
    """One child's open flags explained, and the decision form."""
    viewer = staff(request)
    purpose = current_purpose(request)
    may_decide = role_allows(viewer.role, Action.DECIDE_FLAGS)
    form = FlagDecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_decide:
            # Recorded as a denial by the service before it refuses.
            try:
                flag_decision_record(
                    actor=viewer, child_id=child_id, decision="", reason="", purpose=purpose
                )
            except AccessRefused as exc:
                raise PermissionDenied(str(exc)) from exc
        if form.is_valid():
            try:
                flag_decision_record(
                    actor=viewer,
                    child_id=child_id,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    purpose=purpose,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except AccessRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Decision recorded for {child_id}.")
                return redirect("worklist")
    access = access_child_by_id(viewer, child_id, purpose=purpose)
    panel = child_flag_panel(viewer=viewer, access=access)
    return render(
        request,
        "worklists/worklist_item.html",
        page_context(
            request,
            "worklist",
            child=access.child,
            panel=panel,
            form=form,
            may_decide=may_decide,
        ),
    )


def unknown_to_services_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    purpose = current_purpose(request)
    if not may_triage(viewer, purpose):
        raise Http404()
    form = TriageDecisionForm(
        request.POST or None, initial={"child_id": request.GET.get("decide", "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            flag_triage_decision_record(
                actor=viewer,
                child_id=form.cleaned_data["child_id"],
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                purpose=purpose,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Decision recorded for {form.cleaned_data['child_id']}.")
            return redirect("worklist-unknown")
    worklist = unknown_to_services_list(viewer=viewer, purpose=purpose)
    tab = _tab(request)
    deciding = request.POST.get("child_id") or request.GET.get("decide", "")
    items = worklist.decided if tab == "decided" else worklist.to_decide
    return render(
        request,
        "worklists/unknown.html",
        page_context(
            request,
            "worklist-unknown",
            worklist=worklist,
            tab=tab,
            tabs=TABS,
            items=items,
            form=form,
            deciding=next((i for i in worklist.to_decide if i.child_id == deciding), None),
        ),
    )

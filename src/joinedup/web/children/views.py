"""Finding a child, the child's record (its chronology and every panel), and emergency
(break-glass) access: thin views over the access layer and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.access.assessments import (
    assessment_list_for_child,
    may_record_assessments,
    measure_list_for_child,
)
from joinedup.access.break_glass import break_glass_grant
from joinedup.access.children import access_child_by_id, child_search, visible_events
from joinedup.access.errors import AccessRefused
from joinedup.access.link_history import link_history_for_child
from joinedup.access.policy import Action, allowed_purposes, role_allows
from joinedup.indicators.selectors import child_flag_panel
from joinedup.people.selectors import child_profile
from joinedup.tac.selectors import tac_child_panel
from joinedup.web.children.forms import BreakGlassForm, ChildSearchForm
from joinedup.web.context import PURPOSE_SESSION_KEY, current_purpose, page_context, staff


def child_search_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    if not role_allows(viewer.role, Action.SEARCH_CHILDREN):
        raise Http404()
    purpose = current_purpose(request)
    form = ChildSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        results = child_search(
            viewer,
            purpose=purpose,
            name=form.cleaned_data.get("name") or "",
            date_of_birth=form.cleaned_data["date_of_birth"],
        )
    return render(
        request,
        "children/child_search.html",
        page_context(request, "search", form=form, results=results),
    )


def child_detail(request: HttpRequest, child_id: str) -> HttpResponse:
    viewer = staff(request)
    access = access_child_by_id(viewer, child_id, purpose=current_purpose(request))
    if access.merged_id:
        messages.info(
            request,
            f"{access.merged_id} was found to be the same child as {access.child.child_id} "
            f"and merged into it. This is that child's record.",
        )
        return redirect("child-detail", child_id=access.child.child_id)
    chronology = visible_events(viewer, access)
    return render(
        request,
        "children/child_detail.html",
        page_context(
            request,
            "search",
            profile=child_profile(access=access),
            chronology=chronology,
            relationship=access.relationship,
            link_history=link_history_for_child(access=access),
            flag_panel=child_flag_panel(viewer=viewer, access=access),
            tac_panel=tac_child_panel(access=access),
            assessments=assessment_list_for_child(access=access),
            measures=measure_list_for_child(access=access),
            may_record_assessments=may_record_assessments(viewer),
            may_refer=role_allows(viewer.role, Action.MAKE_REFERRALS),
        ),
    )


def break_glass_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    if not role_allows(viewer.role, Action.BREAK_GLASS):
        raise Http404()
    allowed = allowed_purposes(viewer.role)
    form = BreakGlassForm(
        request.POST or None,
        allowed=allowed,
        initial={"child_id": request.GET.get("child_id", ""), "purpose": current_purpose(request)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            grant = break_glass_grant(
                actor=viewer,
                child_id=form.cleaned_data["child_id"],
                reason=form.cleaned_data["reason"],
                purpose=form.cleaned_data["purpose"],
            )
        except AccessRefused as exc:
            form.add_error(None, str(exc))
        else:
            request.session[PURPOSE_SESSION_KEY] = grant.purpose
            messages.success(
                request,
                "Emergency access recorded. You can see this record until "
                f"{grant.expires_at:%H:%M} UTC. Information governance will review it.",
            )
            return redirect("child-detail", child_id=grant.child.child_id)
    return render(
        request, "children/break_glass.html", page_context(request, "break-glass", form=form)
    )

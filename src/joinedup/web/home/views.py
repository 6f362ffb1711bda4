"""The home page, the working purpose, sharing agreements, the viewer's own access
history, information governance's break-glass review, and the health check."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from joinedup.access.break_glass import REVIEW_OUTCOMES, break_glass_review
from joinedup.access.children import caseload_list
from joinedup.access.errors import AccessRefused
from joinedup.access.policy import Action, allowed_purposes, role_allows
from joinedup.governance import selectors
from joinedup.governance.models import Role
from joinedup.people.selectors import person_index_summary
from joinedup.web.context import PURPOSE_SESSION_KEY, current_purpose, page_context, staff
from joinedup.web.home.forms import PurposeForm


def home(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    index_summary = person_index_summary() if viewer.role == Role.DATA_ANALYST else None
    context = page_context(
        request,
        "home",
        index_summary=index_summary,
        caseload=caseload_list(viewer, purpose=current_purpose(request)),
        agency_counts=(
            selectors.agency_staff_counts(viewer=viewer)
            if viewer.role == Role.ADMINISTRATOR
            else []
        ),
        can_search=role_allows(viewer.role, Action.SEARCH_CHILDREN),
        can_break_glass=role_allows(viewer.role, Action.BREAK_GLASS),
        can_review=role_allows(viewer.role, Action.REVIEW_BREAK_GLASS),
        review_outcomes=REVIEW_OUTCOMES,
        my_break_glass=list(selectors.break_glass_list(viewer=viewer)[:10]),
        awaiting_review=list(selectors.break_glass_awaiting_review_list(viewer=viewer)[:50]),
        agreements=(
            list(selectors.sharing_agreement_list(viewer=viewer))
            if role_allows(viewer.role, Action.VIEW_AUDIT)
            else []
        ),
        review_due=(
            list(selectors.agreements_review_due(viewer=viewer, today=timezone.localdate()))
            if role_allows(viewer.role, Action.MANAGE_AGREEMENTS)
            else []
        ),
        today=timezone.localdate(),
    )
    return render(request, "home/home.html", context)


def access_history(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    events = selectors.audit_event_list_for_actor(viewer=viewer)
    return render(
        request,
        "home/access_history.html",
        page_context(request, "history", events=events),
    )


@require_POST
def purpose_change(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    form = PurposeForm(request.POST, allowed=allowed_purposes(viewer.role))
    if form.is_valid():
        request.session[PURPOSE_SESSION_KEY] = form.cleaned_data["purpose"]
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)


def agreement_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything an agreement records: its lawful basis is data, shown in full to IG."""
    viewer = staff(request)
    if not role_allows(viewer.role, Action.VIEW_AUDIT):
        raise Http404()
    agreement = selectors.sharing_agreement_list(viewer=viewer).filter(code=code).first()
    if agreement is None:
        raise Http404()
    return render(
        request,
        "home/agreement_detail.html",
        page_context(request, "home", agreement=agreement),
    )


@require_POST
def break_glass_review_page(request: HttpRequest, grant_id: int) -> HttpResponse:
    viewer = staff(request)
    if not role_allows(viewer.role, Action.REVIEW_BREAK_GLASS):
        raise Http404()
    try:
        break_glass_review(
            actor=viewer,
            grant_id=grant_id,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", "")[:2000],
        )
    except AccessRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Review recorded.")
    return redirect("home")


def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: open without sign-in, touches no data."""
    return HttpResponse("ok", content_type="text/plain")

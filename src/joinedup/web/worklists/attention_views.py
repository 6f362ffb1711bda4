"""The notifications pages: thin views over the access layer, services and selectors.

- /worklist/attention/: "nobody gripping it", what has stalled for the viewer (access.attention);
- /worklist/attention/report/: the re-referral rate report (VIEW_REFERRAL_REPORT, else 404);
- /notifications/: the viewer's own notifications, unread first; mark one or all read (POST).
"""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.access.attention import SECTIONS, AttentionItem, attention_worklist
from joinedup.access.policy import Action, role_allows
from joinedup.frontend.context import current_purpose, page_context, staff
from joinedup.notifications.forms import AttentionQueryForm, ReportPeriodForm
from joinedup.notifications.links import child_link, referral_link, tac_link
from joinedup.notifications.report import default_period, referral_report
from joinedup.notifications.selectors import notification_list
from joinedup.notifications.services import notification_mark_read, notifications_mark_all_read

NOTIFICATIONS_PER_PAGE = 50
ATTENTION_ACTIONS = (Action.MAKE_REFERRALS, Action.RECEIVE_REFERRALS, Action.WORK_IN_TAC)


def _row(item: AttentionItem) -> dict[str, Any]:
    link = {"referral": referral_link, "tac": tac_link, "child": child_link}[item.kind]
    return {
        "item": item,
        "link": link(item.reference),
        "earlier_link": referral_link(item.earlier_reference) if item.earlier_reference else "",
    }


def attention_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    if not any(role_allows(viewer.role, a) for a in ATTENTION_ACTIONS):
        raise Http404()
    form = AttentionQueryForm(request.GET)
    context: dict[str, Any] = {"form": form, "sections": SECTIONS, "result": None, "rows": []}
    if not form.is_valid():
        response = render(
            request, "notifications/attention.html", page_context(request, "attention", **context)
        )
        response.status_code = 400
        return response
    page = form.cleaned_data["page"] or 1
    result = attention_worklist(
        viewer,
        purpose=current_purpose(request),
        section=form.cleaned_data["section"] or None,
        page=page,
    )
    status = 200
    if not result.page_exists:
        form.add_error(
            "page",
            f"Page {page} does not exist: {SECTIONS[result.section]} has "
            f"{max(1, result.pages)} page{'s' if result.pages > 1 else ''}.",
        )
        status = 400
    context.update(result=result, rows=[_row(i) for i in result.items])
    response = render(
        request, "notifications/attention.html", page_context(request, "attention", **context)
    )
    response.status_code = status
    return response


def referral_report_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    if not role_allows(viewer.role, Action.VIEW_REFERRAL_REPORT):
        raise Http404()
    today = timezone.localdate()
    form = ReportPeriodForm(request.GET or None, today=today)
    report = None
    status = 200
    if request.GET and not form.is_valid():
        status = 400
    else:
        start, end = default_period(today)
        if form.is_bound:
            start = form.cleaned_data.get("start") or start
            end = form.cleaned_data.get("end") or end
            if start > end:
                form.add_error("start", "From must be on or before To.")
                status = 400
        if status == 200:
            report = referral_report(
                viewer=viewer, purpose=current_purpose(request), start=start, end=end
            )
    response = render(
        request,
        "notifications/report.html",
        page_context(request, "referral-report", form=form, report=report),
    )
    response.status_code = status
    return response


def notification_list_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    form = AttentionQueryForm({"page": request.GET.get("page", "")})
    notes = notification_list(viewer=viewer)
    total = notes.count()
    pages = max(1, math.ceil(total / NOTIFICATIONS_PER_PAGE))
    valid = form.is_valid()
    page = (form.cleaned_data["page"] or 1) if valid else 1
    status = 200
    if valid and page > pages:
        form.add_error("page", f"Page {page} does not exist: there {_pages(pages)}.")
    if form.errors:
        status, page = 400, 1
    start = (page - 1) * NOTIFICATIONS_PER_PAGE
    response = render(
        request,
        "notifications/list.html",
        page_context(
            request,
            "notifications",
            form=form,
            notifications=list(notes[start : start + NOTIFICATIONS_PER_PAGE]),
            unread=notes.filter(read_at__isnull=True).count(),
            page=page,
            pages=pages,
        ),
    )
    response.status_code = status
    return response


def _pages(n: int) -> str:
    return "is 1 page" if n == 1 else f"are {n} pages"


@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    if notification_mark_read(recipient=staff(request), notification_id=notification_id):
        messages.success(request, "Marked as read.")
    return redirect("notification-list")


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    n = notifications_mark_all_read(recipient=staff(request))
    messages.success(request, f"{n} notification{'s' if n != 1 else ''} marked as read.")
    return redirect("notification-list")

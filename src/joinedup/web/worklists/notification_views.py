"""The viewer's own notifications (/notifications/), unread first; mark one or all read (POST)."""

from __future__ import annotations

import math

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.notifications.selectors import notification_list
from joinedup.notifications.services import notification_mark_read, notifications_mark_all_read
from joinedup.web.context import page_context, staff
from joinedup.web.worklists.attention_forms import AttentionQueryForm

NOTIFICATIONS_PER_PAGE = 50


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
        "worklists/notifications.html",
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

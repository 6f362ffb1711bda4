"""The "nobody gripping it" worklist (/worklist/attention/): what has stalled for the viewer,
from the access layer (access.attention), by section and page."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.access.attention import SECTIONS, AttentionItem, attention_worklist
from joinedup.access.policy import Action, role_allows
from joinedup.notifications.links import child_link, referral_link, tac_link
from joinedup.web.context import current_purpose, page_context, staff
from joinedup.web.worklists.attention_forms import AttentionQueryForm

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
            request, "worklists/attention.html", page_context(request, "attention", **context)
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
        request, "worklists/attention.html", page_context(request, "attention", **context)
    )
    response.status_code = status
    return response

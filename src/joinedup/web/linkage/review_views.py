"""Pages for the clerical review of record linkage (data analysts).

Every read and write goes through `joinedup.access.link_review` / `link_history`, which check
the role and audit; these views only turn forms into calls and results into pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.access.errors import AccessRefused
from joinedup.access.link_history import (
    access_link_decision_by_id,
    link_decision_list,
    link_decision_undo,
    link_history_list,
)
from joinedup.access.link_review import (
    access_link_review_by_id,
    link_review_decide,
    link_review_list,
)
from joinedup.web.context import page_context, staff
from joinedup.web.linkage.forms import LinkDecisionUndoForm, LinkReviewDecisionForm

_DONE = {
    "match": "Recorded: same child.",
    "non_match": "Recorded: different children.",
    "defer": "Recorded: left for later. The pair stays in the queue.",
}


def link_review_queue(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    queue = link_review_list(viewer=viewer, kind=request.GET.get("kind", ""))
    return render(
        request,
        "linkage/link_review_queue.html",
        page_context(request, "link-review", queue=queue, recent=link_decision_list(viewer=viewer)),
    )


def link_review_item(request: HttpRequest, item_id: int) -> HttpResponse:
    viewer = staff(request)
    form = LinkReviewDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = link_review_decide(
                actor=viewer,
                item_id=item_id,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except AccessRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{_DONE[form.cleaned_data['outcome']]} Decision {decision.pk} is listed under "
                "your recent decisions, where it can be undone.",
            )
            return redirect("link-review")
    item = access_link_review_by_id(viewer, item_id)
    return render(
        request,
        "linkage/link_review_item.html",
        page_context(request, "link-review", item=item, form=form),
    )


def link_decision_page(request: HttpRequest, decision_id: int) -> HttpResponse:
    viewer = staff(request)
    form = LinkDecisionUndoForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            undo = link_decision_undo(
                actor=viewer, decision_id=decision_id, reason=form.cleaned_data["reason"]
            )
        except AccessRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Decision undone. The index is as it was, and the pair is back for review."
            )
            return redirect("link-decision", decision_id=undo.pk)
    view = access_link_decision_by_id(viewer, decision_id)
    return render(
        request,
        "linkage/link_decision.html",
        page_context(request, "link-review", decision=view, form=form),
    )


def link_history_page(request: HttpRequest, child_id: str) -> HttpResponse:
    history = link_history_list(viewer=staff(request), child_id=child_id)
    if history.merged_id:
        messages.info(request, f"{history.merged_id} was merged into {history.child_id}.")
        return redirect("link-history", child_id=history.child_id)
    return render(
        request, "linkage/link_history.html", page_context(request, "link-review", history=history)
    )

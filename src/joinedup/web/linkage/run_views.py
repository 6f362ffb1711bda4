"""Pages for analysts: each `joinedup link` run, its thresholds and its trained model.

Deny by default: only roles that review links see these pages; others get the same 404 as a
page that does not exist. Nothing here reads a child's record.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.access.policy import Action, role_allows
from joinedup.people.link_run_selectors import link_run_detail, link_run_list
from joinedup.web.context import page_context, staff

RUNS_SHOWN = 50


def _require_reviewer(request: HttpRequest) -> None:
    if not role_allows(staff(request).role, Action.REVIEW_LINKS):
        raise Http404()


def link_run_list_page(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    runs = list(link_run_list()[:RUNS_SHOWN])
    return render(request, "linkage/link_runs.html", page_context(request, "home", runs=runs))


def link_run_detail_page(request: HttpRequest, run_id: int) -> HttpResponse:
    _require_reviewer(request)
    detail = link_run_detail(run_id)
    if detail is None:
        raise Http404()
    return render(request, "linkage/link_run_detail.html", page_context(request, "home", d=detail))

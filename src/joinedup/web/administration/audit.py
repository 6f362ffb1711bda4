"""Information governance's audit search and its CSV export (same filters, streamed)."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from joinedup.access.policy import Action
from joinedup.governance.audit_search import audit_csv_rows, audit_search
from joinedup.web.administration.audit_forms import AuditSearchForm
from joinedup.web.administration.guards import for_role
from joinedup.web.context import page_context, staff

AUDIT = Action.VIEW_AUDIT


class _Echo:
    """A file-like object for csv.writer that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


@for_role(AUDIT, methods=("GET",))
def audit_search_page(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        result = audit_search(
            viewer=staff(request), filters=form.filters(), page=form.cleaned_data["page"] or 1
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "administration/audit_search.html",
        page_context(
            request,
            "governance-audit",
            form=form,
            result=result,
            query=query.urlencode(),
        ),
        status=400 if form.errors else 200,
    )


@for_role(AUDIT, methods=("GET",))
def audit_export(request: HttpRequest) -> HttpResponseBase:
    form = AuditSearchForm(request.GET)
    if not form.is_valid():
        # The same page and messages as the search: the export link carries its filters.
        return render(
            request,
            "administration/audit_search.html",
            page_context(request, "governance-audit", form=form, result=None, query=""),
            status=400,
        )
    rows = audit_csv_rows(viewer=staff(request), filters=form.filters())
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        for row in rows:
            yield writer.writerow(row)

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response

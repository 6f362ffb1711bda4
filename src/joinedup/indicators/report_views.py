"""The fairness and hit-rate report page: aggregates only, for data analysts and team managers.

Deny by default: other roles get the same 404 as a page that does not exist. The report reads
every child's flags and outcomes to count them, so each view is audited (as one aggregate read,
naming no child); it never shows a child's name or id, and every count under 10 is suppressed.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from joinedup.access.audit import audit_record
from joinedup.access.policy import Action, role_allows
from joinedup.frontend.context import current_purpose, page_context, staff
from joinedup.indicators.outcomes import OUTCOME_NAMES
from joinedup.indicators.report import ReportError, report_build
from joinedup.indicators.report_tables import report_charts, report_tables

# Fewer resamples than the CLI's default: the page is built while the user waits.
PAGE_RESAMPLES = 400


def indicator_report_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    if not role_allows(viewer.role, Action.VIEW_INDICATOR_REPORT):
        raise Http404()
    term = request.GET.get("term", "") or None
    outcome = request.GET.get("outcome", "persistent_absence")
    if outcome not in OUTCOME_NAMES:
        outcome = "persistent_absence"
    report, problem = None, ""
    with transaction.atomic():
        try:
            report = report_build(term=term, outcome=outcome, n_boot=PAGE_RESAMPLES)
        except ReportError as exc:
            problem = str(exc)
        audit_record(
            actor=viewer,
            action="indicators.report.view",
            object_type="indicator_report",
            object_ref=report.term.key if report else (term or ""),
            purpose=current_purpose(request),
            detail={
                "aggregate": True,
                "outcome": outcome,
                "term": report.term.name if report else term,
                "cohort": None
                if report is None or report.cohort.suppressed
                else report.cohort.value,
                "problem": problem,
            },
        )
    context = page_context(
        request,
        "indicator-report",
        report=report,
        problem=problem,
        outcome=outcome,
        outcomes=list(OUTCOME_NAMES.items()),
        tables=report_tables(report) if report else [],
        charts=[(title, mark_safe(svg)) for title, svg in report_charts(report)] if report else [],  # noqa: S308 - built by charts.py, every text escaped
        base_rate=report.base_rates[outcome].text("percent") if report else "",
    )
    return render(request, "indicators/report.html", context)

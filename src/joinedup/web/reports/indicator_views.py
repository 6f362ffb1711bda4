"""The fairness and hit-rate report page: aggregates only, for data analysts and team managers.

Deny by default: other roles get the same 404 as a page that does not exist. The figures come
from the kept snapshot (report_snapshots.py), built on first view or on request (POST). The
report reads every child's flags and outcomes to count them, so each view and each rebuild is
audited (as one aggregate read, naming no child); it never shows a child's name or id, and
every count under 10 is suppressed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe

from joinedup.access.audit import audit_record
from joinedup.access.policy import Action, role_allows
from joinedup.indicators.outcomes import OUTCOME_NAMES
from joinedup.indicators.report import ReportError
from joinedup.indicators.report_snapshots import snapshot_build, snapshot_find
from joinedup.web.context import current_purpose, page_context, staff

if TYPE_CHECKING:
    from joinedup.indicators.models import ReportSnapshot


def _figures(term: str | None, outcome: str, rebuild: bool) -> tuple[ReportSnapshot | None, str]:
    """(the snapshot, or None with the problem that stops the report being made)."""
    snapshot = None if rebuild else snapshot_find(term=term, outcome=outcome)
    if snapshot is not None:
        return snapshot, ""
    try:
        return snapshot_build(term=term, outcome=outcome), ""
    except ReportError as exc:
        return None, str(exc)


def indicator_report_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    if not role_allows(viewer.role, Action.VIEW_INDICATOR_REPORT):
        raise Http404()
    params = request.POST if request.method == "POST" else request.GET
    term = str(params.get("term", "") or "")[:40] or None
    outcome = str(params.get("outcome", "persistent_absence"))
    if outcome not in OUTCOME_NAMES:
        outcome = "persistent_absence"
    rebuild = request.method == "POST"
    with transaction.atomic():
        snapshot, problem = _figures(term, outcome, rebuild)
        audit_record(
            actor=viewer,
            action="indicators.report.rebuild" if rebuild else "indicators.report.view",
            object_type="indicator_report",
            object_ref=snapshot.term_key if snapshot else (term or ""),
            purpose=current_purpose(request),
            detail={
                "aggregate": True,
                "outcome": outcome,
                "term": snapshot.term_name if snapshot else term,
                "cohort": snapshot.cohort if snapshot else None,
                "built_at": snapshot.built_at.isoformat() if snapshot else None,
                "problem": problem,
            },
        )
    if rebuild and snapshot is not None:
        query = urlencode({"term": snapshot.term_key, "outcome": outcome})
        return redirect(f"{request.path}?{query}")
    context = page_context(
        request,
        "indicator-report",
        snapshot=snapshot,
        body=mark_safe(snapshot.body_html) if snapshot else "",  # noqa: S308 - rendered by _report_body.html, escaped then
        problem=problem,
        outcome=outcome,
        outcomes=list(OUTCOME_NAMES.items()),
    )
    return render(request, "reports/indicator_report.html", context)

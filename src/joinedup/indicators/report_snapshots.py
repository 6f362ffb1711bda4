"""The fairness report page's figures, built once and kept (`ReportSnapshot`).

Building the report re-runs the rules at checkpoints over a whole term and bootstraps every
interval: tens of seconds for a borough, too long for a page (and past a web server's usual
timeout). So the page shows the figures last built for the term and outcome asked for, says
when they were built, and can build them again on request; `joinedup indicators report
--save-page` builds them nightly. A term and outcome never built are built on first view.
"""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from joinedup.indicators.models import ReportSnapshot
from joinedup.indicators.report import report_build
from joinedup.indicators.report_tables import report_charts, report_tables

# Fewer resamples than the CLI's default report: kept figures for the page.
PAGE_RESAMPLES = 400


def snapshot_find(*, term: str | None, outcome: str) -> ReportSnapshot | None:
    """The kept figures for `term` (a key, or None for the latest term) and `outcome`."""
    found = ReportSnapshot.objects.filter(outcome=outcome)
    found = found.filter(latest=True) if not term else found.filter(term_key=term)
    return found.order_by("-built_at").first()


def snapshot_build(
    *, term: str | None, outcome: str, n_boot: int = PAGE_RESAMPLES
) -> ReportSnapshot:
    """Build the report and keep its rendered figures (raises ReportError, as report_build)."""
    report = report_build(term=term, outcome=outcome, n_boot=n_boot)
    charts = [(title, mark_safe(svg)) for title, svg in report_charts(report)]  # noqa: S308 - built by charts.py, every text escaped
    body = render_to_string(
        "reports/_indicator_report_body.html",
        {
            "report": report,
            "tables": report_tables(report),
            "charts": charts,
            "base_rate": report.base_rates[outcome].text("percent"),
        },
    )
    latest = report.term == report.terms[-1]
    with transaction.atomic():
        if latest:
            ReportSnapshot.objects.filter(outcome=outcome, latest=True).exclude(
                term_key=report.term.key
            ).update(latest=False)
        snapshot, _ = ReportSnapshot.objects.update_or_create(
            term_key=report.term.key,
            outcome=outcome,
            defaults={
                "term_name": report.term.name,
                "latest": latest,
                "terms": [[t.key, t.name] for t in report.terms],
                "cohort": None if report.cohort.suppressed else int(report.cohort.value or 0),
                "built_at": timezone.now(),
                "body_html": body,
            },
        )
    return snapshot

"""A data analyst opens the fairness report: the figures are worked out on first view and
kept; the page says when, and works them out again from its button. Checked with axe-core."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from joinedup.governance.models import AuditEvent, Role
from joinedup.indicators.models import ReportSnapshot
from tests import factories as f
from tests.e2e.conftest import axe_violations
from tests.e2e.test_journeys import _sign_in
from tests.indicators.report_area import build

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_analyst_reads_the_kept_report_and_works_it_out_again(
    page: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    build(tmp_path)
    f.staff(Role.DATA_ANALYST, f.agency(), username="analyst")
    base = live_server.url
    _sign_in(page, base, "analyst")
    page.goto(f"{base}/indicators/report/")
    assert page.get_by_role("heading", name="Fairness and hit-rate report").is_visible()
    assert "Persistent absence alone" in page.content()
    built = ReportSnapshot.objects.get().built_at
    assert "were worked out on" in page.locator("#report-built").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Work the figures out again (up to a minute)").click()
    page.wait_for_url(f"{base}/indicators/report/?term=*")
    assert ReportSnapshot.objects.get().built_at > built
    assert AuditEvent.objects.filter(action="indicators.report.rebuild").count() == 1
    assert "Persistent absence alone" in page.content()

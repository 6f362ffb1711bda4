"""A designated safeguarding lead opens the worklist, reads a flag's explanation and records a
decision; every page is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.governance.models import AuditEvent, Role
from joinedup.indicators.models import FlagDecision
from tests import factories as f
from tests.e2e.conftest import axe_violations
from tests.e2e.test_journeys import _sign_in
from tests.indicators import worklist_area

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_dsl_reads_a_flag_and_records_a_decision(page: Any, live_server: Any) -> None:
    area = worklist_area.build()
    f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, area["school_a"], username="dsl")
    base = live_server.url
    child = area["a2"]
    _sign_in(page, base, "dsl")

    page.get_by_role("link", name="Worklist").first.click()
    page.wait_for_url(f"{base}/worklist/")
    assert page.get_by_role("heading", name="Worklist", level=1).is_visible()
    table = page.locator("#worklist").inner_text()
    assert child.child_id in table and area["a1"].child_id in table
    assert area["b1"].child_id not in page.content()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Ben Bramley").click()
    page.wait_for_url(f"{base}/worklist/{child.child_id}/")
    card = page.locator(f"#flag-{area['a2_att'].pk}")
    assert "71.5 % is below 80 %" in card.inner_text()
    assert "Attendance over the last 6 school weeks is 90 % or more." in card.inner_text()
    assert card.locator("svg[role=img] title").count() == 1
    assert "Nothing is referred automatically" in page.content()
    assert axe_violations(page) == []

    page.get_by_label("Monitor").check()
    page.get_by_role("button", name="Record decision").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the reason for your decision." in summary.inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Reason").fill("Attendance dropped after a house move; weekly check-in.")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(f"{base}/worklist/")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"Decision recorded for {child.child_id}" in banner
    assert child.child_id not in page.locator("#worklist").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Decided (1)").click()
    assert child.child_id in page.locator("#worklist").inner_text()
    assert axe_violations(page) == []

    decision = FlagDecision.objects.get()
    assert decision.decision == "monitor" and list(decision.flags.all()) == [area["a2_att"]]
    assert AuditEvent.objects.filter(action="flags.decide", outcome="allowed").count() == 1

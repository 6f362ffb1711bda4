"""A social worker opens "nobody gripping it", moves between sections, asks for a page that
does not exist, then reads and clears their notifications; every page is checked with axe."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from joinedup.notifications.services import notification_send
from tests.e2e.conftest import axe_violations
from tests.e2e.test_journeys import _sign_in
from tests.notifications import area as area_
from tests.notifications import factories as nf

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_receiver_finds_what_has_stalled(page: Any, live_server: Any) -> None:
    area = area_.build()
    area["sw"].username = "sw"
    area["sw"].save()
    due = timezone.localdate() - timedelta(days=14)
    late = nf.referral(
        child=area["child"],
        by=area["dsl"],
        to_agency=area["social_care"],
        to_team=area["front"],
        sent_on=due - timedelta(days=5),
        acknowledge_by=due,
    )
    notification_send(
        recipient=area["sw"],
        kind="attention.unacknowledged-received",
        subject=f"Referral {late.reference} not acknowledged in time",
        link="/worklist/attention/",
        dedupe_key="e2e",
    )
    base = live_server.url
    _sign_in(page, base, "sw")

    page.goto(f"{base}/worklist/attention/")
    assert page.get_by_role("heading", name="Nobody gripping it", level=1).is_visible()
    table = page.locator("#attention").inner_text()
    assert late.reference in table and area["child"].child_id in table
    assert "Zebedee" not in page.content()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Team-around-the-child actions overdue (0)").click()
    assert page.locator("#attention-empty").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Page (optional)").fill("7")
    page.get_by_role("button", name="Show").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Page 7 does not exist" in summary
    assert axe_violations(page) == []

    page.goto(f"{base}/notifications/")
    assert late.reference in page.locator("#notifications").inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Mark all 1 as read").click()
    assert (
        "1 notification marked as read." in page.locator(".govuk-notification-banner").inner_text()
    )
    assert axe_violations(page) == []

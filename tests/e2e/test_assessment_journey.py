"""An early help practitioner completes a 360 assessment (a validation error first), then
records an SDQ and sees its bands; every page is checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.assessments.library import assessment_form
from joinedup.assessments.models import Assessment, MeasureScore
from joinedup.chronology.models import Event
from tests.assessments.factories import area
from tests.e2e.conftest import axe_violations
from tests.e2e.test_journeys import _sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_practitioner_completes_a_360_and_records_an_sdq(page: Any, live_server: Any) -> None:
    data = area()
    child = data["child"]
    base = live_server.url
    _sign_in(page, base, "ehp")

    page.goto(f"{base}/assessments/new/{child.child_id}/")
    assert page.get_by_role("heading", name="Start an assessment", level=1).is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Early help assessment (360)").click()
    page.wait_for_url(f"{base}/assessments/new/{child.child_id}/?form=eha-360")
    assert axe_violations(page) == []

    page.locator("#assessment_date-day").fill("2")
    page.locator("#assessment_date-month").fill("3")
    page.locator("#assessment_date-year").fill("2026")
    page.get_by_label("Why the assessment is being done").fill("School worried about mornings.")
    form = assessment_form("eha-360")
    assert form is not None
    for q in form.questions:
        if q.type == "scale":
            page.locator(f"input[name='{q.id}'][value='6']").check()
    page.get_by_label("Emotional warmth and stability: strengths").fill("Mum and Maisie are close.")
    page.get_by_label("The parent's or carer's views").fill("Mornings are a battle.")
    page.get_by_label("Practitioner's analysis").fill("Routines broke down after the move.")
    page.get_by_label("2 – Early help").check()
    page.get_by_label("Agreed next steps").fill("Family support worker visits weekly.")
    page.get_by_role("button", name="Complete assessment").click()

    summary = page.locator(".govuk-error-summary")
    assert (
        "The child's views, in their own words: enter what the child said" in summary.inner_text()
    )
    assert axe_violations(page) == []
    assert not Assessment.objects.exists()
    # What was typed is still there.
    assert page.get_by_label("Practitioner's analysis").input_value() == (
        "Routines broke down after the move."
    )
    summary.get_by_role("link").first.click()
    page.get_by_label("The child's views, in their own words").fill("I hate being late.")
    page.get_by_role("button", name="Complete assessment").click()

    assessment = Assessment.objects.get()
    page.wait_for_url(f"{base}/assessments/{assessment.reference}/")
    assert (
        f"Assessment {assessment.reference} completed"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "I hate being late." in page.content()
    assert axe_violations(page) == []
    event = Event.objects.get()
    assert event.summary == "Early help assessment (360) completed"

    page.goto(f"{base}/assessments/measures/new/{child.child_id}/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="SDQ (parent, 4-17)").click()
    assert axe_violations(page) == []
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    for label, score in [
        ("Emotional symptoms", "5"),
        ("Conduct problems", "2"),
        ("Hyperactivity / inattention", "6"),
        ("Peer relationship problems", "3"),
        ("Prosocial behaviour", "9"),
        ("Total difficulties", "16"),
    ]:
        page.get_by_label(label).fill(score)
    page.get_by_role("button", name="Record scores").click()
    table = page.locator("#recorded").inner_text()
    assert "Emotional symptoms\t5\tAbnormal" in table
    assert "Total difficulties\t16\tBorderline" in table
    assert axe_violations(page) == []
    assert MeasureScore.objects.get().bands["prosocial"] == "Normal"

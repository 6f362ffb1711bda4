"""Real browser journeys: sign in, search, open a child, see withheld events, break glass.
Each page is checked with axe-core for serious or critical accessibility violations."""

from __future__ import annotations

from typing import Any

import pytest

from joinedup.chronology.vocabulary import EventType, Sensitivity
from joinedup.governance.models import AgencyType, AuditEvent, Purpose, Role
from tests import factories as f
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def area() -> dict:
    school = f.agency(AgencyType.SCHOOL, name="Brookfield Primary School")
    other_school = f.agency(AgencyType.SCHOOL, name="Hillside Academy")
    police = f.agency(AgencyType.POLICE, name="Police")
    social_care = f.agency(AgencyType.SOCIAL_CARE, name="Children's Social Care")
    child = f.child(given_name="Maisie", family_name="Thornbury")
    f.involvement(child, school, description="On roll (Year 4)")
    f.event(child, school, EventType.ATTENDANCE_SUMMARY, summary="Attendance 86.5% this term")
    f.event(
        child,
        police,
        EventType.POLICE_NOTIFICATION,
        Sensitivity.SPECIAL_CATEGORY,
        summary="Domestic abuse incident at home address",
    )
    f.event(
        child,
        social_care,
        EventType.REFERRAL,
        Sensitivity.SENSITIVE,
        summary="Referral from school about neglect",
    )
    f.agreement(
        [school, police],
        event_types=[EventType.POLICE_NOTIFICATION],
        purposes=[Purpose.SAFEGUARDING, Purpose.EDUCATION],
        title="Operation Encompass notifications",
    )
    return {
        "child": child,
        "dsl": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school, username="dsl"),
        "teacher": f.staff(Role.TEACHER, school, username="teacher"),
        "other_dsl": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, other_school, username="otherdsl"),
        "ig": f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, social_care, username="ig"),
    }


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/")
    assert "/sign-in/" in page.url
    assert axe_violations(page) == []
    page.get_by_label("Username").fill(username)
    page.locator("#id_password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_sign_in_search_open_child_and_see_withheld_notice(
    page: Any, live_server: Any, area: dict
) -> None:
    base = live_server.url
    _sign_in(page, base, "dsl")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Find a child").first.click()
    page.get_by_label("Name").fill("Thornbury")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", name="1 child found").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Maisie Thornbury").click()
    assert page.get_by_role("heading", name="Maisie Thornbury").is_visible()
    timeline = page.locator(".moj-timeline")
    assert "Attendance 86.5% this term" in timeline.inner_text()
    assert "Domestic abuse incident" in timeline.inner_text()
    notice = page.locator("#withheld-notice")
    assert "1 event withheld from you" in notice.inner_text()
    assert "not covered by any live sharing agreement" in notice.inner_text()
    assert "neglect" not in page.content()  # the withheld referral's content never reaches the page
    assert axe_violations(page) == []
    assert AuditEvent.objects.filter(actor=area["dsl"], action="children.view").count() == 1


def test_teacher_sees_role_withheld_notice(page: Any, live_server: Any, area: dict) -> None:
    _sign_in(page, live_server.url, "teacher")
    page.goto(f"{live_server.url}/children/{area['child'].child_id}/")
    notice = page.locator("#withheld-notice").inner_text()
    assert "2 events withheld from you" in notice
    assert "1 special-category (health, police or youth justice)" in notice
    assert "1 not covered by any live sharing agreement" in notice
    assert "Domestic abuse" not in page.content()


def test_other_school_cannot_find_the_child_but_can_break_glass(
    page: Any, live_server: Any, area: dict
) -> None:
    base = live_server.url
    child_id = area["child"].child_id
    _sign_in(page, base, "otherdsl")
    page.goto(f"{base}/children/?name=Thornbury")
    assert page.get_by_role("heading", name="0 children found").is_visible()
    response = page.goto(f"{base}/children/{child_id}/")
    assert response is not None and response.status == 404

    page.goto(f"{base}/break-glass/")
    assert axe_violations(page) == []
    page.get_by_label("Child id").fill(child_id)
    page.get_by_label("Why do you need to see this record now?").fill("short")
    page.get_by_role("button", name="Open the record").click()
    summary = page.locator(".govuk-error-summary")
    assert "at least 20 characters" in summary.inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Why do you need to see this record now?").fill(
        "Child arrived at our breakfast club with injuries; sibling attends your school."
    )
    page.get_by_role("button", name="Open the record").click()
    page.wait_for_url(f"{base}/children/{child_id}/")
    assert "Emergency access recorded" in page.locator(".govuk-notification-banner").inner_text()
    assert "through emergency access" in page.content()
    assert axe_violations(page) == []
    grant = AuditEvent.objects.get(action="break_glass.grant", outcome="allowed")
    assert grant.actor == area["other_dsl"] and grant.child_ref == child_id

    page.goto(f"{base}/access-history/")
    history = page.locator("table").inner_text()
    assert "break_glass.grant" in history and "Refused" in history
    assert axe_violations(page) == []

    # Information governance reviews the emergency access.
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, base, "ig")
    assert "Child arrived at our breakfast club" in page.content()
    assert axe_violations(page) == []
    page.get_by_label("Justified", exact=True).check()
    page.get_by_role("button", name="Record review").click()
    assert "Review recorded." in page.locator(".govuk-notification-banner").inner_text()
    assert AuditEvent.objects.filter(action="break_glass.review", actor=area["ig"]).count() == 1

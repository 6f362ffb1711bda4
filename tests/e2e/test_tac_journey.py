"""A lead professional opens a team around the child, adds a member from another agency,
records a meeting with attendees, decisions and two actions, and marks one done; every page is
checked with axe-core."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from joinedup.governance.models import AgencyType, AuditEvent, Role
from joinedup.tac.models import TacAction, TacMeeting, TeamAroundChild
from tests import factories as f
from tests.e2e.conftest import axe_violations
from tests.e2e.test_journeys import _sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _date(page: Any, prefix: str, day: Any) -> None:
    page.locator(f"#id_{prefix}_day").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def test_lead_professional_runs_a_team_around_the_child(page: Any, live_server: Any) -> None:
    early_help = f.agency(AgencyType.EARLY_HELP, name="Early Help Service")
    eh_team = f.team(early_help, name="Family Support North")
    health = f.agency(AgencyType.HEALTH, name="Community Health")
    child = f.child(given_name="Maisie", family_name="Thornbury")
    f.involvement(child, early_help, team_=eh_team, description="Family support")
    lead = f.staff(Role.EARLY_HELP_PRACTITIONER, early_help, eh_team, username="lead")
    nurse = f.staff(Role.SCHOOL_NURSE, health, username="nurse")
    base = live_server.url
    _sign_in(page, base, "lead")

    page.goto(f"{base}/tac/new/{child.child_id}/")
    assert page.get_by_role("heading", name="Open a team around the child").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Open the team").click()
    assert "Choose the child's level of need." in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []
    page.get_by_label("2: Early help").check()
    page.get_by_label("I am the lead professional").check()
    page.get_by_role("button", name="Open the team").click()
    tac = TeamAroundChild.objects.get()
    page.wait_for_url(f"{base}/tac/{tac.reference}/")
    assert "2: Early help" in page.locator("#tac-level").inner_text()
    assert lead.display_name in page.locator("#tac-lead").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Add a member").click()
    page.get_by_label("Agency").select_option(label="Community Health")
    page.get_by_label("Name").fill(nurse.last_name)
    page.get_by_role("button", name="Show workers").click()
    page.get_by_label("Worker").select_option(value=str(nurse.pk))
    page.get_by_label("Role in the team").fill("School nurse")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add member").click()
    page.wait_for_url(f"{base}/tac/{tac.reference}/")
    assert "added to the team" in page.locator(".govuk-notification-banner").inner_text()
    assert "School nurse" in page.content()

    page.get_by_role("link", name="Record a meeting").click()
    assert axe_violations(page) == []
    today = timezone.localdate()
    _date(page, "held_on", today)
    page.get_by_label(f"{lead.display_name} (Early Help Service)").check()
    page.get_by_label(f"{nurse.display_name} (Community Health)").check()
    page.get_by_label("Others present").fill("Mum; Maisie")
    page.get_by_label("The child or young person attended").check()
    page.get_by_label("The child's views, in their own words").fill("I want to stay at my school.")
    page.get_by_label("Decisions").fill("Weekly family support; health review this month.")
    page.locator("#id_action_0_description").fill("Home visit")
    page.locator("#id_action_0_owner").select_option(value=str(lead.pk))
    _date(page, "action_0_due", today + timedelta(days=7))
    page.locator("#id_action_1_description").fill("Health review")
    page.locator("#id_action_1_owner").select_option(value=str(nurse.pk))
    _date(page, "action_1_due", today - timedelta(days=1))
    page.get_by_role("button", name="Record meeting").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Action 2: the due date must be on or after the meeting" in summary
    assert axe_violations(page) == []
    _date(page, "action_1_due", today + timedelta(days=14))
    page.get_by_role("button", name="Record meeting").click()
    page.wait_for_url(f"{base}/tac/{tac.reference}/")
    plan = page.locator("#action-plan").inner_text()
    assert "Home visit" in plan and "Health review" in plan
    assert "Weekly family support; health review this month." in page.content()
    assert axe_violations(page) == []

    meeting = TacMeeting.objects.get()
    assert set(meeting.attendees.all()) == {lead, nurse} and meeting.child_attended
    home_visit = TacAction.objects.get(description="Home visit")
    page.locator(f"#action-{home_visit.pk}").get_by_role("link", name="Update").click()
    assert axe_violations(page) == []
    page.get_by_label("Done").check()
    page.get_by_label("Note").fill("Visited; family settled.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{base}/tac/{tac.reference}/")
    assert "Done" in page.locator(f"#action-{home_visit.pk}").inner_text()
    assert axe_violations(page) == []

    home_visit.refresh_from_db()
    assert home_visit.status == "done"
    assert TacAction.objects.get(description="Health review").status == "open"
    actions = set(AuditEvent.objects.filter(outcome="allowed").values_list("action", flat=True))
    assert {"tac.open", "tac.member_add", "tac.meeting_record", "tac.action_update"} <= actions

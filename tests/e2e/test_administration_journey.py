"""The people who run the area, in a real browser: the administrator adds a member of staff and
disables them; information governance finds who opened a child's record and downloads the
CSV. Every page is checked with axe-core."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from joinedup.access.children import access_child_by_id
from joinedup.governance.models import AgencyType, AuditEvent, Purpose, Role, StaffUser
from tests import factories as f
from tests.e2e.conftest import axe_violations
from tests.e2e.test_journeys import _sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_administrator_adds_and_disables_a_member_of_staff(page: Any, live_server: Any) -> None:
    school = f.agency(AgencyType.SCHOOL, name="Moor School")
    f.team(school, name="Pastoral team")
    f.staff(Role.ADMINISTRATOR, f.agency(AgencyType.SOCIAL_CARE), username="admin")
    base = live_server.url
    _sign_in(page, base, "admin")

    page.get_by_role("link", name="Staff", exact=True).click()
    page.wait_for_url(f"{base}/administration/staff/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Add a member of staff").click()
    page.wait_for_url(f"{base}/administration/staff/new/")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Add the member of staff").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the given name" in summary and "Enter their email address" in summary
    assert page.title().startswith("Error:")
    assert axe_violations(page) == []

    page.get_by_label("Given name").fill("Priya")
    page.get_by_label("Family name").fill("Shah")
    page.get_by_label("Email address").fill("priya.shah@example.org")
    page.get_by_label("Agency").select_option(label="Moor School")
    page.get_by_label("Team").select_option(label="Pastoral team")
    page.get_by_label("Role").select_option(label="Teacher")
    page.get_by_role("button", name="Add the member of staff").click()
    page.wait_for_url(f"{base}/administration/staff/*/")
    assert "Priya Shah added." in page.locator(".govuk-notification-banner").inner_text()
    assert "priya.shah@example.org" in page.locator("#staff-summary").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Disable Priya Shah").click()
    assert "is disabled" in page.locator(".govuk-notification-banner").inner_text()
    assert page.locator("#staff-status").inner_text().startswith("Disabled")
    assert axe_violations(page) == []
    member = StaffUser.objects.get(email="priya.shah@example.org")
    assert not member.is_active
    assert AuditEvent.objects.filter(action="admin.staff_disabled", object_ref=member.username)


def test_ig_officer_finds_who_opened_a_childs_record(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    school = f.agency(AgencyType.SCHOOL, name="Moor School")
    child = f.child()
    f.involvement(child, school)
    dsl = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school, username="dsl")
    access_child_by_id(dsl, child.child_id, purpose=Purpose.SAFEGUARDING)
    f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, f.agency(AgencyType.SOCIAL_CARE), username="ig")
    base = live_server.url
    _sign_in(page, base, "ig")

    page.get_by_role("link", name="Audit search").click()
    page.wait_for_url(f"{base}/governance/audit/")
    assert axe_violations(page) == []

    page.get_by_label("Child id").fill("C-12")
    page.get_by_role("button", name="Search the audit log").click()
    assert "Child id must be C- followed by 8" in page.locator(".govuk-error-summary").inner_text()
    assert axe_violations(page) == []

    page.get_by_label("Child id").fill(child.child_id)
    page.get_by_role("button", name="Search the audit log").click()
    results = page.locator("#audit-results").inner_text()
    assert "children.view" in results and dsl.display_name in results and "Moor School" in results
    assert axe_violations(page) == []

    with page.expect_download() as info:
        page.get_by_role("link", name="Download every matching entry (CSV)").click()
    saved = tmp_path / "audit.csv"
    info.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert rows[0][0] == "sequence"
    assert [r[6] for r in rows[1:]] == ["children.view"]
    assert rows[1][2] == "dsl" and rows[1][7] == child.child_id
    assert AuditEvent.objects.filter(action="audit.searched").count() == 1
    assert AuditEvent.objects.filter(action="audit.exported").count() == 1

"""Each role has a home page that works, and governance pages are for governance roles."""

from __future__ import annotations

import pytest
from django.test import Client

from joinedup.governance.models import AgencyType, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

HOME_MARKERS = {
    Role.DESIGNATED_SAFEGUARDING_LEAD: "Find a child",
    Role.TEACHER: "Find a child",
    Role.SOCIAL_WORKER: "Emergency access",
    Role.DATA_ANALYST: "The person index",
    Role.INFORMATION_GOVERNANCE_OFFICER: "Emergency access awaiting review",
    Role.ADMINISTRATOR: "Agencies and staff accounts",
}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_has_a_home_page(client: Client, role: str) -> None:
    school = f.agency(AgencyType.SCHOOL)
    child = f.child()
    from joinedup.people.models import SourceRecord

    SourceRecord.objects.create(agency=school, record_id="r1", child=child)
    f.agreement([school], title="School agreement")
    client.force_login(f.staff(role, school))
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert Role(role).label in content
    if role in HOME_MARKERS:
        assert HOME_MARKERS[Role(role)] in content
    if role == Role.DATA_ANALYST:
        assert "1 children in the index" in content
        assert child.family_name not in content  # counts, never a person's details


def test_agreement_page_for_ig_only(client: Client) -> None:
    school = f.agency(AgencyType.SCHOOL, name="Moor School")
    agreement = f.agreement(
        [school],
        title="Attendance deal",
        article_9_condition="",
        event_types=["attendance_summary"],
    )
    client.force_login(f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, school))
    page = client.get(f"/agreements/{agreement.code}/").content.decode()
    for text in (
        "Attendance deal",
        "Art. 6(1)(e) public task",
        "Until age 25",
        "Moor School",
        "Safeguarding and child protection",
    ):
        assert text in page
    client.force_login(f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school))
    assert client.get(f"/agreements/{agreement.code}/").status_code == 404


def test_purpose_change_only_to_a_purpose_of_the_role(client: Client) -> None:
    school = f.agency(AgencyType.SCHOOL)
    client.force_login(f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school))
    client.post("/purpose/", {"purpose": "education", "next": "/"})
    assert "selected>Education welfare and attendance" in client.get("/").content.decode()
    client.post("/purpose/", {"purpose": "health_care", "next": "/"})
    assert "selected>Education welfare and attendance" in client.get("/").content.decode()


def test_purpose_change_never_redirects_off_site(client: Client) -> None:
    client.force_login(f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency()))
    response = client.post("/purpose/", {"purpose": "education", "next": "https://evil.example"})
    assert response["Location"] == "/"


def test_search_form_errors_are_specific(client: Client) -> None:
    client.force_login(f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency()))
    page = client.get(
        "/children/", {"name": "", "dob_day": "31", "dob_month": "2", "dob_year": "2015"}
    ).content.decode()
    assert "Date of birth must be a real date." in page
    page = client.get("/children/", {"dob_day": "3"}).content.decode()
    assert "Date of birth must include a day, month and year." in page
    page = client.get("/children/", {"name": ""}).content.decode()
    assert "Enter a name or a date of birth to search." in page

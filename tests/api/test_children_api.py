"""The API goes through the same access layer as the pages."""

from __future__ import annotations

import pytest
from django.test import Client

from joinedup.chronology.vocabulary import EventType, Sensitivity
from joinedup.governance.models import AgencyType, AuditEvent, Purpose, Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup() -> dict:
    school = f.agency(AgencyType.SCHOOL, name="Hill School")
    police = f.agency(AgencyType.POLICE, name="Police")
    child = f.child(given_name="Robin", family_name="Ashdown")
    f.involvement(child, school, level=1, description="On roll")
    f.event(child, school, EventType.ATTENDANCE_SUMMARY, summary="Attendance 91%")
    f.event(child, police, EventType.POLICE_NOTIFICATION, Sensitivity.SPECIAL_CATEGORY)
    return {
        "school": school,
        "police": police,
        "child": child,
        "dsl": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school),
        "stranger": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency()),
    }


def test_search_returns_only_visible_children(client: Client, setup: dict) -> None:
    f.child(given_name="Robin", family_name="Ashdown-Other")  # not visible to the DSL
    client.force_login(setup["dsl"])
    response = client.get("/api/children/", {"name": "Ashdown"})
    assert response.status_code == 200
    assert [c["child_id"] for c in response.json()] == [setup["child"].child_id]
    assert AuditEvent.objects.filter(action="children.search", actor=setup["dsl"]).count() == 1


def test_search_needs_a_term(client: Client, setup: dict) -> None:
    client.force_login(setup["dsl"])
    response = client.get("/api/children/")
    assert response.status_code == 400
    assert "Give a name or a date_of_birth" in response.json()["detail"]


def test_search_rejects_a_bad_date(client: Client, setup: dict) -> None:
    client.force_login(setup["dsl"])
    response = client.get("/api/children/", {"date_of_birth": "2014-02-30"})
    assert response.status_code == 422
    assert "date_of_birth" in json_text(response)


def json_text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_record_reports_withheld_events_without_content(client: Client, setup: dict) -> None:
    client.force_login(setup["dsl"])
    response = client.get(f"/api/children/{setup['child'].child_id}")
    assert response.status_code == 200
    body = response.json()
    assert [e["summary"] for e in body["events"]] == ["Attendance 91%"]
    assert body["withheld"] == [
        {"reason": "no_agreement", "count": 1, "agreements": [], "purposes": []}
    ]
    assert "police_notification" not in response.content.decode()


def test_record_and_page_show_each_involvement_and_its_level_of_need(
    client: Client, setup: dict
) -> None:
    early_help = f.agency(AgencyType.EARLY_HELP, name="Early Help")
    f.involvement(setup["child"], early_help, level=2, description="Early help episode")
    f.involvement(setup["child"], f.agency(name="Charity"), description="Key work")  # not said
    client.force_login(setup["dsl"])
    body = client.get(f"/api/children/{setup['child'].child_id}").json()
    assert sorted((i["agency"], i["level"]) for i in body["involvements"]) == [
        ("Charity", None),
        ("Early Help", 2),
        ("Hill School", 1),
    ]
    page = client.get(f"/children/{setup['child'].child_id}/").content.decode()
    table = page.split('id="involvements"')[1].split("</table>")[0]
    assert "1: Universal" in table and "2: Early help" in table and "Not said" in table


def test_record_with_agreement_shows_shared_event(client: Client, setup: dict) -> None:
    f.agreement([setup["school"], setup["police"]], title="Encompass")
    client.force_login(setup["dsl"])
    body = client.get(f"/api/children/{setup['child'].child_id}").json()
    shared = [e for e in body["events"] if e["shared_under"] == "Encompass"]
    assert [e["event_type"] for e in shared] == ["police_notification"]


def test_purpose_outside_role_is_a_clear_400(client: Client, setup: dict) -> None:
    client.force_login(setup["dsl"])
    response = client.get(
        f"/api/children/{setup['child'].child_id}", {"purpose": Purpose.HEALTH_CARE}
    )
    assert response.status_code == 400
    assert "not one your role works under" in response.json()["detail"]


def test_stranger_gets_404(client: Client, setup: dict) -> None:
    client.force_login(setup["stranger"])
    assert client.get(f"/api/children/{setup['child'].child_id}").status_code == 404

"""The audit search: "who opened child C-XXXX's record last week" is one search; bad filters are
named, never a 500; the CSV export streams the same rows, safe from formula injection; searching
and exporting are audited."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.test import Client

from joinedup.access.audit import audit_record
from joinedup.access.children import access_child_by_id
from joinedup.governance.models import AgencyType, AuditEvent, Purpose, Role, StaffUser
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def area() -> dict:
    school = f.agency(AgencyType.SCHOOL, name="Moor School")
    child, other_child = f.child(), f.child()
    f.involvement(child, school)
    f.involvement(other_child, school)
    dsl = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school, username="dsl")
    StaffUser.objects.filter(pk=dsl.pk).update(first_name="Dana", last_name="Shore")
    dsl.refresh_from_db()
    ig = f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, f.agency(AgencyType.SOCIAL_CARE))
    return {"school": school, "child": child, "other": other_child, "dsl": dsl, "ig": ig}


def _open(viewer: StaffUser, child_id: str) -> None:
    access_child_by_id(viewer, child_id, purpose=Purpose.SAFEGUARDING)


def test_who_opened_a_childs_record_last_week(area: dict, client: Client) -> None:
    child_id = area["child"].child_id
    with time_machine.travel("2027-05-03 09:00 +01:00", tick=False):
        _open(area["dsl"], child_id)  # last week
    with time_machine.travel("2027-05-12 09:00 +01:00", tick=False):
        _open(area["dsl"], child_id)  # this week
        _open(area["dsl"], area["other"].child_id)
        client.force_login(area["ig"])
        response = client.get(
            "/governance/audit/",
            {
                "child_id": child_id.lower(),
                "from_day": "3", "from_month": "5", "from_year": "2027",
                "to_day": "9", "to_month": "5", "to_year": "2027",
            },
        )  # fmt: skip
    page = response.content.decode()
    results = page[page.index('id="audit-results"') :]
    assert results.count("children.view") == 1
    assert "3 May 2027 at 9am" in results
    assert "Dana Shore" in results and "Moor School" in results
    assert "Designated safeguarding lead" in results and "safeguarding" in results
    searched = AuditEvent.objects.get(action="audit.searched")
    assert searched.actor == area["ig"]
    assert searched.detail["filters"]["child_id"] == child_id
    assert searched.detail["filters"]["date_from"] == "2027-05-03"


def test_filters_by_staff_name_action_and_outcome(area: dict, client: Client) -> None:
    _open(area["dsl"], area["child"].child_id)
    stranger = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency(), username="stranger")
    with pytest.raises(Exception):  # noqa: B017 - the access layer's not-found
        _open(stranger, area["child"].child_id)
    client.force_login(area["ig"])
    by_name = client.get("/governance/audit/", {"staff": "shore", "action": "children.*"})
    assert by_name.content.decode().count("<code>children.view</code>") == 1
    denied = client.get("/governance/audit/", {"outcome": "denied"}).content.decode()
    assert "stranger" in denied and "Denied" in denied
    assert "Dana Shore" not in denied


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"child_id": "12345"}, "Child id must be C- followed by 8 letters and digits"),
        (
            {"from_day": "31", "from_month": "2", "from_year": "2027"},
            "Start date must be a real date",
        ),
        ({"from_day": "1", "from_month": "5"}, "Start date must include a year"),
        (
            {
                "from_day": "9",
                "from_month": "5",
                "from_year": "2027",
                "to_day": "1",
                "to_month": "5",
                "to_year": "2027",
            },
            "End date must be the same as or after the start date",
        ),  # fmt: skip
        ({"to_day": "1", "to_month": "1", "to_year": "99999"}, "Too many digits"),
        ({"page": "99999999999999999999999"}, "Page must be a whole number from 1 to 2000"),
        ({"page": "-3"}, "Page must be a whole number from 1 to 2000"),
        ({"action": "x" * 81}, "Action must be 80 characters or fewer"),
        ({"action": "drop table;"}, "Action must be words joined by dots"),
        ({"staff": "dana\x00"}, "Null characters are not allowed"),
        ({"agency": "not-a-number"}, "Select an agency from the list"),
    ],
)
def test_bad_filters_are_named_not_a_500(
    area: dict, client: Client, query: dict, message: str
) -> None:
    client.force_login(area["ig"])
    for url in ("/governance/audit/", "/governance/audit/export.csv"):
        response = client.get(url, query)
        assert response.status_code == 400
        page = response.content.decode()
        assert "govuk-error-summary" in page and message in page
    assert not AuditEvent.objects.filter(action__startswith="audit.").exists()


def test_pages_of_results(area: dict, client: Client) -> None:
    for _ in range(60):
        audit_record(actor=area["dsl"], action="children.view", child_ref=area["child"].child_id)
    client.force_login(area["ig"])
    query = {"child_id": area["child"].child_id}
    first = client.get("/governance/audit/", query).content.decode()
    assert "Entries 1 to 50" in first and 'rel="next"' in first
    second = client.get("/governance/audit/", {**query, "page": 2}).content.decode()
    assert "Entries 51 to 60" in second and 'rel="next"' not in second and 'rel="prev"' in second


def test_csv_export_streams_the_same_rows_safely(area: dict, client: Client) -> None:
    _open(area["dsl"], area["child"].child_id)
    StaffUser.objects.filter(pk=area["dsl"].pk).update(first_name="=HYPERLINK(1)", last_name="+x")
    audit_record(
        actor=area["dsl"],
        action="children.view",
        child_ref=area["child"].child_id,
        object_ref="@SUM(A1)",
    )
    _open(area["dsl"], area["other"].child_id)
    client.force_login(area["ig"])
    response = client.get("/governance/audit/export.csv", {"child_id": area["child"].child_id})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["sequence", "time", "username", "name"]
    body = rows[1:]
    assert len(body) == 2 and {r[7] for r in body} == {area["child"].child_id}
    assert all(r[3] == "'=HYPERLINK(1) +x" for r in body)
    assert body[0][9] == "'@SUM(A1)"
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.detail["filters"] == {"child_id": area["child"].child_id}


@pytest.mark.parametrize(
    "role", [r.value for r in Role if r != Role.INFORMATION_GOVERNANCE_OFFICER]
)
def test_audit_search_does_not_exist_for_other_roles(client: Client, role: str) -> None:
    client.force_login(f.staff(role, f.agency()))
    assert client.get("/governance/audit/", {"child_id": "C-23456789"}).status_code == 404
    assert client.get("/governance/audit/export.csv").status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="audit.").exists()

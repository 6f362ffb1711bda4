"""Agencies and teams: add, change, end and re-open, never deleted; refusals are named."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from joinedup.governance import admin_services
from joinedup.governance.models import Agency, AgencyType, AuditEvent, Role, StaffUser
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> StaffUser:
    return f.staff(Role.ADMINISTRATOR, f.agency(AgencyType.SOCIAL_CARE))


def test_add_change_end_and_reopen_an_agency(admin: StaffUser, client: Client) -> None:
    client.force_login(admin)
    response = client.post(
        "/administration/agencies/new/",
        {"agency_type": "school", "name": "Moor School", "code": "moor-school", "urn": "100001"},
    )
    agency = Agency.objects.get(code="moor-school")
    assert response["Location"] == f"/administration/agencies/{agency.pk}/"
    client.post(
        f"/administration/agencies/{agency.pk}/change/", {"name": "Moor Academy", "urn": "100002"}
    )
    client.post(f"/administration/agencies/{agency.pk}/end/")
    agency.refresh_from_db()
    assert (agency.name, agency.urn, agency.ended_on is not None) == (
        "Moor Academy",
        "100002",
        True,
    )
    ended = client.get("/administration/agencies/", {"status": "ended"}).content.decode()
    assert "Moor Academy" in ended
    assert (
        "Moor Academy"
        not in client.get("/administration/agencies/", {"status": "active"}).content.decode()
    )
    again = client.post(f"/administration/agencies/{agency.pk}/end/", follow=True)
    assert "has already ended" in again.content.decode()
    client.post(f"/administration/agencies/{agency.pk}/reopen/")
    agency.refresh_from_db()
    assert agency.ended_on is None
    actions = list(
        AuditEvent.objects.filter(object_ref="moor-school").values_list("action", flat=True)
    )
    assert actions == [
        "admin.agency_created",
        "admin.agency_changed",
        "admin.agency_ended",
        "admin.agency_reopened",
    ]
    changed = AuditEvent.objects.get(action="admin.agency_changed").detail
    assert (changed["before"]["name"], changed["after"]["name"]) == ("Moor School", "Moor Academy")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"code": "taken"}, "code", "already exists"),
        ({"code": "Bad Code"}, "code", "lower-case letters"),
        ({"urn": "12"}, "urn", "6 or 7 digits"),
        ({"agency_type": "police", "urn": "100001"}, "urn", "Only a school"),
        ({"agency_type": "school", "ods_code": "RX1"}, "ods_code", "Only a health agency"),
        ({"name": "Tab\there"}, "name", "control characters"),
        ({"name": "x" * 201}, "name", "200"),
    ],
)
def test_agency_refusals_name_the_field(
    admin: StaffUser, values: dict, field: str, message: str
) -> None:
    f.agency(AgencyType.SCHOOL, code="taken")
    kwargs = {"agency_type": "school", "code": "new-one", "name": "New One", **values}
    before = Agency.objects.count()
    with pytest.raises(ValidationError) as info:
        admin_services.agency_create(actor=admin, **kwargs)
    assert message in " ".join(info.value.message_dict[field])
    assert Agency.objects.count() == before


def test_duplicate_ods_code_refused_on_the_page(admin: StaffUser, client: Client) -> None:
    f.agency(AgencyType.HEALTH, ods_code="RX1")
    client.force_login(admin)
    page = client.post(
        "/administration/agencies/new/",
        {"agency_type": "health", "name": "Trust", "code": "trust", "ods_code": "rx1"},
    ).content.decode()
    assert "govuk-error-summary" in page and "Another agency already has ODS code RX1" in page


def test_teams_add_rename_end_reopen(admin: StaffUser, client: Client) -> None:
    police = f.agency(AgencyType.POLICE)
    client.force_login(admin)
    client.post(
        f"/administration/agencies/{police.pk}/teams/new/", {"name": "MASH", "code": "mash"}
    )
    team = police.teams.get(code="mash")
    duplicate = client.post(
        f"/administration/agencies/{police.pk}/teams/new/", {"name": "Other", "code": "mash"}
    ).content.decode()
    assert "already has a team with the code mash" in duplicate
    client.post(f"/administration/agencies/{police.pk}/teams/{team.pk}/", {"name": "Hub"})
    client.post(f"/administration/agencies/{police.pk}/teams/{team.pk}/end/")
    team.refresh_from_db()
    assert team.name == "Hub" and team.ended_on is not None
    client.post(f"/administration/agencies/{police.pk}/teams/{team.pk}/reopen/")
    team.refresh_from_db()
    assert team.ended_on is None
    # A team reached through another agency's path does not exist.
    other = f.agency(AgencyType.SCHOOL)
    assert client.get(f"/administration/agencies/{other.pk}/teams/{team.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action__startswith="admin.team_").count() == 4


def test_no_team_is_added_to_an_ended_agency(admin: StaffUser) -> None:
    agency = f.agency(AgencyType.POLICE)
    admin_services.agency_end(actor=admin, agency_id=agency.pk)
    with pytest.raises(ValidationError, match="re-open it"):
        admin_services.team_create(actor=admin, agency_id=agency.pk, code="t", name="T")


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.ADMINISTRATOR])
def test_agency_pages_do_not_exist_for_other_roles(client: Client, role: str) -> None:
    agency = f.agency()
    client.force_login(f.staff(role, agency))
    assert client.get("/administration/agencies/").status_code == 404
    assert client.post(f"/administration/agencies/{agency.pk}/end/").status_code == 404
    agency.refresh_from_db()
    assert agency.ended_on is None

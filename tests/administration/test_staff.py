"""Staff administration: add, search at scale, move, change role, disable (the person's live
session ends at once) and enable; every change audited with before and after."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from joinedup.governance import admin_services
from joinedup.governance.models import AgencyType, AuditEvent, Role, StaffUser
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> StaffUser:
    return f.staff(Role.ADMINISTRATOR, f.agency(AgencyType.SOCIAL_CARE), username="admin")


def _new(admin: StaffUser, **kw: object) -> StaffUser:
    school = kw.pop("agency", None) or f.agency(AgencyType.SCHOOL)
    values: dict = {
        "given_name": "Priya",
        "family_name": "Shah",
        "email": "priya.shah@example.org",
        "agency_id": school.pk,
        "role": Role.TEACHER,
    }
    values.update(kw)
    return admin_services.staff_create(actor=admin, **values)


def test_add_staff_username_defaults_to_email_and_is_audited(admin: StaffUser) -> None:
    member = _new(admin, staff_number="E123")
    assert member.username == "priya.shah@example.org"
    assert not member.has_usable_password()
    entry = AuditEvent.objects.get(action="admin.staff_created")
    assert entry.actor == admin and entry.object_ref == member.username
    assert entry.detail["before"] is None
    assert entry.detail["after"]["staff_number"] == "E123"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": "PRIYA.SHAH@example.org", "username": "other"}, "email", "already exists"),
        ({"email": "x@example.org", "username": "priya.shah@example.org"}, "username", "taken"),
        ({"email": "y@example.org", "username": "y", "staff_number": "E1"}, "staff_number", "E1"),
        (
            {"email": "z@example.org", "username": "z", "given_name": "Pri\x07ya"},
            "given_name",
            "control characters",
        ),
        (
            {"email": "w@example.org", "username": "w", "family_name": "S" * 151},
            "family_name",
            "150",
        ),
    ],
)
def test_add_staff_refusals_name_the_field(
    admin: StaffUser, change: dict, field: str, message: str
) -> None:
    _new(admin, staff_number="E1")
    before = StaffUser.objects.count()
    with pytest.raises(ValidationError) as info:
        _new(admin, **change)
    assert message in " ".join(info.value.message_dict[field])
    assert StaffUser.objects.count() == before


def test_a_team_must_belong_to_the_chosen_agency(admin: StaffUser) -> None:
    school, other = f.agency(AgencyType.SCHOOL), f.agency(AgencyType.SCHOOL)
    with pytest.raises(ValidationError) as info:
        _new(admin, agency=school, team_id=f.team(other).pk)
    assert "Choose a team of" in info.value.message_dict["team"][0]


def test_only_an_administrator_may_add_staff() -> None:
    ig = f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, f.agency())
    with pytest.raises(PermissionDenied):
        _new(ig)


def test_move_and_role_change_record_before_and_after(admin: StaffUser) -> None:
    member = _new(admin)
    health = f.agency(AgencyType.HEALTH)
    nursing = f.team(health)
    admin_services.staff_move(
        actor=admin, staff_id=member.pk, agency_id=health.pk, team_id=nursing.pk
    )
    admin_services.staff_role_change(actor=admin, staff_id=member.pk, role=Role.SCHOOL_NURSE)
    member.refresh_from_db()
    assert (member.agency, member.team, member.role) == (health, nursing, Role.SCHOOL_NURSE)
    moved = AuditEvent.objects.get(action="admin.staff_moved").detail
    assert moved["after"]["agency"] == health.code and moved["before"]["agency"] != health.code
    role = AuditEvent.objects.get(action="admin.staff_role_changed").detail
    assert (role["before"]["role"], role["after"]["role"]) == (Role.TEACHER, Role.SCHOOL_NURSE)


def test_disabling_ends_the_live_session_at_once(admin: StaffUser) -> None:
    school = f.agency(AgencyType.SCHOOL)
    member = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school)
    theirs, admins = Client(), Client()
    theirs.force_login(member)
    assert theirs.get("/").status_code == 200
    admins.force_login(admin)
    response = admins.post(f"/administration/staff/{member.pk}/disable/")
    assert response.status_code == 302
    # Their very next request finds no session: back to sign-in.
    after = theirs.get("/")
    assert after.status_code == 302 and after["Location"].startswith("/sign-in/")
    member.refresh_from_db()
    assert not member.is_active and member.disabled_at is not None
    entry = AuditEvent.objects.get(action="admin.staff_disabled")
    assert entry.detail["sessions_ended"] == 1
    assert (
        entry.detail["before"]["is_active"] is True and entry.detail["after"]["is_active"] is False
    )


def test_disabling_twice_is_a_clear_message_not_an_error(admin: StaffUser, client: Client) -> None:
    member = f.staff(Role.TEACHER, f.agency())
    client.force_login(admin)
    client.post(f"/administration/staff/{member.pk}/disable/")
    page = client.post(f"/administration/staff/{member.pk}/disable/", follow=True)
    assert page.status_code == 200
    assert "is already disabled" in page.content.decode()
    assert AuditEvent.objects.filter(action="admin.staff_disabled").count() == 1


def _signs_in(username: str) -> bool:
    """Sign in through the sign-in page (as a person does; axes sees the request)."""
    browser = Client()
    browser.post("/sign-in/", {"username": username, "password": f.PASSWORD})
    return "_auth_user_id" in browser.session


def test_enable_lets_them_sign_in_again(admin: StaffUser, client: Client) -> None:
    member = f.staff(Role.TEACHER, f.agency())
    admin_services.staff_disable(actor=admin, staff_id=member.pk)
    assert not _signs_in(member.username)
    admin_services.staff_enable(actor=admin, staff_id=member.pk)
    assert _signs_in(member.username)
    assert AuditEvent.objects.filter(action="admin.staff_enabled").count() == 1


def test_an_administrator_cannot_disable_themselves(admin: StaffUser) -> None:
    with pytest.raises(ValidationError, match="your own account"):
        admin_services.staff_disable(actor=admin, staff_id=admin.pk)


def test_staff_list_searches_filters_and_pages(admin: StaffUser, client: Client) -> None:
    school, police = f.agency(AgencyType.SCHOOL), f.agency(AgencyType.POLICE)
    for n in range(120):
        f.staff(Role.TEACHER, school, username=f"teacher{n:03}")
    officer = f.staff(Role.POLICE_SAFEGUARDING_OFFICER, police, username="pc")
    StaffUser.objects.filter(pk=officer.pk).update(last_name="Okonkwo")
    client.force_login(admin)
    found = client.get("/administration/staff/", {"q": "okonk"}).content.decode()
    assert "1 member of staff" in found and "pc" in found
    by_agency = client.get("/administration/staff/", {"agency": school.pk, "page": 3})
    text = by_agency.content.decode()
    assert "120 members of staff, showing 101 to 120" in text
    assert 'rel="prev"' in text and 'rel="next"' not in text
    too_far = client.get("/administration/staff/", {"agency": school.pk, "page": 9})
    assert "There are only 3 pages of results" in too_far.content.decode()
    absurd = client.get("/administration/staff/", {"page": "99999999999999999999"})
    assert absurd.status_code == 200
    assert "Page must be a whole number from 1 to 1000" in absurd.content.decode()


def test_add_staff_page_shows_errors_in_the_summary(admin: StaffUser, client: Client) -> None:
    school = f.agency(AgencyType.SCHOOL)
    other_team = f.team(f.agency(AgencyType.SCHOOL))
    client.force_login(admin)
    page = client.post(
        "/administration/staff/new/",
        {
            "given_name": "Ann",
            "family_name": "Lee\n",
            "email": "not-an-email",
            "agency": school.pk,
            "team": other_team.pk,
            "role": Role.TEACHER,
        },
    ).content.decode()
    assert "govuk-error-summary" in page
    assert "Enter an email address in the correct format" in page
    assert "is not a team of the agency chosen" in page
    assert not StaffUser.objects.filter(first_name="Ann").exists()
    done = client.post(
        "/administration/staff/new/",
        {
            "given_name": "Ann",
            "family_name": "Lee",
            "email": "ann.lee@example.org",
            "agency": school.pk,
            "role": Role.TEACHER,
            "staff_number": "S-9",
        },
    )
    member = StaffUser.objects.get(email="ann.lee@example.org")
    assert done["Location"] == f"/administration/staff/{member.pk}/"


def test_staff_page_shows_a_locked_sign_in(admin: StaffUser, client: Client) -> None:
    from django.conf import settings

    member = f.staff(Role.TEACHER, f.agency())
    stranger = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        stranger.post("/sign-in/", {"username": member.username, "password": "not-the-password"})
    client.force_login(admin)
    page = client.get(f"/administration/staff/{member.pk}/").content.decode()
    assert "Locked after failed attempts until" in page
    other = f.staff(Role.TEACHER, f.agency())
    page = client.get(f"/administration/staff/{other.pk}/").content.decode()
    assert "Not locked" in page


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.ADMINISTRATOR])
def test_staff_pages_do_not_exist_for_other_roles(client: Client, role: str) -> None:
    member = f.staff(Role.TEACHER, f.agency())
    client.force_login(f.staff(role, f.agency()))
    assert client.get("/administration/staff/").status_code == 404
    assert client.post(f"/administration/staff/{member.pk}/disable/").status_code == 404
    member.refresh_from_db()
    assert member.is_active

"""The administrator's sign-in page for one member of staff, and `joinedup signin`."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.governance.models import AuditEvent, Role
from joinedup.governance.second_factor import totp_device_confirm, totp_device_pending
from tests import factories as f
from tests.signin.test_second_factor import _code

pytestmark = pytest.mark.django_db


def _lock(username: str) -> None:
    locker = Client(REMOTE_ADDR="192.0.2.50")
    for _ in range(5):
        locker.post("/sign-in/", {"username": username, "password": "wrong-password"})


def _page(staff_id: int) -> str:
    return f"/administration/staff/{staff_id}/sign-in/"


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(f.staff(Role.ADMINISTRATOR, f.agency(), username="admin"))
    return client


@pytest.mark.parametrize(
    "role", [Role.DESIGNATED_SAFEGUARDING_LEAD, Role.INFORMATION_GOVERNANCE_OFFICER]
)
def test_only_an_administrator_sees_it(client: Client, role: str) -> None:
    person = f.staff(username="dana")
    client.force_login(f.staff(role, f.agency()))
    forbidden = client.get(_page(person.pk))
    missing = client.get(_page(999_999))
    assert forbidden.status_code == missing.status_code == 404
    assert client.post(_page(person.pk), {"action": "unlock"}).status_code == 404


def test_it_shows_a_lock_and_unlocks(admin_client: Client) -> None:
    dana = f.staff(username="dana")
    _lock("dana")
    page = admin_client.get(_page(dana.pk)).content.decode()
    assert "Locked after failed sign-ins, until" in page
    response = admin_client.post(_page(dana.pk), {"action": "unlock"})
    assert response.status_code == 302
    assert "Not locked" in admin_client.get(_page(dana.pk)).content.decode()
    assert (
        Client().post("/sign-in/", {"username": "dana", "password": f.PASSWORD}).status_code == 302
    )
    event = AuditEvent.objects.get(action="signin.unlocked")
    assert event.actor_username == "admin" and event.object_ref == "dana"


def test_reset_second_factor(admin_client: Client) -> None:
    dana = f.staff(username="dana")
    device = totp_device_pending(dana)
    assert totp_device_confirm(staff=dana, code=_code(device)) is not None
    assert (
        "Authenticator app set up; 10 recovery codes left"
        in admin_client.get(_page(dana.pk)).content.decode()
    )
    admin_client.post(_page(dana.pk), {"action": "reset-second-factor"})
    assert not TOTPDevice.objects.filter(user=dana).exists()
    assert AuditEvent.objects.filter(action="signin.second_factor_reset").count() == 1


def test_a_set_password_link_works_once(admin_client: Client, settings: Any) -> None:
    dana = f.staff(username="dana", email="dana@council.example")
    page = admin_client.post(_page(dana.pk), {"action": "password-link"}).content.decode()
    link = re.search(r'<code class="app-link">([^<]+)</code>', page)
    assert link is not None
    path = link.group(1).removeprefix(settings.SITE_URL.rstrip("/"))
    assert mail.outbox and link.group(1) in mail.outbox[0].body
    person = Client()
    assert "Set your password" in person.get(path).content.decode()
    weak = person.post(path, {"new_password1": "password", "new_password2": "password"})
    assert "govuk-error-summary" in weak.content.decode()
    new = "a-long-new-passphrase-for-dana"
    done = person.post(path, {"new_password1": new, "new_password2": new})
    assert "Your password is set" in done.content.decode()
    assert Client().post("/sign-in/", {"username": "dana", "password": new}).status_code == 302
    assert person.get(path).status_code == 404  # once only
    assert AuditEvent.objects.filter(action="signin.password_link_made").count() == 1


def test_a_forged_link_is_refused(client: Client) -> None:
    dana = f.staff(username="dana")
    assert client.get(f"/sign-in/set-password/{dana.pk}/made-up-token/").status_code == 404
    assert client.get("/sign-in/set-password/%FF%00/x/").status_code == 404


def test_the_command_gives_the_first_administrator_a_password() -> None:
    f.staff(Role.ADMINISTRATOR, username="first-admin")
    out = StringIO()
    call_command("signin", "password-link", "first-admin", stdout=out)
    link = out.getvalue().strip().splitlines()[-1]
    assert "/sign-in/set-password/" in link
    event = AuditEvent.objects.get(action="signin.password_link_made")
    assert event.actor_username == "system"


def test_the_command_unlocks() -> None:
    f.staff(username="dana")
    _lock("dana")
    out = StringIO()
    call_command("signin", "unlock", "dana", stdout=out)
    assert "dana unlocked" in out.getvalue()
    assert (
        Client().post("/sign-in/", {"username": "dana", "password": f.PASSWORD}).status_code == 302
    )


def test_the_command_names_an_unknown_username() -> None:
    with pytest.raises(CommandError, match="No member of staff has the username 'nobody'"):
        call_command("signin", "reset-second-factor", "nobody")

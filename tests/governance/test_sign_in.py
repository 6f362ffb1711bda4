"""Sign-in, lockout after repeated failures, and session lifetimes."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.governance.middleware import SIGNED_IN_AT
from joinedup.governance.models import Role, StaffUser
from tests import factories as f

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str) -> object:
    return client.post("/sign-in/", {"username": username, "password": password})


def test_sign_in_and_home(client: Client) -> None:
    user = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency(), username="dana")
    response = _sign_in(client, "dana", f.PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    home = client.get("/")
    assert home.status_code == 200
    assert user.get_role_display() in home.content.decode()


def test_wrong_password_is_a_clear_error(client: Client) -> None:
    f.staff(username="dana")
    response = _sign_in(client, "dana", "wrong-password")
    assert "Enter a correct username and password." in response.content.decode()  # type: ignore[attr-defined]


def test_account_locks_after_five_failures(client: Client, settings: object) -> None:
    f.staff(username="dana")
    for _ in range(5):
        _sign_in(client, "dana", "wrong-password")
    locked = StaffUser.objects.get(username="dana")
    assert locked.locked_until is not None and locked.locked_until > timezone.now()
    # Even the right password is refused while locked.
    response = _sign_in(client, "dana", f.PASSWORD)
    assert "This account is locked" in response.content.decode()  # type: ignore[attr-defined]
    assert client.get("/").status_code == 302


def test_lock_expires(client: Client) -> None:
    user = f.staff(username="dana")
    user.locked_until = timezone.now() - timedelta(seconds=1)
    user.save()
    assert _sign_in(client, "dana", f.PASSWORD).status_code == 302  # type: ignore[attr-defined]
    assert client.get("/").status_code == 200


def test_four_failures_then_success_resets_the_count(client: Client) -> None:
    f.staff(username="dana")
    for _ in range(4):
        _sign_in(client, "dana", "wrong-password")
    _sign_in(client, "dana", f.PASSWORD)
    assert StaffUser.objects.get(username="dana").failed_login_count == 0


def test_idle_expiry_is_fifteen_minutes(settings: object) -> None:
    assert settings.SESSION_COOKIE_AGE == 15 * 60  # type: ignore[attr-defined]
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # type: ignore[attr-defined]


def test_idle_session_is_signed_out(client: Client) -> None:
    f.staff(username="dana")
    _sign_in(client, "dana", f.PASSWORD)
    session = client.session
    session.set_expiry(timezone.now() - timedelta(seconds=1))
    session.save()
    assert client.get("/").status_code == 302


def test_session_ends_twelve_hours_after_sign_in(client: Client) -> None:
    f.staff(username="dana")
    _sign_in(client, "dana", f.PASSWORD)
    assert client.get("/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 60 * 60 - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_sign_out_is_a_post(client: Client) -> None:
    f.staff(username="dana")
    _sign_in(client, "dana", f.PASSWORD)
    client.post("/sign-out/")
    assert client.get("/").status_code == 302

"""Password sign-in, lockout after repeated failures (django-axes), and session lifetimes."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from joinedup.governance.middleware import SIGNED_IN_AT
from joinedup.governance.models import AuditEvent, Role
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


def _locked(response: object) -> bool:
    return response.status_code == 429 and "Sign-in is locked" in response.content.decode()  # type: ignore[attr-defined]


def test_account_locks_after_five_failures(client: Client) -> None:
    f.staff(username="dana")
    for _ in range(4):
        assert not _locked(_sign_in(client, "dana", "wrong-password"))
    assert _locked(_sign_in(client, "dana", "wrong-password"))
    # Even the right password is refused while locked, and the page says until when.
    response = _sign_in(client, "dana", f.PASSWORD)
    assert _locked(response)
    assert "Try again after" in response.content.decode()  # type: ignore[attr-defined]
    assert "ask your administrator to unlock" in response.content.decode()  # type: ignore[attr-defined]
    assert client.get("/").status_code == 302


def test_a_lock_is_per_username(client: Client) -> None:
    f.staff(username="dana")
    f.staff(username="sam")
    for _ in range(5):
        _sign_in(client, "dana", "wrong-password")
    # Another person signs in from elsewhere (only dana's name has failed).
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert _sign_in(other, "sam", f.PASSWORD).status_code == 302  # type: ignore[attr-defined]
    assert _locked(_sign_in(Client(REMOTE_ADDR="192.0.2.7"), "dana", f.PASSWORD))


def test_one_address_trying_many_usernames_is_locked(client: Client) -> None:
    f.staff(username="dana")
    for name in ("amy", "ben", "cal", "dee", "eve"):
        _sign_in(client, name, "Summer2026!")
    # The right password for a real account is now refused from that address...
    assert _locked(_sign_in(client, "dana", f.PASSWORD))
    # ...but not from another.
    other = Client(REMOTE_ADDR="192.0.2.8")
    assert _sign_in(other, "dana", f.PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_lock_expires(client: Client) -> None:
    f.staff(username="dana")
    with time_machine.travel(timezone.now() - timedelta(minutes=16), tick=False):
        for _ in range(5):
            _sign_in(client, "dana", "wrong-password")
        assert _locked(_sign_in(client, "dana", f.PASSWORD))
    assert _sign_in(client, "dana", f.PASSWORD).status_code == 302  # type: ignore[attr-defined]
    assert client.get("/").status_code == 200


def test_four_failures_then_success_resets_the_count(client: Client) -> None:
    f.staff(username="dana")
    for _ in range(4):
        _sign_in(client, "dana", "wrong-password")
    _sign_in(client, "dana", f.PASSWORD)
    client.post("/sign-out/")
    # Four more failures do not lock: the count started again.
    for _ in range(4):
        assert not _locked(_sign_in(client, "dana", "wrong-password"))


def test_failed_sign_ins_are_audited(client: Client) -> None:
    f.staff(username="dana")
    _sign_in(client, "dana", "wrong-password")
    event = AuditEvent.objects.get(action="signin.failed")
    assert event.detail["username"] == "dana"
    assert event.detail["ip_address"] == "127.0.0.1"
    assert "wrong-password" not in str(event.detail)


def test_a_password_sign_in_is_audited(client: Client) -> None:
    dana = f.staff(username="dana")
    _sign_in(client, "dana", f.PASSWORD)
    event = AuditEvent.objects.get(action="signin.succeeded")
    assert event.actor_id == dana.pk and event.detail["method"] == "password"


def test_behind_a_proxy_the_forwarded_address_is_locked(client: Client, settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    f.staff(username="dana")
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for name in ("amy", "ben", "cal", "dee", "eve"):
        client.post("/sign-in/", {"username": name, "password": "x"}, **attacker)
    assert _locked(
        client.post("/sign-in/", {"username": "dana", "password": f.PASSWORD}, **attacker)
    )
    # Another client through the same proxy is not.
    colleague = {"HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    response = Client().post("/sign-in/", {"username": "dana", "password": f.PASSWORD}, **colleague)
    assert response.status_code == 302


def test_without_a_proxy_a_forged_header_changes_nothing(client: Client) -> None:
    f.staff(username="dana")
    for n, name in enumerate(("amy", "ben", "cal", "dee", "eve")):
        client.post(
            "/sign-in/", {"username": name, "password": "x"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        )
    assert _locked(_sign_in(client, "dana", f.PASSWORD))


def test_password_sign_in_can_be_turned_off(client: Client, settings: object) -> None:
    settings.PASSWORD_SIGN_IN = False  # type: ignore[attr-defined]
    f.staff(username="dana")
    assert 'name="password"' not in client.get("/sign-in/").content.decode()
    assert _sign_in(client, "dana", f.PASSWORD).status_code == 404  # type: ignore[attr-defined]
    assert client.get("/").status_code == 302


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

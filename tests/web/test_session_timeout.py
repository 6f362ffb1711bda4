"""The warning before the idle sign-out: its dialog on signed-in pages only, the keep-alive
endpoint behind it (sign-in, POST only, CSRF) and the signed-out page it lands on."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from joinedup.governance.models import AgencyType, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

KEEP_ALIVE = "/session/keep-alive/"
MOMENT = datetime(2026, 6, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def teacher() -> object:
    return f.staff(Role.TEACHER, f.agency(AgencyType.SCHOOL))


def _csrf_token(client: Client) -> str:
    page = client.get("/").content.decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match
    return match[1]


def test_signed_in_pages_carry_the_warning_with_the_idle_length(
    client: Client, teacher: object, settings: object
) -> None:
    settings.SESSION_COOKIE_AGE = 900  # type: ignore[attr-defined]
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 120  # type: ignore[attr-defined]
    client.force_login(teacher)  # type: ignore[arg-type]
    page = client.get("/").content.decode()
    assert 'data-idle-seconds="900"' in page
    assert 'data-warning-seconds="120"' in page
    assert 'data-keep-alive-url="/session/keep-alive/"' in page
    assert "joinedup/timeout.js" in page


def test_pages_without_a_signed_in_person_have_no_warning(client: Client) -> None:
    for path in ("/sign-in/", "/accessibility/", "/signed-out/"):
        page = client.get(path).content.decode()
        assert "app-timeout-dialog" not in page
        assert "timeout.js" not in page


def test_keep_alive_needs_sign_in(client: Client) -> None:
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_keep_alive_answers_post_only(client: Client, teacher: object) -> None:
    client.force_login(teacher)  # type: ignore[arg-type]
    assert client.get(KEEP_ALIVE).status_code == 405


def test_keep_alive_needs_the_csrf_token(teacher: object) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)  # type: ignore[arg-type]
    assert client.post(KEEP_ALIVE).status_code == 403
    token = _csrf_token(client)
    response = client.post(KEEP_ALIVE, headers={"X-CSRFToken": token})
    assert response.status_code == 204
    assert response.content == b""


def test_keep_alive_renews_the_idle_time(client: Client, teacher: object) -> None:
    with time_machine.travel(MOMENT, tick=False) as clock:
        client.force_login(teacher)  # type: ignore[arg-type]
        client.get("/")
        clock.shift(timedelta(minutes=14))
        assert client.post(KEEP_ALIVE).status_code == 204
        clock.shift(timedelta(minutes=14))  # 28 minutes after the page, 14 after staying
        assert client.get("/access-history/").status_code == 200


def test_without_keep_alive_the_session_ends_after_the_idle_time(
    client: Client, teacher: object
) -> None:
    with time_machine.travel(MOMENT, tick=False) as clock:
        client.force_login(teacher)  # type: ignore[arg-type]
        client.get("/")
        clock.shift(timedelta(minutes=16))
        response = client.post(KEEP_ALIVE)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


def test_the_signed_out_page_signs_out_on_post_and_says_why(
    client: Client, teacher: object
) -> None:
    client.force_login(teacher)  # type: ignore[arg-type]
    assert client.get("/signed-out/")["Location"] == "/"  # still signed in: nothing to say
    response = client.post("/signed-out/", follow=True)
    assert response.redirect_chain == [("/signed-out/", 302)]
    assert "we signed you out" in response.content.decode()
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_the_signed_out_page_answers_after_the_session_has_gone(client: Client) -> None:
    response = client.post("/signed-out/")
    assert response.status_code == 302
    assert response["Location"] == "/signed-out/"


def test_the_signed_out_page_needs_the_csrf_token(teacher: object) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)  # type: ignore[arg-type]
    assert client.post("/signed-out/").status_code == 403
    assert client.get("/").status_code == 200  # a forged request signs no one out


def test_a_signed_in_person_keeps_navigation_and_warning_on_the_public_pages(
    client: Client, teacher: object
) -> None:
    client.force_login(teacher)  # type: ignore[arg-type]
    for path in ("/accessibility/", "/privacy/", "/cookies/"):
        page = client.get(path).content.decode()
        assert "Your access history" in page
        assert 'id="app-timeout-dialog"' in page

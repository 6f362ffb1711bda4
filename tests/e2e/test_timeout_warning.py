"""The warning before the idle sign-out, in a real browser: the dialog opens before the time
runs out, takes focus and passes axe-core; "Stay signed in" keeps the session past its first
expiry; left alone, the page lands on the signed-out page (WCAG 2.2.1 Timing Adjustable)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from joinedup.governance.models import AgencyType, Role
from tests import factories as f
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

FOCUS_IN_DIALOG = "document.activeElement?.closest('#app-timeout-dialog') !== null"


@pytest.fixture
def teacher() -> Any:
    return f.staff(Role.TEACHER, f.agency(AgencyType.SCHOOL), username="teacher")


def _sign_in(page: Any, base: str) -> float:
    """Sign in; return when the home page (and so the session's idle time) began."""
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill("teacher")
    page.locator("#id_password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    return time.monotonic()


def test_stay_signed_in_keeps_the_session_past_its_first_expiry(
    page: Any, live_server: Any, settings: Any, teacher: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 10
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 7
    base = live_server.url
    started = _sign_in(page, base)
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    dialog.wait_for(state="visible", timeout=8_000)
    assert page.evaluate(FOCUS_IN_DIALOG)
    assert "we will sign you out in" in dialog.inner_text()
    assert axe_violations(page) == []
    dialog.get_by_role("button", name="Stay signed in").click()
    dialog.wait_for(state="hidden")
    # Past the first expiry (10 seconds after the page), within the renewed one.
    time.sleep(max(0.0, started + 11 - time.monotonic()))
    page.goto(f"{base}/access-history/")
    assert page.url == f"{base}/access-history/"
    assert page.get_by_role("heading", name="Your access history").is_visible()


def test_escape_means_stay_signed_in(
    page: Any, live_server: Any, settings: Any, teacher: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 10
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 7
    base = live_server.url
    started = _sign_in(page, base)
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    dialog.wait_for(state="visible", timeout=8_000)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    time.sleep(max(0.0, started + 11 - time.monotonic()))
    page.goto(f"{base}/access-history/")
    assert page.url == f"{base}/access-history/"


def test_left_alone_the_page_signs_out_and_says_why(
    page: Any, live_server: Any, settings: Any, teacher: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 4
    base = live_server.url
    _sign_in(page, base)
    page.get_by_role("dialog", name="You’re about to be signed out").wait_for(
        state="visible", timeout=6_000
    )
    page.wait_for_url(f"{base}/signed-out/", timeout=10_000)
    assert page.get_by_role("heading", name="For your security, we signed you out").is_visible()
    assert axe_violations(page) == []
    page.goto(f"{base}/")
    assert "/sign-in/" in page.url


def test_staying_signed_in_in_one_tab_closes_the_warning_in_another(
    page: Any, live_server: Any, settings: Any, teacher: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 10
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 7
    base = live_server.url
    _sign_in(page, base)
    other = page.context.new_page()
    other.goto(f"{base}/access-history/")
    name = "You’re about to be signed out"
    page.get_by_role("dialog", name=name).wait_for(state="visible", timeout=8_000)
    other_dialog = other.get_by_role("dialog", name=name)
    other_dialog.wait_for(state="visible", timeout=8_000)
    other_dialog.get_by_role("button", name="Stay signed in").click()
    page.get_by_role("dialog", name=name).wait_for(state="hidden", timeout=3_000)
    assert page.url == f"{base}/"

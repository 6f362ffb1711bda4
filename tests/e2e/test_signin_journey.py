"""Signing in in a real browser: single sign-on through the live test provider, and setting up
an authenticator app; every page checked with axe."""

from __future__ import annotations

import re
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import totp

from joinedup.governance.models import Role
from tests import factories as f
from tests.e2e.conftest import axe_violations
from tests.oidc_provider import TestProvider
from tests.signin.conftest import live_provider, oidc  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_single_sign_on_in_a_browser(page: Any, live_server: Any, oidc: TestProvider) -> None:  # noqa: F811
    f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency(), email="dana@council.example")
    oidc.claims = {"email": "dana@council.example", "email_verified": True}
    page.goto(f"{live_server.url}/sign-in/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign in with Joinedup Borough Council").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).count() >= 1
    assert "/sign-in/" not in page.url


def test_a_refusal_is_a_clear_page(page: Any, live_server: Any, oidc: TestProvider) -> None:  # noqa: F811
    oidc.claims = {"email": "nobody@council.example", "email_verified": True}
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("button", name="Sign in with Joinedup Borough Council").click()
    page.wait_for_url(re.compile(r".*/callback/.*"))
    assert page.get_by_role("heading", name="You cannot sign in").is_visible()
    assert "Your account is not set up in joinedup" in page.content()
    assert axe_violations(page) == []


def test_setting_up_an_authenticator_app(page: Any, live_server: Any, settings: Any) -> None:
    settings.REQUIRE_SECOND_FACTOR = True
    f.staff(username="dana")
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("dana")
    page.locator("#id_password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/sign-in/second-factor/set-up/")
    assert axe_violations(page) == []
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("code.app-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_role("textbox", name="Code").fill("12345x")
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("textbox", name="Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/sign-in/second-factor/recovery-codes/")
    assert page.locator("ul.govuk-list code").count() == 10
    assert axe_violations(page) == []
    page.get_by_role("button", name="Continue to joinedup").click()
    page.wait_for_url(f"{live_server.url}/")

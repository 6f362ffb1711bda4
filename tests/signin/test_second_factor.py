"""Password sign-in with a second factor: an authenticator app (TOTP) and recovery codes."""

from __future__ import annotations

import re
from base64 import b32decode
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.governance.models import AuditEvent, StaffUser
from joinedup.governance.second_factor import totp_device_confirm, totp_device_pending
from tests import factories as f
from tests.governance.test_settings import PRODUCTION_ENV, _run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_required(settings: Any) -> None:
    settings.REQUIRE_SECOND_FACTOR = True


def _code(device: TOTPDevice, *, later: int = 0) -> str:
    return f"{totp(device.bin_key, t0=-later * 30):06d}"


def _password(client: Client, username: str = "dana") -> Any:
    return client.post("/sign-in/", {"username": username, "password": f.PASSWORD})


def _set_up(staff: StaffUser) -> tuple[TOTPDevice, list[str]]:
    device = totp_device_pending(staff)
    codes = totp_device_confirm(staff=staff, code=_code(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def test_production_always_requires_the_second_factor() -> None:
    env = {**PRODUCTION_ENV, "JOINEDUP_REQUIRE_SECOND_FACTOR": "false"}
    result = _run(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.REQUIRE_SECOND_FACTOR)",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_after_the_password_nothing_else_is_reached(client: Client) -> None:
    staff = f.staff(username="dana")
    _set_up(staff)
    assert _password(client).status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/sign-in/second-factor/"
    assert client.get("/children/")["Location"] == "/sign-in/second-factor/"
    assert client.get("/api/children/").status_code == 401


def test_the_right_code_lets_them_in(client: Client) -> None:
    staff = f.staff(username="dana")
    device, _ = _set_up(staff)
    _password(client)
    response = client.post("/sign-in/second-factor/", {"code": _code(device, later=1)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="signin.second_factor_verified").count() == 1


def test_a_wrong_code_is_refused(client: Client) -> None:
    staff = f.staff(username="dana")
    device, _ = _set_up(staff)
    _password(client)
    wrong = f"{(int(_code(device, later=1)) + 1) % 1_000_000:06d}"
    response = client.post("/sign-in/second-factor/", {"code": wrong})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="signin.second_factor_failed").count() == 1


def test_a_recovery_code_works_once(client: Client) -> None:
    staff = f.staff(username="dana")
    _, codes = _set_up(staff)
    _password(client)
    assert client.post("/sign-in/second-factor/", {"code": codes[0].upper()}).status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=staff).count() == 9
    client.post("/sign-out/")
    _password(client)
    again = client.post("/sign-in/second-factor/", {"code": codes[0]})
    assert again.status_code == 200 and "has been used" in again.content.decode()
    assert client.get("/").status_code == 302


def test_someone_without_an_app_sets_one_up(client: Client) -> None:
    staff = f.staff(username="dana")
    _password(client)
    assert client.get("/")["Location"] == "/sign-in/second-factor/"
    assert client.get("/sign-in/second-factor/")["Location"] == "/sign-in/second-factor/set-up/"
    page = client.get("/sign-in/second-factor/set-up/").content.decode()
    assert "<svg" in page  # the QR code, inline
    secret = re.search(r'<code class="app-secret">([A-Z2-7 ]+)</code>', page)
    assert secret is not None
    key = b32decode(
        secret.group(1).replace(" ", "") + "=" * (-len(secret.group(1).replace(" ", "")) % 8)
    )
    # A wrong code first: nothing is set up.
    bad = client.post("/sign-in/second-factor/set-up/", {"code": "12345x"})
    assert "The code is not right" in bad.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    done = client.post("/sign-in/second-factor/set-up/", {"code": f"{totp(key):06d}"})
    assert done["Location"] == "/sign-in/second-factor/recovery-codes/"
    codes_page = client.get("/sign-in/second-factor/recovery-codes/").content.decode()
    shown = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page)
    assert len(shown) == 10
    assert set(shown) == set(
        StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)
    )
    # Shown once only.
    assert client.get("/sign-in/second-factor/recovery-codes/")["Location"] == "/"
    assert client.get("/").status_code == 200


def test_set_up_cannot_replace_an_app_before_it_is_used(client: Client) -> None:
    staff = f.staff(username="dana")
    _set_up(staff)
    _password(client)
    assert client.get("/sign-in/second-factor/set-up/")["Location"] == "/sign-in/second-factor/"


def test_single_sign_on_does_not_ask_for_the_code(client: Client, oidc: Any) -> None:
    from tests.signin.conftest import oidc_sign_in

    f.staff(email="dana@council.example")
    oidc.claims = {"email": "dana@council.example", "email_verified": True}
    assert oidc_sign_in(client).status_code == 302  # type: ignore[attr-defined]
    assert client.get("/").status_code == 200

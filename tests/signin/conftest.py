"""A live OpenID Connect provider (tests/oidc_provider.py) and joinedup configured to use it."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from django.test import Client

from joinedup.config.oidc import providers_parse
from tests.oidc_provider import TestProvider

CLIENTS = {
    "council": ("joinedup-council", "council-secret"),
    "trust": ("joinedup-trust", "trust-secret"),
}


@pytest.fixture(scope="session")
def live_provider() -> Iterator[TestProvider]:
    provider = TestProvider()
    for client_id, secret in CLIENTS.values():
        provider.client_add(client_id, secret)
    provider.start()
    yield provider
    provider.stop()


def providers_toml(issuer: str, *, trust_agencies: str = "") -> str:
    """Two providers on the one live server, each its own client: a council (any agency) and
    a school trust (only the agencies listed)."""
    return f"""
[providers.council]
label = "Joinedup Borough Council"
discovery_url = "{issuer}/.well-known/openid-configuration"
client_id = "{CLIENTS["council"][0]}"
client_secret_env = "COUNCIL_SECRET"

[providers.trust]
label = "Joinedup Schools Trust"
discovery_url = "{issuer}/.well-known/openid-configuration"
client_id = "{CLIENTS["trust"][0]}"
client_secret_env = "TRUST_SECRET"
staff_claim = "preferred_username"
match_on = "username"
agencies = [{trust_agencies}]
"""


@pytest.fixture
def oidc(live_provider: TestProvider, settings: pytest.FixtureRequest) -> Iterator[TestProvider]:
    """The live provider with every knob reset, and joinedup configured for it."""
    live_provider.reset()
    settings.OIDC_PROVIDERS = providers_parse(  # type: ignore[attr-defined]
        providers_toml(live_provider.issuer, trust_agencies='"trust-school"'),
        source="test",
        environ={"COUNCIL_SECRET": CLIENTS["council"][1], "TRUST_SECRET": CLIENTS["trust"][1]},
        loopback_http=True,
    )
    yield live_provider
    live_provider.reset()


def oidc_sign_in(client: Client, provider_key: str = "council") -> object:
    """Drive a whole sign-in: joinedup sends the browser to the provider, the provider (over
    real HTTP) sends it back with a code, and joinedup's answer to that callback is returned."""
    start = client.get(f"/sign-in/oidc/{provider_key}/")
    assert start.status_code == 302, start.content
    to = urlsplit(start["Location"])
    connection = http.client.HTTPConnection(to.hostname or "", to.port, timeout=10)
    connection.request("GET", f"{to.path}?{to.query}")
    at_provider = connection.getresponse()
    assert at_provider.status == 302, at_provider.read()
    back = urlsplit(at_provider.getheader("Location") or "")
    connection.close()
    assert back.netloc == "testserver"
    return client.get(f"{back.path}?{back.query}")

"""The identity provider file: the documented example loads, and a mistake is a start-up error
naming the provider and the setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from joinedup.config.oidc import providers_load, providers_parse

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "oidc.toml"
SECRETS = {"JOINEDUP_OIDC_COUNCIL_SECRET": "a", "JOINEDUP_OIDC_TRUST_SECRET": "b"}
GOOD = """
[providers.council]
label = "Council"
discovery_url = "https://idp.example/.well-known/openid-configuration"
client_id = "joinedup"
client_secret_env = "SECRET"
"""


def test_the_documented_example_loads() -> None:
    council, trust = providers_load(EXAMPLE, environ=SECRETS)
    assert council.button_text == "Sign in with Joinedup Borough Council"
    assert council.staff_claim == "preferred_username" and council.match_on == "email"
    assert council.client_secret == "a" and council.agencies == ()
    assert trust.match_on == "username" and trust.agencies == ("hill-primary", "brook-academy")


def test_defaults() -> None:
    (provider,) = providers_parse(GOOD, source="f.toml", environ={"SECRET": "s"})
    assert provider.scopes == ("openid", "email", "profile")
    assert provider.staff_claim == "email" and provider.match_on == "email"


@pytest.mark.parametrize(
    ("change", "names"),
    [
        (('client_secret_env = "SECRET"', 'client_secret_env = "UNSET"'), "client_secret_env"),
        (('client_id = "joinedup"', ""), "client_id"),
        (("https://idp.example", "http://idp.example"), "discovery_url"),
        (("/.well-known/openid-configuration", "/authorize"), "discovery_url"),
        (('label = "Council"', 'label = "Council"\nscopes = ["email"]'), "scopes"),
        (('label = "Council"', 'label = "Council"\nmatch_on = "phone"'), "match_on"),
        (('label = "Council"', 'label = "Council"\nagencies = "all"'), "agencies"),
        (('label = "Council"', 'label = "Council"\nclient_secret = "x"'), "client_secret"),
        (('label = "Council"', 'label = "Coun\\u0007cil"'), "label"),
    ],
)
def test_a_mistake_names_the_provider_and_the_setting(change: tuple[str, str], names: str) -> None:
    text = GOOD.replace(*change)
    with pytest.raises(ImproperlyConfigured, match=f"provider 'council', {names}"):
        providers_parse(text, source="f.toml", environ={"SECRET": "s"})


def test_http_is_only_for_this_machine_outside_production() -> None:
    text = GOOD.replace("https://idp.example", "http://127.0.0.1:8080")
    with pytest.raises(ImproperlyConfigured, match="https"):
        providers_parse(text, source="f.toml", environ={"SECRET": "s"})
    assert providers_parse(text, source="f.toml", environ={"SECRET": "s"}, loopback_http=True)


def test_not_toml_and_no_providers_are_named() -> None:
    with pytest.raises(ImproperlyConfigured, match="f.toml: not valid TOML"):
        providers_parse("[providers", source="f.toml", environ={})
    with pytest.raises(ImproperlyConfigured, match="at least one"):
        providers_parse("", source="f.toml", environ={})
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        providers_load(Path("/nonexistent/oidc.toml"), environ={})


def test_joinedup_refuses_to_start_with_a_bad_provider_file(tmp_path: Path) -> None:
    from tests.governance.test_settings import _run

    bad = tmp_path / "oidc.toml"
    bad.write_text(GOOD.replace('client_secret_env = "SECRET"', ""), encoding="utf-8")
    result = _run("check", env={"JOINEDUP_ENV": "test", "JOINEDUP_OIDC_PROVIDERS": str(bad)})
    assert result.returncode != 0
    assert "provider 'council', client_secret_env" in result.stderr

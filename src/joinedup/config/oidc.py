"""The identity providers staff sign in through (OpenID Connect), from a TOML file.

`JOINEDUP_OIDC_PROVIDERS` names the file (docs/sign-in.md; docs/examples/oidc.toml). Each
`[providers.<key>]` table is one provider. A client secret is never written in the file: it
names the environment variable that holds it (`client_secret_env`), and `joinedup.config.env`
hands the environment in. Anything wrong is a start-up error naming the provider and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Claims that hold an email address are matched to a member of staff's email; the others
# (Entra ID's `upn`, or `preferred_username` when it is not an address) to their username.
MATCH_ON = ("email", "username")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,99}$")
_CLAIM = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$")
_KNOWN = {
    "label",
    "discovery_url",
    "client_id",
    "client_secret_env",
    "scopes",
    "staff_claim",
    "match_on",
    "agencies",
}


@dataclass(frozen=True)
class OidcProvider:
    key: str
    label: str
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    staff_claim: str
    match_on: str
    # Agency codes whose staff may sign in through this provider; empty: any agency.
    agencies: tuple[str, ...]

    @property
    def button_text(self) -> str:
        return f"Sign in with {self.label}"


def _fail(source: str, key: str, field: str, why: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"{source}: provider {key!r}, {field}: {why}")


def _text(table: Mapping[str, Any], field: str, *, source: str, key: str, limit: int) -> str:
    value = table.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, key, field, "is required and must be text")
    if len(value) > limit or any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise _fail(source, key, field, f"must be at most {limit} printable characters")
    return value.strip()


def provider_parse(
    key: str,
    table: Mapping[str, Any],
    *,
    source: str,
    environ: Mapping[str, str],
    loopback_http: bool = False,
) -> OidcProvider:
    if not _KEY.match(key):
        raise _fail(source, key, "key", "must be lower-case letters, digits and hyphens")
    if not isinstance(table, Mapping):
        raise _fail(source, key, "table", "must be a table of settings")
    unknown = sorted(set(table) - _KNOWN)
    if unknown:
        raise _fail(
            source, key, unknown[0], f"is not a setting (known: {', '.join(sorted(_KNOWN))})"
        )
    label = _text(table, "label", source=source, key=key, limit=100)
    url = _text(table, "discovery_url", source=source, key=key, limit=500)
    loopback = url.startswith(("http://127.0.0.1:", "http://localhost:"))
    if not url.startswith("https://") and not (loopback_http and loopback):
        raise _fail(source, key, "discovery_url", "must be an https:// address")
    if not url.endswith("/.well-known/openid-configuration"):
        raise _fail(source, key, "discovery_url", "must end /.well-known/openid-configuration")
    client_id = _text(table, "client_id", source=source, key=key, limit=200)
    secret_env = _text(table, "client_secret_env", source=source, key=key, limit=100)
    if not _ENV_NAME.match(secret_env):
        raise _fail(source, key, "client_secret_env", "must name an environment variable")
    secret = environ.get(secret_env, "")
    if not secret:
        raise _fail(source, key, "client_secret_env", f"environment variable {secret_env} is unset")
    scopes = table.get("scopes", ["openid", "email", "profile"])
    if not isinstance(scopes, list) or not all(isinstance(s, str) and s for s in scopes):
        raise _fail(source, key, "scopes", "must be a list of scope names")
    if "openid" not in scopes:
        raise _fail(source, key, "scopes", "must include openid")
    claim = table.get("staff_claim", "email")
    if not isinstance(claim, str) or not _CLAIM.match(claim):
        raise _fail(source, key, "staff_claim", "must be a claim name such as email or upn")
    match_on = table.get("match_on", "email" if claim == "email" else "username")
    if match_on not in MATCH_ON:
        raise _fail(source, key, "match_on", "must be email or username")
    agencies = table.get("agencies", [])
    if not isinstance(agencies, list) or not all(isinstance(a, str) and a for a in agencies):
        raise _fail(source, key, "agencies", "must be a list of agency codes")
    return OidcProvider(
        key=key,
        label=label,
        discovery_url=url,
        client_id=client_id,
        client_secret=secret,
        scopes=tuple(scopes),
        staff_claim=claim,
        match_on=match_on,
        agencies=tuple(agencies),
    )


def providers_parse(
    text: str, *, source: str, environ: Mapping[str, str], loopback_http: bool = False
) -> list[OidcProvider]:
    """`loopback_http`: allow http:// to this machine (a provider run in the tests)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ImproperlyConfigured(f"{source}: not valid TOML ({exc})") from None
    providers = data.get("providers")
    if not isinstance(providers, dict) or not providers:
        raise ImproperlyConfigured(f"{source}: needs at least one [providers.<key>] table")
    return [
        provider_parse(key, table, source=source, environ=environ, loopback_http=loopback_http)
        for key, table in providers.items()
    ]


def providers_load(
    path: Path, *, environ: Mapping[str, str], loopback_http: bool = False
) -> list[OidcProvider]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(
            f"JOINEDUP_OIDC_PROVIDERS: cannot read {path} ({exc.__class__.__name__}: {exc})"
        ) from None
    return providers_parse(text, source=str(path), environ=environ, loopback_http=loopback_http)

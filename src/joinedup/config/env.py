"""The one module that reads the environment.

Every setting that differs between a laptop and production comes from here. Production
(`JOINEDUP_ENV=production`) has no defaults for secrets or hosts: it refuses to start.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from joinedup.config.oidc import OidcProvider, providers_load

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("JOINEDUP_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(
                f"Environment variable {name} is required (see docs/operations.md)."
            )
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be true or false, not {value!r}.")


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if default is None:
            raise ImproperlyConfigured(
                f"Environment variable {name} is required (comma-separated list)."
            )
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = env_str("JOINEDUP_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"JOINEDUP_ENV must be development, test or production, not {ENVIRONMENT!r}."
    )
IS_PRODUCTION = ENVIRONMENT == "production"

# Apache Spark for `joinedup link --engine spark`: the master URL (local[2] runs Spark inside
# the process on two cores; spark://host:7077 a cluster) and the Java it starts (JAVA_HOME,
# or java on the PATH when unset).
SPARK_MASTER = env_str("JOINEDUP_SPARK_MASTER", "local[2]")
JAVA_HOME = os.environ.get("JAVA_HOME") or None

# The early-warning indicator rule file (TOML; docs/indicators.md). Unset: the shipped default
# set, src/joinedup/indicators/rules/default.toml.
INDICATOR_RULES = os.environ.get("JOINEDUP_INDICATOR_RULES") or None

# The area's continuum of need, needs vocabulary and agency terms (TOML; docs/referrals.md).
# Unset: the shipped default, src/joinedup/needs/vocabularies/default.toml.
NEEDS_VOCABULARY = os.environ.get("JOINEDUP_NEEDS_VOCABULARY") or None
# An area's own assessment forms and measure definitions (TOML), beside or replacing the
# shipped ones (a file with the same id replaces it); docs/assessments.md.
ASSESSMENT_FORMS_DIR = os.environ.get("JOINEDUP_ASSESSMENT_FORMS_DIR") or ""
ASSESSMENT_INSTRUMENTS_DIR = os.environ.get("JOINEDUP_ASSESSMENT_INSTRUMENTS_DIR") or ""
# The service's own address, for links in notification emails.
SITE_URL = env_str("JOINEDUP_SITE_URL", "http://127.0.0.1:8000")
# The address mail is sent from (referral and action notifications).
MAIL_FROM = env_str("JOINEDUP_MAIL_FROM", "joinedup@localhost")

# Sign-in (docs/sign-in.md). Password sign-in is on outside production unless turned off, and
# in production only when turned on; production always asks for a second factor after it.
PASSWORD_SIGN_IN = env_bool("JOINEDUP_PASSWORD_SIGN_IN", not IS_PRODUCTION)
REQUIRE_SECOND_FACTOR = IS_PRODUCTION or env_bool("JOINEDUP_REQUIRE_SECOND_FACTOR", False)
# How many proxies in front of joinedup append to X-Forwarded-For (0: none; the client's
# address is the connection's). Lockout by address reads the header only when this is set.
_proxies = env_str("JOINEDUP_TRUSTED_PROXY_COUNT", "0")
if not _proxies.isdigit() or int(_proxies) > 10:
    raise ImproperlyConfigured("JOINEDUP_TRUSTED_PROXY_COUNT must be a whole number from 0 to 10.")
TRUSTED_PROXY_COUNT = int(_proxies)


def _oidc_providers() -> tuple[OidcProvider, ...]:
    # The file names the environment variables that hold the client secrets; this module reads
    # them, so the parser is handed the environment rather than reading it.
    path = os.environ.get("JOINEDUP_OIDC_PROVIDERS") or ""
    return (
        tuple(providers_load(Path(path), environ=os.environ, loopback_http=not IS_PRODUCTION))
        if path
        else ()
    )


# Identity providers for single sign-on over OpenID Connect (TOML; docs/sign-in.md).
OIDC_PROVIDERS = _oidc_providers()

"""The one module that reads the environment.

Every setting that differs between a laptop and production comes from here. Production
(`JOINEDUP_ENV=production`) has no defaults for secrets or hosts: it refuses to start.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

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


# ------------------------------------------------------------------ the area's pages
# The service's name, phase banner, footer and help contact, and the files holding the area's
# own accessibility statement and privacy notice (docs/operations.md, "The area's name, help
# contact and public pages"). Unset, production shows "joinedup", no phase banner and the
# shipped statement; the demo's banner and footer come from the Makefile.

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,30}")
_LINK_TARGET = re.compile(r"(https?://|mailto:|/)\S*")


def env_text(environ: Mapping[str, str], name: str, default: str, *, max_length: int) -> str:
    """One line of text for the pages: no control characters, at most max_length long."""
    value = environ.get(name, "").strip()
    if not value:
        return default
    if _CONTROL.search(value):
        raise ImproperlyConfigured(
            f"Environment variable {name} holds a control character (a tab, a new line, ...): "
            "give one line of plain text."
        )
    if len(value) > max_length:
        raise ImproperlyConfigured(
            f"Environment variable {name} is {len(value)} characters long; "
            f"at most {max_length} fit on the page."
        )
    return value


def env_footer_links(environ: Mapping[str, str], name: str) -> list[tuple[str, str]]:
    """`Text|address; Text|address`: the area's own footer links, in order."""
    links: list[tuple[str, str]] = []
    for number, item in enumerate(environ.get(name, "").split(";"), start=1):
        if not item.strip():
            continue
        text, bar, target = (part.strip() for part in item.partition("|"))
        problem = ""
        if not bar or not text or not target:
            problem = "is not 'Text|address'"
        elif _CONTROL.search(item) or len(text) > 80:
            problem = "has a control character or text over 80 characters"
        elif not _LINK_TARGET.fullmatch(target) or len(target) > 500:
            problem = "has an address that is not https://..., http://..., mailto:... or /..."
        if problem:
            raise ImproperlyConfigured(
                f"Environment variable {name}: link {number} ({item.strip()[:60]!r}) {problem}."
            )
        links.append((text, target))
    if len(links) > 10:
        raise ImproperlyConfigured(
            f"Environment variable {name} has {len(links)} links; at most 10."
        )
    return links


def env_date(environ: Mapping[str, str], name: str) -> date | None:
    value = environ.get(name, "").strip()
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ImproperlyConfigured(
        f"Environment variable {name} must be a date written YYYY-MM-DD, not {value[:40]!r}."
    )


def env_file(environ: Mapping[str, str], name: str) -> str:
    """The path of an area's own page text (an HTML file); checked when the service starts."""
    value = environ.get(name, "").strip()
    if value and (_CONTROL.search(value) or len(value) > 1000):
        raise ImproperlyConfigured(f"Environment variable {name} is not a file path.")
    return value


def area_pages(environ: Mapping[str, str]) -> dict[str, Any]:
    """Everything the area says about itself on every page, read from `environ`."""
    tag = env_text(environ, "JOINEDUP_PHASE_BANNER_TAG", "", max_length=20)
    text = env_text(environ, "JOINEDUP_PHASE_BANNER_TEXT", "", max_length=200)
    if bool(tag) != bool(text):
        raise ImproperlyConfigured(
            "Set both JOINEDUP_PHASE_BANNER_TAG and JOINEDUP_PHASE_BANNER_TEXT for a phase "
            "banner, or neither for none."
        )
    email = env_text(environ, "JOINEDUP_HELP_EMAIL", "", max_length=254)
    if email and not _EMAIL.fullmatch(email):
        raise ImproperlyConfigured(
            f"Environment variable JOINEDUP_HELP_EMAIL is not an email address: {email[:60]!r}."
        )
    phone = env_text(environ, "JOINEDUP_HELP_PHONE", "", max_length=40)
    if phone and not _PHONE.fullmatch(phone):
        raise ImproperlyConfigured(
            "Environment variable JOINEDUP_HELP_PHONE must be a telephone number (digits, "
            f"spaces, brackets, + and -), not {phone[:40]!r}."
        )
    return {
        "service_name": env_text(environ, "JOINEDUP_SERVICE_NAME", "joinedup", max_length=80),
        "phase_banner": {"tag": tag, "text": text} if tag else None,
        "organisation": env_text(environ, "JOINEDUP_ORGANISATION", "", max_length=120),
        "footer_text": env_text(environ, "JOINEDUP_FOOTER_TEXT", "", max_length=300),
        "footer_links": env_footer_links(environ, "JOINEDUP_FOOTER_LINKS"),
        "help_contact": {
            "email": email,
            "phone": phone,
            "text": env_text(environ, "JOINEDUP_HELP_TEXT", "", max_length=300),
        },
        "accessibility_statement_file": env_file(environ, "JOINEDUP_ACCESSIBILITY_STATEMENT"),
        "accessibility_tested_on": env_date(environ, "JOINEDUP_ACCESSIBILITY_TESTED_ON"),
        "privacy_notice_file": env_file(environ, "JOINEDUP_PRIVACY_NOTICE"),
    }


AREA_PAGES = area_pages(os.environ)

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

"""The area's name, phase banner, footer and help contact come from settings (read from the
environment by config/env.py), and its public pages open without signing in."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from joinedup.config.env import area_pages
from joinedup.governance.models import AgencyType, AuditEvent, Role
from joinedup.web.checks import area_page_files
from tests import factories as f

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DEMO_BANNER = "Synthetic data only — this is a demonstration"
DEMO_FOOTER = "joinedup is a demonstration. Every person and record in it is synthetic."


def _use(settings: object, environ: dict[str, str]) -> None:
    """Settings as config/env.py makes them from this environment."""
    pages = area_pages(environ)
    for key, value in {
        "SERVICE_NAME": pages["service_name"],
        "PHASE_BANNER": pages["phase_banner"],
        "ORGANISATION": pages["organisation"],
        "FOOTER_TEXT": pages["footer_text"],
        "FOOTER_LINKS": pages["footer_links"],
        "HELP_CONTACT": pages["help_contact"],
        "ACCESSIBILITY_STATEMENT_FILE": pages["accessibility_statement_file"],
        "ACCESSIBILITY_TESTED_ON": pages["accessibility_tested_on"],
        "PRIVACY_NOTICE_FILE": pages["privacy_notice_file"],
    }.items():
        setattr(settings, key, value)


def _demo_environment() -> dict[str, str]:
    """What `make demo` and `make serve` export (the Makefile's `demo serve: export` lines)."""
    found = re.findall(
        r"^demo serve: export (\w+) \?= (.*)$",
        (ROOT / "Makefile").read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    return dict(found)


def test_without_configuration_the_pages_name_joinedup_and_show_no_demo_text(
    client: Client, settings: object
) -> None:
    _use(settings, {"JOINEDUP_ENV": "production"})
    page = client.get("/sign-in/").content.decode()
    assert "<title>Sign in – joinedup</title>" in page
    assert "govuk-phase-banner" not in page
    assert "demonstration" not in page.lower()
    assert "synthetic" not in page.lower()


def test_the_demo_looks_as_it_always_has(client: Client, settings: object) -> None:
    _use(settings, _demo_environment())
    page = client.get("/sign-in/").content.decode()
    banner = re.search(r'<div class="govuk-phase-banner.*?</div>', page, flags=re.DOTALL)
    assert banner is not None
    assert re.search(r"<strong[^>]*>\s*Demo\s*</strong>", banner[0])
    assert DEMO_BANNER in banner[0]
    assert DEMO_FOOTER in page
    assert "Sign in to joinedup" in page


def test_settings_name_the_service_banner_footer_and_help(client: Client, settings: object) -> None:
    _use(
        settings,
        {
            "JOINEDUP_SERVICE_NAME": "Northshire Children Connected",
            "JOINEDUP_PHASE_BANNER_TAG": "Beta",
            "JOINEDUP_PHASE_BANNER_TEXT": "This is a new service",
            "JOINEDUP_ORGANISATION": "Northshire County Council",
            "JOINEDUP_FOOTER_LINKS": "Contact us|https://northshire.example/contact; Help|/help/",
            "JOINEDUP_HELP_EMAIL": "ccsupport@northshire.example",
            "JOINEDUP_HELP_PHONE": "01234 567 890",
        },
    )
    school = f.agency(AgencyType.SCHOOL)
    client.force_login(f.staff(Role.TEACHER, school))
    page = client.get("/").content.decode()
    assert "– Northshire Children Connected</title>" in page
    header = page[page.index("<header") : page.index("</header>")]
    assert "Northshire Children Connected" in header
    assert re.search(r"<strong[^>]*>\s*Beta\s*</strong>", header)
    assert "This is a new service" in header
    footer = page[page.index("<footer") : page.index("</footer>")]
    assert (
        '<a class="govuk-footer__link" href="https://northshire.example/contact">Contact us</a>'
        in footer
    )
    assert '<a class="govuk-footer__link" href="/help/">Help</a>' in footer
    for link in ("/accessibility/", "/privacy/", "/cookies/"):
        assert f'href="{link}"' in footer
    assert "mailto:ccsupport@northshire.example" in footer
    assert "01234 567 890" in footer
    assert "Northshire Children Connected is run by Northshire County Council." in footer


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"JOINEDUP_PHASE_BANNER_TAG": "Beta"}, "JOINEDUP_PHASE_BANNER_TEXT"),
        ({"JOINEDUP_SERVICE_NAME": "x" * 81}, "at most 80"),
        ({"JOINEDUP_SERVICE_NAME": "Name\x1b[31m"}, "control character"),
        ({"JOINEDUP_HELP_EMAIL": "not-an-address"}, "JOINEDUP_HELP_EMAIL"),
        ({"JOINEDUP_HELP_PHONE": "call Bob"}, "JOINEDUP_HELP_PHONE"),
        ({"JOINEDUP_FOOTER_LINKS": "Help|/help/; Contact"}, "link 2 ('Contact')"),
        ({"JOINEDUP_FOOTER_LINKS": "Evil|javascript:alert(1)"}, "link 1"),
        ({"JOINEDUP_ACCESSIBILITY_TESTED_ON": "5/12/2026"}, "YYYY-MM-DD"),
        ({"JOINEDUP_ACCESSIBILITY_TESTED_ON": "2026-02-30"}, "YYYY-MM-DD"),
    ],
)
def test_bad_settings_are_refused_naming_the_variable_and_why(
    environ: dict[str, str], named: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape(named)):
        area_pages(environ)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accessibility/", "Accessibility statement for joinedup"),
        ("/privacy/", "This area has not yet published its privacy notice"),
        ("/cookies/", "Cookies"),
        ("/signed-out/", "For your security, we signed you out"),
    ],
)
def test_public_pages_open_without_signing_in(client: Client, path: str, heading: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert heading in response.content.decode()
    assert AuditEvent.objects.count() == 0


def test_the_accessibility_statement_follows_the_model(client: Client, settings: object) -> None:
    _use(
        settings,
        {
            "JOINEDUP_SERVICE_NAME": "Northshire Children Connected",
            "JOINEDUP_ORGANISATION": "Northshire County Council",
            "JOINEDUP_HELP_EMAIL": "ccsupport@northshire.example",
            "JOINEDUP_ACCESSIBILITY_TESTED_ON": "2026-11-20",
        },
    )
    page = client.get("/accessibility/").content.decode()
    assert "Accessibility statement for Northshire Children Connected" in page
    assert "This service is run by Northshire County Council." in page
    assert "mailto:ccsupport@northshire.example" in page
    for part in (
        "Compliance status",
        "partially compliant",
        "How accessible this service is",
        "Enforcement procedure",
        "Equality and Human Rights Commission",
        "Equality Commission for Northern Ireland",
        "(No. 2) Accessibility Regulations 2018",
        "axe-core",
        "manual checks",
        "This service was last tested on 20 November 2026 by Northshire County Council.",
    ):
        assert part in page


def test_an_area_replaces_the_statement_and_notice_with_its_own_files(
    client: Client, settings: object, tmp_path: Path
) -> None:
    statement = tmp_path / "statement.html"
    statement.write_text("<h1 class='govuk-heading-l'>Our statement for {{ service_name }}</h1>")
    notice = ROOT / "docs" / "examples" / "privacy-notice.html"
    settings.ACCESSIBILITY_STATEMENT_FILE = str(statement)  # type: ignore[attr-defined]
    settings.PRIVACY_NOTICE_FILE = str(notice)  # type: ignore[attr-defined]
    settings.SERVICE_NAME = "Northshire Children Connected"  # type: ignore[attr-defined]
    accessibility = client.get("/accessibility/").content.decode()
    assert "Our statement for Northshire Children Connected" in accessibility
    assert "Compliance status" not in accessibility
    privacy = client.get("/privacy/").content.decode()
    assert "has not yet published" not in privacy
    assert "Privacy notice for Northshire Children Connected" in privacy
    assert "ico.org.uk" in privacy
    assert area_page_files() == []


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (None, "no such file"),
        (b"\xff\xfe<h1>Statement</h1>", "not UTF-8 text"),
        (b"{% if %}", "not a valid Django template"),
    ],
)
def test_a_file_that_cannot_be_shown_is_refused_at_start_and_never_a_500(
    client: Client, settings: object, tmp_path: Path, content: bytes | None, why: str
) -> None:
    file = tmp_path / "statement.html"
    if content is not None:
        file.write_bytes(content)
    settings.ACCESSIBILITY_STATEMENT_FILE = str(file)  # type: ignore[attr-defined]
    (problem,) = area_page_files()
    assert "JOINEDUP_ACCESSIBILITY_STATEMENT" in problem.msg
    assert str(file) in problem.msg and why in problem.msg
    response = client.get("/accessibility/")
    assert response.status_code == 503
    assert "the accessibility statement cannot be shown" in response.content.decode()


def test_cookies_page_names_the_cookies_the_service_sets(client: Client) -> None:
    page = client.get("/cookies/").content.decode()
    for name in ("sessionid", "csrftoken", "messages"):
        assert f'<th scope="row" class="govuk-table__header">{name}</th>' in page
    assert "15 minutes without activity" in page


def test_statement_dates_are_shown_the_govuk_way(client: Client, settings: object) -> None:
    settings.ACCESSIBILITY_TESTED_ON = date(2027, 3, 1)  # type: ignore[attr-defined]
    page = client.get("/accessibility/").content.decode()
    assert "last tested on 1 March 2027" in page


def test_production_settings_without_configuration_have_no_demo_text() -> None:
    from tests.governance.test_settings import PRODUCTION_ENV, _run

    show = (
        "from django.conf import settings; "
        "print(repr((settings.SERVICE_NAME, settings.PHASE_BANNER, settings.FOOTER_TEXT)))"
    )
    result = _run("shell", "-c", show, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "('joinedup', None, '')"


def test_production_refuses_to_start_with_a_statement_file_it_cannot_show(
    tmp_path: Path,
) -> None:
    from tests.governance.test_settings import PRODUCTION_ENV, _run

    missing = tmp_path / "missing.html"
    result = _run("check", env={**PRODUCTION_ENV, "JOINEDUP_ACCESSIBILITY_STATEMENT": str(missing)})
    assert result.returncode != 0
    assert f"JOINEDUP_ACCESSIBILITY_STATEMENT names a file that cannot be shown: {missing}" in (
        result.stderr
    )

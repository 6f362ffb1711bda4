"""README's "Run your own area", followed literally from an empty database in a real browser.

The commands are read from the README's block (so the README cannot drift from what works) and
run in this process against the test database; then the first school's DSL opens the link the
password command printed, sets a password, signs in and sees exactly their pupils' flags on the
worklist, and the information governance officer finds who opened a child's record.
"""

from __future__ import annotations

import csv
import io
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from joinedup.cli import ALIASES
from joinedup.governance.models import Agency
from joinedup.people.models import Child
from tests.e2e.conftest import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- run-your-own-area:"
NEW_PASSWORD = "river-otter-lantern-42"


def readme_commands() -> list[list[str]]:
    """The `joinedup ...` lines of the README block after the marker, as argument lists."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(MARKER)
    block = text[text.index("```sh\n", start) + len("```sh\n") :]
    block = block[: block.index("```")]
    lines = [line.strip() for line in block.splitlines()]
    return [shlex.split(line) for line in lines if line and not line.startswith("#")]


def _run(argv: list[str], out_dir: Path) -> str:
    assert argv[0] == "joinedup", f"README line is not a joinedup command: {argv}"
    args = [a.replace("var/my-area", str(out_dir)) for a in argv[1:]]
    args = [str(ROOT / a) if a.startswith("docs/") else a for a in args]
    buffer = io.StringIO()
    call_command(ALIASES.get(args[0], args[0]), *args[1:], stdout=buffer, stderr=io.StringIO())
    return buffer.getvalue()


def _pupil(census: Path, row: int) -> tuple[str, str]:
    with census.open(encoding="utf-8") as f:
        pupil = list(csv.DictReader(f))[row]
    return pupil["Forename"], pupil["Surname"]


def _link_from(output: str, base: str) -> str:
    found = re.findall(r"https?://\S+/sign-in/set-password/\S+/", output)
    assert found, f"no set-password link in:\n{output}"
    return found[-1].replace(settings.SITE_URL.rstrip("/"), base)


def _set_password_and_sign_in(page: Any, base: str, link: str, username: str) -> None:
    page.goto(link)
    assert axe_violations(page) == []
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def test_run_your_own_area_from_an_empty_database(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    assert not Agency.objects.exists() and not Child.objects.exists()
    commands = readme_commands()
    assert [c[1] for c in commands][:3] == ["migrate", "area", "area"]
    output = ""
    for argv in commands:
        if argv[1] in ("migrate", "serve"):
            continue  # the test database is migrated; the live server serves
        output = _run(argv, tmp_path)
    base = live_server.url

    # The DSL of the first school: the README's last command printed their link.
    _set_password_and_sign_in(
        page, base, _link_from(output, base), "priya.nair@riverford-primary.example"
    )
    own = _pupil(tmp_path / "school-census-school-100123.csv", 2)  # permanently excluded
    other = _pupil(tmp_path / "school-census-school-100456.csv", 2)  # the other school's
    page.get_by_role("link", name="Worklist").first.click()
    assert page.get_by_role("heading", name="Worklist", level=1).is_visible()
    worklist = page.locator("main").inner_text()
    assert f"{own[0]} {own[1]}" in worklist
    assert other[1] not in worklist
    assert axe_violations(page) == []

    # Their pupil's record opens; the other school's pupil is not found.
    page.get_by_role("link", name=f"{own[0]} {own[1]}").first.click()
    assert "Permanently excluded" in page.locator("main").inner_text()
    child_id = re.search(r"C-[0-9A-Z]{8}", page.url)
    assert child_id, page.url
    page.goto(f"{base}/children/?q={other[1]}")
    assert f"{other[0]} {other[1]}" not in page.locator("main").inner_text()

    # The information governance officer finds who opened that child's record.
    out = _run(
        ["joinedup", "signin", "password-link", "irene.grant@riverford.gov.example"], tmp_path
    )
    page.context.clear_cookies()
    _set_password_and_sign_in(
        page, base, _link_from(out, base), "irene.grant@riverford.gov.example"
    )
    page.goto(f"{base}/governance/audit/")
    page.get_by_label("Child id").fill(child_id.group(0))
    page.get_by_role("button", name="Search the audit log").click()
    results = page.locator("#audit-results").inner_text()
    assert "priya.nair@riverford-primary.example" in results
    assert child_id.group(0) in results
    assert axe_violations(page) == []

"""A practitioner searches the service directory and reads the shared language of need; a data
analyst uploads an Open Referral UK file. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from joinedup.directory.models import DirectoryImport
from joinedup.directory.services import directory_import, service_link
from joinedup.governance.models import AgencyType, AuditEvent, Role
from tests import factories as f
from tests.directory.factories import oruk_file, oruk_service
from tests.e2e.conftest import axe_violations
from tests.e2e.test_journeys import _sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_practitioner_searches_the_directory(
    page: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    old = (timezone.localdate() - timedelta(days=500)).isoformat()
    f.agency(AgencyType.YOUTH_SERVICE, code="youth-service")
    directory_import(
        actor=None,
        path=oruk_file(
            tmp_path,
            [
                oruk_service(
                    id="ty",
                    name="Targeted youth support",
                    eligibilitys=[{"minimum_age": 11, "maximum_age": 19}],
                ),
                oruk_service(
                    name="Youth boxing mentoring",
                    assured_date=old,
                    eligibilitys=[{"minimum_age": 10, "maximum_age": 18}],
                ),
                oruk_service(name="Baby group", eligibilitys=[{"maximum_age": 4}]),
            ],
        ),
    )
    service_link(actor=None, oruk_id="ty", agency_code="youth-service")
    f.staff(Role.YOUTH_WORKER, f.agency(AgencyType.YOUTH_SERVICE), username="yw")
    base = live_server.url
    _sign_in(page, base, "yw")

    page.goto(f"{base}/directory/")
    assert page.get_by_role("heading", name="Service directory", level=1).is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Search for a service").fill("youth")
    page.get_by_label("Age of the child or young person").fill("14")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(f"{base}/directory/?*")
    results = page.locator("#directory-results").inner_text()
    assert "Targeted youth support" in results and "Youth boxing mentoring" in results
    assert "Baby group" not in results
    assert page.locator(".app-stale").count() == 1
    assert "Not reviewed in 12 months" in page.locator(".app-stale").inner_text()
    assert "Through joinedup" in results and "Not through joinedup" in results
    assert axe_violations(page) == []

    page.get_by_label("Age of the child or young person").fill("fourteen")
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    assert "Age must be a whole number from 0 to 25" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Levels of need and the shared language").click()
    page.wait_for_url(f"{base}/directory/continuum/")
    assert "Level 3: Targeted" in page.locator("#continuum-levels").inner_text()
    assert axe_violations(page) == []
    assert AuditEvent.objects.filter(action="directory.search").count() == 2


def test_analyst_uploads_an_oruk_file(
    page: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.VAR_DIR = tmp_path / "var"
    f.staff(Role.DATA_ANALYST, f.agency(AgencyType.SOCIAL_CARE), username="analyst")
    base = live_server.url
    _sign_in(page, base, "analyst")
    page.goto(f"{base}/directory/")
    page.get_by_role("link", name="Import Open Referral UK data").click()
    page.wait_for_url(f"{base}/directory/import/")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Import the file").click()
    assert (
        "Select the Open Referral UK file to import"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert axe_violations(page) == []

    bad = tmp_path / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    page.get_by_label("Open Referral UK file").set_input_files(str(bad))
    page.get_by_role("button", name="Import the file").click()
    assert "broken.json: the file is not JSON" in page.locator(".govuk-error-summary").inner_text()

    good = oruk_file(tmp_path, [oruk_service(id="g1"), oruk_service(id="g2", status="open")])
    page.get_by_label("Open Referral UK file").set_input_files(str(good))
    page.get_by_role("button", name="Import the file").click()
    page.wait_for_url(f"{base}/directory/import/")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "directory.json: 1 services loaded, 1 rejected" in banner
    page.get_by_text("1 rejected service in directory.json").click()
    assert "entry 2 (id 'g2')" in page.locator("#directory-imports").inner_text()
    assert axe_violations(page) == []
    assert DirectoryImport.objects.get().imported_by is not None

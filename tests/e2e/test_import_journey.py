"""A data analyst imports a persons extract from the browser: the form's errors, the progress
bar while `joinedup import` runs in the background, then the report with a quarantined row.
Each page is checked with axe-core for serious or critical accessibility violations."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from joinedup.governance.models import AgencyType, AuditEvent, Role
from joinedup.ingest.models import ImportRun, ImportStatus
from tests import factories as f
from tests.e2e.conftest import axe_violations
from tests.ingest.background import point_imports_here
from tests.ingest.helpers import PERSONS_COLUMNS, person, write_csv

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

ROWS = 15_000  # long enough (several seconds) to watch the progress bar move


@pytest.fixture
def extract(
    tmp_path: Path, settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Path:
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    settings.VAR_DIR = var_dir  # type: ignore[attr-defined]
    point_imports_here(monkeypatch, var_dir)
    f.agency(AgencyType.EARLY_HELP, code="early-help", name="Eastbrook Early Help")
    f.staff(Role.DATA_ANALYST, None, username="analyst")
    rows = [person(f"EH{n:06d}", family_name=f"Name{n}") for n in range(ROWS)]
    rows[6] = person("EH000006", date_of_birth="17/05/2015")  # row 8: not YYYY-MM-DD
    return write_csv(tmp_path / "eastbrook-early-help.csv", PERSONS_COLUMNS, rows)


def test_analyst_uploads_a_persons_file_watches_it_load_and_reads_the_report(
    page: Any, live_server: Any, extract: Path
) -> None:
    base = live_server.url
    page.goto(f"{base}/")
    page.get_by_label("Username").fill("analyst")
    page.locator("#id_password").fill(f.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Import an extract").click()
    page.wait_for_url(f"{base}/imports/new/")
    assert axe_violations(page) == []

    # Nothing chosen: GOV.UK error summary linking to each field.
    page.get_by_role("button", name="Import the file").click()
    summary = page.locator(".govuk-error-summary")
    assert "Select the agency that sent the file" in summary.inner_text()
    assert "Select the extract file to import" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []

    page.get_by_label("Agency that sent the file").select_option(label="Eastbrook Early Help")
    page.get_by_label("Format of the file").select_option("persons")
    page.get_by_label("Extract file").set_input_files(str(extract))
    page.get_by_role("button", name="Import the file").click()

    page.wait_for_url(re.compile(r"/imports/jobs/[0-9a-f]{32}/$"))
    assert page.get_by_role("heading", name="Importing eastbrook-early-help.csv").is_visible()
    bar = page.locator("progress#import-progress-bar")
    assert bar.is_visible()
    assert axe_violations(page) == []
    # htmx replaces the panel as the import reads on: a count of rows above zero appears.
    page.wait_for_function(
        "() => { const el = document.querySelector('#import-rows strong');"
        " return el && parseInt(el.textContent.replace(/,/g, '')) > 0; }",
        timeout=60_000,
    )

    page.wait_for_url(re.compile(r"/imports/\d+/$"), timeout=120_000)
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.LOADED
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (ROWS, ROWS - 1, 1)
    counts = page.locator("#import-counts").inner_text()
    assert re.search(r"Rows in\s+15,000", counts) and re.search(r"Quarantined\s+1", counts)
    quarantined = page.locator("#quarantined-rows").inner_text()
    assert re.search(r"8\s+date_of_birth", quarantined)
    assert axe_violations(page) == []
    assert AuditEvent.objects.filter(action="quarantined_rows.view").count() == 1

    page.get_by_role("link", name="Imports").first.click()
    assert "eastbrook-early-help.csv" in page.locator("#import-runs").inner_text()
    assert axe_violations(page) == []

"""The import pages: only data analysts, GOV.UK error messages, a real background import
(`joinedup import` in its own process) whose progress the page reads while it runs, its
report, and a killed import shown as failed."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from joinedup.governance.models import Agency, AgencyType, AuditEvent, Role, StaffUser
from joinedup.ingest.adapters import ADAPTERS
from joinedup.ingest.jobs import JOBS_KEPT_DAYS, JobState, import_job_create, import_job_get
from joinedup.ingest.models import ImportRun, ImportStatus
from joinedup.ingest.services import import_file
from tests import factories
from tests.ingest.background import point_imports_here, wait_for
from tests.ingest.helpers import PERSONS_COLUMNS, person, write_csv

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def analyst(agency: Agency) -> StaffUser:
    return factories.staff(Role.DATA_ANALYST, agency, username="ana")


@pytest.fixture
def var_dir(settings: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = Path(settings.VAR_DIR)  # type: ignore[attr-defined]
    path.mkdir(parents=True, exist_ok=True)
    point_imports_here(monkeypatch, path)
    return path


@pytest.fixture
def signed_in(client: Client, analyst: StaffUser) -> Client:
    client.force_login(analyst)
    return client


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PERSONS_COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode()


def _upload(client: Client, content: bytes, *, name: str = "early-help.csv", **fields: str):
    data: dict[str, object] = {"agency": "early-help", "source_format": "persons", **fields}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post("/imports/new/", data)


def _started_key(response) -> str:
    assert response.status_code == 302, response.content[:2000]
    match = re.fullmatch(r"/imports/jobs/([0-9a-f]{32})/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def _spooled(var_dir: Path, *, within: float = 0) -> list[Path]:
    """Uploads still in the spool; `within` seconds are allowed for the import process to end
    (it says it has finished just before it exits, and the upload is removed after)."""
    deadline = time.monotonic() + within
    while True:
        found = [p for p in (var_dir / "imports").rglob("upload/*") if p.is_file()]
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.mark.parametrize(
    "role",
    [Role.TEACHER, Role.SOCIAL_WORKER, Role.ADMINISTRATOR, Role.INFORMATION_GOVERNANCE_OFFICER],
)
def test_other_roles_cannot_import_or_read_reports(
    client: Client, agency: Agency, var_dir: Path, role: str
) -> None:
    path = write_csv(var_dir / "eh.csv", PERSONS_COLUMNS, [person("EH1"), person("")])
    run = import_file(actor=None, source_format="persons", path=path, agency_code="early-help")
    client.force_login(factories.staff(role, agency))
    for url in (
        "/imports/",
        "/imports/new/",
        f"/imports/{run.pk}/",
        f"/imports/{run.pk}/quarantined.csv",
    ):
        assert client.get(url).status_code == 404, url
    response = _upload(client, _csv_bytes([person("EH2")]))
    assert response.status_code == 404
    assert not (var_dir / "imports").exists() or not any((var_dir / "imports").iterdir())
    assert (
        AuditEvent.objects.filter(
            action="import_runs.view", outcome="denied", object_ref=str(run.pk)
        ).count()
        == 2
    )
    assert not AuditEvent.objects.filter(action="quarantined_rows.view").exists()
    home = client.get("/")
    assert b"Import an extract" not in home.content


def test_the_analyst_home_page_links_to_the_import_page(signed_in: Client) -> None:
    home = signed_in.get("/")
    assert b'href="/imports/new/"' in home.content
    page = signed_in.get("/imports/new/")
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    # Every format an adapter reads is offered, each described.
    for name, adapter in ADAPTERS.items():
        assert f'<option value="{name}"'.encode() in page.content
        assert adapter.description.encode() in page.content.replace(b"&#x27;", b"'")


@pytest.mark.parametrize(
    ("fields", "content", "limit", "message"),
    [
        ({}, None, None, "Select the extract file to import"),
        ({}, b"", None, "The selected file is empty"),
        ({}, b"x" * 200, 100, "The selected file must be smaller than 100\xa0bytes"),
        ({}, b"x" * 200_000, 100, "The selected file must be smaller than 100\xa0bytes"),
        ({"source_format": "nonsense"}, b"a,b\n", None, "Select a format from the list"),
        ({"source_format": ""}, b"a,b\n", None, "Select the format of the file"),
        ({"agency": "no-such-agency"}, b"a,b\n", None, "Select an agency from the list"),
        ({"agency": ""}, b"a,b\n", None, "Select the agency that sent the file"),
    ],
)
def test_form_errors_are_specific_and_nothing_is_kept(
    signed_in: Client,
    var_dir: Path,
    settings: pytest.FixtureRequest,
    fields: dict[str, str],
    content: bytes | None,
    limit: int | None,
    message: str,
) -> None:
    if limit is not None:
        settings.IMPORT_MAX_BYTES = limit  # type: ignore[attr-defined]
    response = _upload(signed_in, content, **fields)  # type: ignore[arg-type]
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "govuk-error-summary" in page
    assert message in page
    assert page.count(message) == 2  # in the summary and beside the field
    assert "<title>Error: " in page
    assert _spooled(var_dir) == []
    assert not ImportRun.objects.exists()


def test_an_upload_without_the_csrf_token_is_refused_and_not_kept(
    analyst: StaffUser, var_dir: Path
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(analyst)
    response = _upload(client, _csv_bytes([person("EH1")]))
    assert response.status_code == 403
    assert _spooled(var_dir) == []


def test_a_good_upload_runs_in_the_background_and_reports_its_counts(
    signed_in: Client, analyst: StaffUser, var_dir: Path
) -> None:
    rows = [
        person("EH1"),
        person("EH2", given_name="Bea"),
        person("EH3", date_of_birth="2015-13-45"),
    ]
    key = _started_key(_upload(signed_in, _csv_bytes(rows)))
    job = wait_for(key)
    assert job.state == JobState.FINISHED, job.message

    page = signed_in.get(f"/imports/jobs/{key}/")
    assert page.status_code == 302
    run = ImportRun.objects.get(pk=job.run_id)
    assert page["Location"] == f"/imports/{run.pk}/"
    assert (run.status, run.rows_in, run.rows_loaded, run.rows_quarantined) == (
        ImportStatus.LOADED,
        3,
        2,
        1,
    )
    assert run.actor == analyst and run.original_name == "early-help.csv"
    assert AuditEvent.objects.get(action="ingest.import").actor == analyst
    assert _spooled(var_dir, within=10) == []  # the archive keeps the bytes; the spool, not

    report = signed_in.get(f"/imports/{run.pk}/").content.decode()
    counts = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", report))
    assert "Rows in 3 Loaded 2 new 2 changed 0" in counts
    assert "Quarantined 1" in counts
    assert "4 date_of_birth" in counts  # row 4 (the header is row 1), the field, then why
    assert run.sha256 in report
    viewed = AuditEvent.objects.get(action="quarantined_rows.view")
    assert viewed.actor == analyst and viewed.detail["rows_shown"] == 1

    listing = signed_in.get("/imports/").content.decode()
    assert "early-help.csv" in listing and run.sha256[:12] in listing

    download = signed_in.get(f"/imports/{run.pk}/quarantined.csv")
    table = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert table[0] == ["row_number", "field", "reason", *PERSONS_COLUMNS, "other_values"]
    assert table[1][:2] == ["4", "date_of_birth"]
    assert table[1][3:-1] == rows[2] and table[1][-1] == ""
    assert AuditEvent.objects.filter(action="quarantined_rows.export", actor=analyst).count() == 1

    # The same file again: a run that says so, and changes nothing.
    again = wait_for(_started_key(_upload(signed_in, _csv_bytes(rows))))
    repeat = signed_in.get(f"/imports/jobs/{again.key}/", follow=True).content.decode()
    assert f"already imported by run #{run.pk}; nothing changed" in repeat
    assert ImportRun.objects.get(pk=again.run_id).status == ImportStatus.ALREADY_IMPORTED


def test_a_bad_file_shows_the_refusal(signed_in: Client, var_dir: Path) -> None:
    key = _started_key(_upload(signed_in, b"record_id,given_name\nEH1,Amara\n", name="short.csv"))
    job = wait_for(key)
    assert job.state == JobState.REFUSED
    report = signed_in.get(f"/imports/jobs/{key}/", follow=True).content.decode()
    assert "This file was not imported" in report
    assert "short.csv is missing column(s): family_name, date_of_birth" in report
    assert ImportRun.objects.get().status == ImportStatus.FAILED


def _big_file(rows: int) -> bytes:
    return _csv_bytes([person(f"EH{n:06d}", family_name=f"Name{n}") for n in range(rows)])


def _wait_for_rows(key: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = import_job_get(key)
        if job is not None and job.rows > 0:
            return
        time.sleep(0.02)
    raise AssertionError("the import never reported progress")


def test_the_progress_endpoint_reports_rows_and_bytes_while_the_import_runs(
    signed_in: Client, var_dir: Path
) -> None:
    key = _started_key(_upload(signed_in, _big_file(15_000)))
    _wait_for_rows(key)
    started = time.monotonic()
    panel = signed_in.get(f"/imports/jobs/{key}/progress/", HTTP_HX_REQUEST="true")
    assert time.monotonic() - started < 2, "the poll waited for the import's transaction"
    assert panel.status_code == 200
    html = panel.content.decode()
    rows = int(re.search(r"<strong>([\d,]+)</strong> rows? read", html).group(1).replace(",", ""))
    percent = int(re.search(r'<progress[^>]* value="(\d+)"', html).group(1))
    assert rows >= 1000 and 0 < percent < 100
    assert 'hx-trigger="every 1s"' in html
    page = signed_in.get(f"/imports/jobs/{key}/").content.decode()
    assert '<noscript><meta http-equiv="refresh"' in page and "Refresh" in page
    listing = signed_in.get("/imports/").content.decode()
    assert f'href="/imports/jobs/{key}/">early-help.csv</a>' in listing

    job = wait_for(key)
    assert job.state == JobState.FINISHED
    done = signed_in.get(f"/imports/jobs/{key}/progress/", HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == f"/imports/jobs/{key}/"
    assert ImportRun.objects.get(pk=job.run_id).rows_loaded == 15_000


def test_a_killed_import_shows_as_failed_and_kept_nothing(signed_in: Client, var_dir: Path) -> None:
    key = _started_key(_upload(signed_in, _big_file(15_000)))
    _wait_for_rows(key)
    job = import_job_get(key)
    assert job is not None and job.state == JobState.RUNNING
    os.kill(int(job.meta["pid"]), signal.SIGKILL)
    job = wait_for(key)
    assert job.state == JobState.FAILED
    # The job reads as failed as soon as its process is gone; the watcher then records how it
    # ended (exit.json), which the page reports.
    deadline = time.monotonic() + 10
    while not (job.folder / "exit.json").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    page = signed_in.get(f"/imports/jobs/{key}/").content.decode()
    assert "early-help.csv was not imported" in page
    assert "stopped before it finished" in page and "signal 9" in page
    assert not ImportRun.objects.filter(status=ImportStatus.LOADED).exists()
    assert _spooled(var_dir, within=10) == []


def test_an_import_whose_process_is_gone_is_failed_not_running_forever(
    signed_in: Client, var_dir: Path
) -> None:
    """The web process that started it restarted: no watcher, only a pid that is gone."""
    gone = subprocess.Popen(["true"])
    gone.wait()
    job = import_job_create()
    (job.folder / "job.json").write_text(
        f'{{"key": "{job.key}", "pid": {gone.pid}, "file_name": "eh.csv", '
        '"agency": "early-help", "source_format": "persons"}'
    )
    (job.folder / "progress.json").write_text('{"state": "running", "rows": 5000}')
    found = import_job_get(job.key)
    assert found is not None and found.state == JobState.FAILED
    page = signed_in.get(f"/imports/jobs/{job.key}/").content.decode()
    assert "eh.csv was not imported" in page and "stopped before it finished" in page


def test_old_ended_jobs_are_swept_and_running_ones_kept(var_dir: Path) -> None:
    ended, running, recent = import_job_create(), import_job_create(), import_job_create()
    for job, state in ((ended, "finished"), (running, "running"), (recent, "finished")):
        (job.folder / "job.json").write_text(f'{{"pid": {os.getpid()}, "file_name": "x.csv"}}')
        (job.folder / "progress.json").write_text(f'{{"state": "{state}"}}')
    # Ages are by the file system's clock (the one that stamps the folders).
    old = recent.folder.stat().st_mtime - (JOBS_KEPT_DAYS + 1) * 86400
    for job in (ended, running):
        os.utime(job.folder, (old, old))
    import_job_create()
    assert not ended.folder.exists()
    assert running.folder.exists() and recent.folder.exists()


def test_unknown_jobs_and_runs_are_not_found(signed_in: Client) -> None:
    assert signed_in.get(f"/imports/jobs/{'0' * 32}/").status_code == 404
    assert signed_in.get(f"/imports/jobs/{'0' * 32}/progress/").status_code == 404
    assert signed_in.get("/imports/999999/").status_code == 404


def test_the_command_writes_progress_and_outcome_for_the_page(
    agency: Agency, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, [person("EH1"), person("EH2")])
    progress = tmp_path / "progress.json"
    call_command(
        "import_extract",
        "persons",
        str(path),
        "--agency",
        "early-help",
        "--progress-file",
        str(progress),
        stderr=io.StringIO(),
        stdout=io.StringIO(),
    )
    done = json.loads(progress.read_text())
    run = ImportRun.objects.get()
    assert (done["state"], done["run"], done["rows"]) == ("finished", run.pk, 2)
    assert done["bytes_done"] == done["size"] == path.stat().st_size

    with pytest.raises(CommandError):
        call_command(
            "import_extract",
            "persons",
            str(path),
            "--agency",
            "nowhere",
            "--progress-file",
            str(progress),
            stderr=io.StringIO(),
        )
    refused = json.loads(progress.read_text())
    assert (refused["state"], refused["run"]) == ("refused", None)
    assert refused["message"].startswith("Unknown agency code 'nowhere'")


@pytest.fixture
def agency(db: None) -> Agency:
    return factories.agency(AgencyType.EARLY_HELP, code="early-help", name="Early help")


def test_a_full_list_from_the_upload_page_is_held_to_the_mass_end_guard(
    signed_in: Client, var_dir: Path, tmp_path: Path
) -> None:
    from joinedup.people.models import Involvement
    from tests.ingest.helpers import write_csv

    agency = Agency.objects.get(code="early-help")
    for n in range(5):
        factories.source_record(factories.child(), agency, record_id=f"EH{n}")
    columns = ("record_id", "description", "started_on")
    full = write_csv(
        tmp_path / "full.csv",
        columns,
        [[f"EH{n}", "Family support", "2025-01-06"] for n in range(5)],
    )
    import_file(actor=None, source_format="involvements", path=full, agency_code="early-help")
    short = b"record_id,description,started_on\nEH0,Family support,2025-01-06\n"

    # Ticked: the list would end 4 of the 5 open involvements, so it is refused whole.
    key = _started_key(
        _upload(signed_in, short, name="cases.csv", source_format="involvements", full_list="on")
    )
    job = wait_for(key)
    assert job.state == JobState.REFUSED, job.message
    report = signed_in.get(f"/imports/jobs/{key}/", follow=True).content.decode()
    assert "would end 4 of the 5 open involvements" in report
    assert Involvement.objects.filter(ended_on__isnull=True).count() == 5

    # Not ticked: the same rows are a partial list, and nothing ends.
    key = _started_key(
        _upload(signed_in, short + b"\n", name="cases2.csv", source_format="involvements")
    )
    assert wait_for(key).state == JobState.FINISHED
    assert Involvement.objects.filter(ended_on__isnull=True).count() == 5

"""`joinedup import SOURCE FILE --agency CODE`: progress on stderr, a closing report, and a
one-line error (exit code 1) for a file that cannot be imported."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from joinedup.cli import ALIASES
from joinedup.governance.models import Agency, AuditEvent, Role
from joinedup.ingest.management.commands.import_extract import Command
from joinedup.ingest.models import ImportRun
from tests import factories
from tests.ingest.helpers import PERSONS_COLUMNS, person, write_csv

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_extract", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_cli_maps_import_to_this_command() -> None:
    assert ALIASES["import"] == "import_extract"


def test_help_lists_every_format_with_a_description() -> None:
    text = Command().create_parser("joinedup", "import").format_help()
    for name in ("persons", "school-census", "health-contacts", "police-notification", "events"):
        assert f"\n  {name} " in text
    assert "--agency CODE" in text and "--show-quarantine" in text


def test_import_reports_rows_in_loaded_and_quarantined(agency: Agency, tmp_path: Path) -> None:
    rows = [person(f"EH{n}") for n in range(2500)] + [person("", given_name="X")]
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, rows)
    out, err = _run("persons", str(path), "--agency", "early-help", "--show-quarantine")
    run = ImportRun.objects.get()
    assert out.splitlines()[0] == (
        f"eh.csv: 2,501 rows in = 2,500 loaded + 1 quarantined (run #{run.pk})"
    )
    assert "row 2502, field record_id: record_id is blank" in out
    assert "\r[" in err and "2,000 rows" in err and "100%" in err
    assert run.actor is None  # the system


def test_importing_again_says_nothing_changed(agency: Agency, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, [person("EH1"), person("")])
    _run("persons", str(path), "--agency", "early-help")
    out, _ = _run("persons", str(path), "--agency", "early-help", "--show-quarantine")
    assert "already imported by run #" in out and "nothing changed" in out
    assert "row 3, field record_id" in out


def test_as_names_a_data_analyst(agency: Agency, tmp_path: Path) -> None:
    analyst = factories.staff(Role.DATA_ANALYST, agency, username="ana")
    factories.staff(Role.TEACHER, agency, username="teach")
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, [person("EH1")])
    with pytest.raises(CommandError, match="no active data analyst has that login"):
        _run("persons", str(path), "--agency", "early-help", "--as", "teach")
    _run("persons", str(path), "--agency", "early-help", "--as", "ana")
    assert AuditEvent.objects.get(action="ingest.import").actor == analyst


def test_a_bad_file_is_one_line_not_a_traceback(agency: Agency, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(",".join(PERSONS_COLUMNS).encode() + b"\nEH1,\xff\n")
    with pytest.raises(CommandError) as caught:
        _run("persons", str(path), "--agency", "early-help")
    assert str(caught.value).startswith("bad.csv is not UTF-8 text (byte 0xff at offset")
    assert "\n" not in str(caught.value)

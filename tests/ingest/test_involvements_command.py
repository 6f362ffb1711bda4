"""`joinedup import involvements ... --full-list`: the guard's refusal and --force through the
command, and the help describing the formats."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from joinedup.governance.models import AgencyType
from joinedup.ingest.models import ImportRun, ImportStatus
from joinedup.people.models import Involvement
from tests import factories
from tests.ingest.helpers import write_csv

pytestmark = pytest.mark.django_db

COLUMNS = ("record_id", "description", "started_on")


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_extract", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_guard_refuses_then_force_ends_them(db: None, tmp_path: Path) -> None:
    agency = factories.agency(AgencyType.YOUTH_SERVICE, code="youth")
    for n in range(5):
        factories.source_record(factories.child(), agency, record_id=f"Y{n}")
    full = write_csv(
        tmp_path / "a.csv", COLUMNS, [[f"Y{n}", "Mentoring", "2025-01-06"] for n in range(5)]
    )
    _run(
        "involvements",
        str(full),
        "--agency",
        "youth",
        "--full-list",
        "--extract-date",
        "2026-03-02",
    )
    short = write_csv(tmp_path / "b.csv", COLUMNS, [["Y0", "Mentoring", "2025-01-06"]])
    args = ("involvements", str(short), "--agency", "youth", "--full-list")
    with pytest.raises(CommandError, match=r"would end 4 of the 5 open involvements .*80%"):
        _run(*args, "--extract-date", "2026-03-02")
    assert ImportRun.objects.filter(status=ImportStatus.REFUSED).count() == 1
    assert Involvement.objects.filter(ended_on__isnull=True).count() == 5
    out = _run(*args, "--extract-date", "2026-03-02", "--force")
    assert "4 open involvement(s) missing from the full list ended" in out
    assert Involvement.objects.filter(ended_on__isnull=True).count() == 1


@pytest.mark.parametrize("bad", ["1.5", "-0.1", "nan", "twenty"])
def test_a_share_outside_0_to_1_is_refused_with_why(db: None, bad: str) -> None:
    with pytest.raises(CommandError, match="is not a share from 0 to 1"):
        _run("involvements", "x.csv", "--agency", "youth", "--max-end-share", bad)


def test_help_describes_the_formats_and_the_guard(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        call_command("import_extract", "--help")
    text = capsys.readouterr().out
    for word in ("involvements", "households", "relationships", "--full-list", "--force"):
        assert word in text
    assert "docs/examples/involvements.csv" in text

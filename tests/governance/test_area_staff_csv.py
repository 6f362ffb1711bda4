"""`joinedup staff import FILE.csv`: HR lists, checked row by row, applied in one audited
transaction; re-import is no changes; nobody disabled without --full-list."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError

from joinedup.governance.models import AuditEvent, StaffUser
from tests.governance.area_helpers import EXAMPLE_AREA, EXAMPLE_STAFF, run

pytestmark = pytest.mark.django_db

HEADER = "First name,Last name,Email address,Agency code,Team code,Role,Staff number\n"


@pytest.fixture(autouse=True)
def _area() -> None:
    run("area", "apply", EXAMPLE_AREA)


def _csv(tmp_path: Path, rows: str, header: str = HEADER, encoding: str = "utf-8") -> Path:
    path = tmp_path / "staff.csv"
    path.write_bytes((header + rows).encode(encoding))
    return path


def test_the_example_list_imports_and_again_is_no_changes() -> None:
    before = StaffUser.objects.count()
    out = run("staff", "import", EXAMPLE_STAFF)
    assert "Staff: 2 create" in out
    assert StaffUser.objects.count() == before + 2
    jordan = StaffUser.objects.get(username="jordan.blake@riverford.gov.example")
    assert jordan.role == "social_worker" and jordan.staff_number == "RB12001"
    assert jordan.team and jordan.team.code == "assessment"
    assert AuditEvent.objects.filter(action="area.staff_created", object_ref=jordan.username)
    audit = AuditEvent.objects.count()
    assert run("staff", "import", EXAMPLE_STAFF).startswith("No changes")
    assert AuditEvent.objects.count() == audit


def test_headers_in_other_spellings_a_bom_and_an_update_by_staff_number(tmp_path: Path) -> None:
    header = "\ufeffSURNAME,Forename,E-mail,Agency,Team,Job role,Employee ID\n"
    path = _csv(
        tmp_path,
        "Okafor-Reid,Sam,sam.reid@riverford.gov.example,social-care,assessment,"
        "Team manager,RB10231\n",
        header,
    )
    out = run("staff", "import", path)
    sam = StaffUser.objects.get(staff_number="RB10231")
    # Matched by staff number: the same person, their sign-in name kept.
    assert sam.username == "sam.okafor@riverford.gov.example"
    assert (sam.last_name, sam.email, sam.role) == (
        "Okafor-Reid",
        "sam.reid@riverford.gov.example",
        "team_manager",
    )
    assert "role: social_worker -> team_manager" in out


BAD_ROWS = [
    (
        "Sam,Ok,not-an-email,social-care,assessment,Social worker,X1\n",
        "row 2",
        "email",
        "not an email",
    ),
    ("Sam,Ok,s@x.org,social-care,assessment,Wizard,X1\n", "row 2", "role", "valid roles"),
    ("Sam,Ok,s@x.org,nowhere,,Social worker,X1\n", "row 2", "agency", "not in the area"),
    (
        "Sam,Ok,s@x.org,early-help,assessment,Social worker,X1\n",
        "row 2",
        "team",
        "team of social-care",
    ),
    (",Ok,s@x.org,social-care,,Social worker,X1\n", "row 2", "first_name", "required"),
    (
        "Sam,O\x1bk,s@x.org,social-care,,Social worker,X1\n",
        "row 2",
        "last_name",
        "control character",
    ),
    (
        f"Sam,{'k' * 400},s@x.org,social-care,,Social worker,X1\n",
        "row 2",
        "last_name",
        "400 characters",
    ),
    ("Sam,Ok,s@x.org,social-care,,Social worker,X1,extra\n", "row 2", "", "8 cells"),
]


@pytest.mark.parametrize(("row", "entry", "column", "words"), BAD_ROWS)
def test_a_bad_row_names_file_row_and_column(
    tmp_path: Path, row: str, entry: str, column: str, words: str
) -> None:
    good = "Ann,Lee,ann@x.org,social-care,,Social worker,X9\n"
    path = _csv(tmp_path, good + row.replace("row 2", ""))
    before = StaffUser.objects.count()
    with pytest.raises(CommandError) as raised:
        run("staff", "import", path)
    where = "row 3"  # the header is row 1, the good row row 2
    expected = f"staff.csv: {where}: {column}: " if column else f"staff.csv: {where}: "
    assert expected in str(raised.value) and words in str(raised.value), str(raised.value)
    assert StaffUser.objects.count() == before  # not even the good row


def test_a_cp1252_file_gets_a_clear_error(tmp_path: Path) -> None:
    path = _csv(tmp_path, "Zoë,Brontë,zoe@x.org,social-care,,Social worker,X1\n", encoding="cp1252")
    with pytest.raises(CommandError, match=r"staff.csv: line 2: is not UTF-8 .*CSV UTF-8"):
        run("staff", "import", path)


def test_missing_and_unknown_columns_are_named(tmp_path: Path) -> None:
    path = _csv(tmp_path, "", header="First name,Surname,Favourite colour\n")
    with pytest.raises(CommandError) as raised:
        run("staff", "import", path)
    assert "header: Favourite colour: unknown column" in str(raised.value)
    assert "missing column(s): email, agency, role" in str(raised.value)


def test_nobody_is_disabled_without_full_list(tmp_path: Path) -> None:
    run("staff", "import", EXAMPLE_STAFF)
    active = StaffUser.objects.filter(is_active=True).count()
    out = run("staff", "import", EXAMPLE_STAFF, "--dry-run", "--full-list")
    assert "- disable staff priya.nair@riverford-primary.example (not in the list)" in out
    assert StaffUser.objects.filter(is_active=True).count() == active
    run("staff", "import", EXAMPLE_STAFF, "--full-list")
    assert StaffUser.objects.filter(is_active=True).count() == 6
    assert not StaffUser.objects.get(username="amorgan-admin").is_active

"""Suspensions and permanent exclusions: one event per row on the pupil's record, found by
PupilRef or UPN; codes checked against the DfE lists; bad rows quarantined, bad files refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.chronology.models import Event
from joinedup.governance.models import AgencyType
from joinedup.ingest.models import ImportRun, ImportStatus
from joinedup.ingest.services import ImportRefused, import_file
from joinedup.people.models import SourceRecord
from tests import factories
from tests.ingest.helpers import write_csv

pytestmark = pytest.mark.django_db

COLUMNS = [
    "PupilRef",
    "UPN",
    "Surname",
    "Forename",
    "DOB",
    "URN",
    "Category",
    "StartDate",
    "EndDate",
    "Reason",
    "Reason2",
    "Reason3",
    "Sessions",
]


def _row(ref: str = "102443-00001", **kw: str) -> list[str]:
    values = dict.fromkeys(COLUMNS, "")
    values.update(PupilRef=ref, URN="102443", Category="FIXD", StartDate="2025-03-10")
    values.update(Reason="VA", Sessions="4")
    values.update(kw)
    return [values[c] for c in COLUMNS]


@pytest.fixture
def school(db: None) -> None:
    agency = factories.agency(AgencyType.SCHOOL, code="school-102443")
    for n, upn in ((1, "E990200019100"), (2, "E990200019200"), (3, "E990200019300")):
        SourceRecord.objects.create(agency=agency, record_id=f"102443-0000{n}", upn=upn)
    SourceRecord.objects.create(agency=agency, record_id="102443-00009", upn="E990200019300")


def _import(path: Path) -> ImportRun:
    return import_file(
        actor=None, source_format="exclusions", path=path, agency_code="school-102443"
    )


def _reasons(run: ImportRun) -> dict[int, tuple[str, str]]:
    return {q.row_number: (q.field_name, q.reason) for q in run.quarantined.all()}


def test_suspensions_and_exclusions_become_events_on_the_pupils_record(
    tmp_path: Path, school: None
) -> None:
    rows = [
        _row(Reason="va", Reason2="PP", EndDate="11/03/2025"),
        _row("102443-00002", Category="Permanent exclusion", Reason="OW", Sessions=""),
        _row("", UPN="e990200019100", Category="suspension", Reason="DB", Sessions="1"),
    ]
    run = _import(write_csv(tmp_path / "ex.csv", COLUMNS, rows))
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined, run.rows_new) == (3, 3, 0, 3)
    first = Event.objects.get(source_record__record_id="102443-00001", payload__reason_code="VA")
    assert first.event_type == "suspension" and first.sensitivity == "standard"
    assert first.summary == (
        "Suspended for 2 days: verbal abuse or threatening behaviour against an adult; "
        "physical assault against a pupil"
    )
    assert first.payload == {
        "category": "FIXD",
        "reason_code": "VA",
        "reason_codes": ["VA", "PP"],
        "sessions": 4,
        "end_date": "2025-03-11",
        "urn": "102443",
    }
    assert first.occurred_at.date().isoformat() == "2025-03-10"
    perm = Event.objects.get(source_record__record_id="102443-00002")
    assert (perm.event_type, perm.summary) == (
        "permanent_exclusion",
        "Permanently excluded: use or threat of an offensive weapon or prohibited item",
    )
    by_upn = Event.objects.get(payload__reason_code="DB")
    assert by_upn.source_record.record_id == "102443-00001"
    assert by_upn.summary == "Suspended for half a day: persistent or general disruptive behaviour"


def test_each_bad_row_is_quarantined_naming_the_field_and_why(tmp_path: Path, school: None) -> None:
    rows = [
        _row(Category="LUNCH"),
        _row(Reason="XX"),
        _row(Sessions=""),
        _row(Sessions="0"),
        _row(StartDate="31/02/2025"),
        _row(EndDate="2025-03-01"),
        _row("102443-99999"),
        _row("", UPN="E990200019999"),
        _row("", UPN="E990200019300"),
        _row(""),
        _row(URN="12"),
        _row(StartDate="2099-01-01"),
        _row(Reason=""),
    ]
    run = _import(write_csv(tmp_path / "ex.csv", COLUMNS, rows))
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (13, 0, 13)
    reasons = _reasons(run)
    assert reasons[2] == (
        "Category",
        "Category 'LUNCH' is not a category of exclusion; use FIXD (or 'suspension') or PERM "
        "(or 'permanent exclusion')",
    )
    assert reasons[3][0] == "Reason" and reasons[3][1].startswith(
        "Reason 'XX' is not a DfE suspension or exclusion reason code; use one of: BU, DA, DB,"
    )
    assert reasons[4] == (
        "Sessions",
        "Sessions is blank: a suspension must say how many sessions it lasted",
    )
    assert reasons[5] == (
        "Sessions",
        "Sessions '0' is not a whole number of sessions (half-days) above 0",
    )
    assert reasons[6] == (
        "StartDate",
        "StartDate '31/02/2025' is not a date (YYYY-MM-DD or DD/MM/YYYY)",
    )
    assert reasons[7] == ("EndDate", "EndDate '2025-03-01' is before the StartDate")
    assert reasons[8] == (
        "PupilRef",
        "PupilRef '102443-99999' is not a record school-102443 has sent: "
        "import the agency's person file first",
    )
    assert reasons[9][0] == "UPN" and "is not the UPN of any record" in reasons[9][1]
    assert reasons[10] == (
        "UPN",
        "UPN 'E990200019300' is the UPN of 2 records school-102443 has sent "
        "(102443-00003, 102443-00009): give the record id to say which",
    )
    assert reasons[11] == ("PupilRef/UPN", "PupilRef/UPN are both blank: say which pupil this is")
    assert reasons[12] == ("URN", "URN '12' is not a school URN (six digits)")
    assert reasons[13] == ("StartDate", "StartDate '2099-01-01' is in the future")
    assert reasons[14] == ("Reason", "Reason is blank: give the DfE reason code")
    assert not Event.objects.exists()


def test_a_file_without_pupil_or_required_columns_is_refused(tmp_path: Path, school: None) -> None:
    header = ["Surname", "Category", "StartDate"]
    path = write_csv(tmp_path / "ex.csv", header, [["Mason", "FIXD", "2025-03-10"]])
    with pytest.raises(ImportRefused) as info:
        _import(path)
    assert "ex.csv is missing column(s): PupilRef (or UPN), Reason; found: Surname," in str(
        info.value
    )
    assert not Event.objects.exists()


def test_a_file_not_in_utf8_or_cut_short_is_refused_or_quarantined(
    tmp_path: Path, school: None
) -> None:
    path = write_csv(tmp_path / "ex.csv", COLUMNS, [_row(Surname="Mason")])
    path.write_bytes(path.read_bytes().replace(b"Mason", "Mas\u00f3n".encode("latin-1")))
    with pytest.raises(ImportRefused, match=r"ex.csv is not UTF-8 text \(byte 0xf3"):
        _import(path)
    cut = write_csv(tmp_path / "cut.csv", COLUMNS, [_row(), _row("102443-00002")])
    cut.write_bytes(cut.read_bytes()[:-20])
    run = _import(cut)
    assert (run.rows_loaded, run.rows_quarantined) == (1, 1)
    assert "the file looks cut short (truncated)" in _reasons(run)[3][1]


def test_importing_the_same_exclusions_again_changes_nothing(tmp_path: Path, school: None) -> None:
    path = write_csv(tmp_path / "ex.csv", COLUMNS, [_row(), _row("102443-00002")])
    _import(path)
    before = list(Event.objects.values())
    assert _import(path).status == ImportStatus.ALREADY_IMPORTED
    copy = write_csv(tmp_path / "ex2.csv", COLUMNS, [_row(), _row("102443-00002")], crlf=True)
    rerun = _import(copy)
    assert (rerun.rows_loaded, rerun.rows_new) == (2, 0)
    assert list(Event.objects.values()) == before

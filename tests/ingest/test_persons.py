"""The persons extract: good files load as received, bad rows are quarantined with a reason,
and files that cannot be read are refused with a plain message naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.governance.models import Agency
from joinedup.ingest.models import ImportRun, ImportStatus, QuarantinedRow
from joinedup.ingest.services import ImportRefused, import_file
from joinedup.people.models import SourceRecord
from tests.ingest.helpers import PERSONS_COLUMNS, person, write_csv

pytestmark = pytest.mark.django_db


def _import(path: Path, source_format: str = "persons", agency_code: str = "early-help"):
    return import_file(actor=None, source_format=source_format, path=path, agency_code=agency_code)


def _reasons(run: ImportRun) -> dict[int, tuple[str, str]]:
    return {q.row_number: (q.field_name, q.reason) for q in run.quarantined.all()}


def test_a_good_file_loads_every_row_exactly_as_received(agency: Agency, tmp_path: Path) -> None:
    rows = [
        person("EH1", given_name=" Amara ", nhs_number="999 100 0003"),
        person("EH2", given_name="Kofi", family_name="Mensah", sex="", postcode=""),
    ]
    run = _import(write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, rows))
    assert (run.status, run.rows_in, run.rows_loaded, run.rows_quarantined) == ("loaded", 2, 2, 0)
    record = SourceRecord.objects.get(agency=agency, record_id="EH1")
    assert record.given_name == " Amara " and record.nhs_number == "999 100 0003"
    assert record.child is None and record.raw["given_name"] == " Amara "
    assert SourceRecord.objects.filter(agency=agency).count() == 2


def test_the_file_is_archived_byte_for_byte_under_its_checksum(
    agency: Agency, tmp_path: Path, settings: pytest.FixtureRequest
) -> None:
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, [person("EH1")], bom=True, crlf=True)
    run = _import(path)
    import hashlib

    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    archived = Path(settings.VAR_DIR) / run.archived_path  # type: ignore[attr-defined]
    assert run.sha256 == sha and archived.name == sha and archived.parent.name == sha[:2]
    assert archived.read_bytes() == path.read_bytes() and run.size_bytes == path.stat().st_size


def test_bom_crlf_header_case_spacing_and_extra_columns_are_accepted(
    agency: Agency, tmp_path: Path
) -> None:
    header = [" Record ID", "Given Name", "middle_names", "FAMILY_NAME", "Date of Birth"]
    header += ["sex", "postcode", "address", "nhs_number", "upn", "la_child_id", "Ward"]
    rows = [person("EH1") + ["North"], [], person("EH2") + ["South"]]
    run = _import(write_csv(tmp_path / "eh.csv", header, rows, bom=True, crlf=True))
    assert (run.rows_in, run.rows_loaded) == (2, 2)
    record = SourceRecord.objects.get(record_id="EH2")
    assert record.family_name == "Okafor" and record.raw["Ward"] == "South"
    assert {"row": 1, "field": "Ward"}.items() <= run.warnings[0].items()


BAD_ROWS = {
    "bare carriage return": (
        person("EH9", address="1 High St\rEastbrook"),
        "(whole row)",
        "line break (carriage return) outside quotes",
    ),
    "blank record id": (person(""), "record_id", "is blank"),
    "no identity": (
        person("EH9", given_name="", family_name="", date_of_birth=""),
        "given_name/family_name/date_of_birth/nhs_number/upn/la_child_id",
        "identifies no one",
    ),
    "DOB in another format": (
        person("EH9", date_of_birth="17/05/2015"),
        "date_of_birth",
        "YYYY-MM-DD",
    ),
    "DOB not a real date": (
        person("EH9", date_of_birth="2015-02-30"),
        "date_of_birth",
        "not a date",
    ),
    "DOB in the future": (person("EH9", date_of_birth="2999-01-01"), "date_of_birth", "future"),
    "name too long": (
        person("EH9", given_name="A" * 201),
        "given_name",
        "the most it can hold is 200",
    ),
    "record id too long": (person("X" * 101), "record_id", "the most it can hold is 100"),
    "NUL byte": (person("EH9", family_name="Ok\x00afor"), "family_name", "NUL byte"),
    "too few values": (
        ["EH9", "Amara", "", "Okafor"],
        "(whole row)",
        "has 4 values but the header has 11",
    ),
    "too many values": (person("EH9") + ["x"], "(whole row)", "unquoted comma"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_each_bad_row_is_quarantined_naming_the_field_and_why(
    case: str, agency: Agency, tmp_path: Path
) -> None:
    bad, field, words = BAD_ROWS[case]
    rows = [person("EH1"), bad, person("EH2")]
    run = _import(write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, rows))
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (3, 2, 1)
    quarantined = QuarantinedRow.objects.get(run=run)
    assert quarantined.row_number == 3  # the header is row 1
    assert quarantined.field_name == field and words in quarantined.reason
    assert quarantined.raw  # the row as read is kept


def test_a_duplicate_record_id_is_quarantined_naming_the_first_row(
    agency: Agency, tmp_path: Path
) -> None:
    rows = [person("EH1"), person("EH2"), person("EH1", given_name="Other")]
    run = _import(write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, rows))
    assert _reasons(run) == {4: ("record_id", "record_id 'EH1' repeats the record id of row 2")}
    assert SourceRecord.objects.get(record_id="EH1").given_name == "Amara"


def test_a_failing_nhs_number_is_loaded_as_received_with_a_warning(
    agency: Agency, tmp_path: Path
) -> None:
    rows = [person("EH1", nhs_number="9991000004"), person("EH2", upn="A99999")]
    run = _import(write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, rows))
    assert (run.rows_loaded, run.rows_quarantined, run.warning_count) == (2, 0, 2)
    assert SourceRecord.objects.get(record_id="EH1").nhs_number == "9991000004"
    assert run.warnings[0]["field"] == "nhs_number" and "modulus-11" in run.warnings[0]["reason"]


def test_a_last_line_cut_short_is_quarantined_as_truncated(agency: Agency, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, [person("EH1"), person("EH2")])
    path.write_bytes(path.read_bytes() + b"EH3,Kofi,,Men")
    run = _import(path)
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (3, 2, 1)
    assert "cut short (truncated)" in _reasons(run)[4][1]


def test_a_last_line_cut_inside_quotes_is_quarantined_as_truncated(
    agency: Agency, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, [person("EH1")])
    path.write_bytes(path.read_bytes() + b'EH2,Kofi,,Mensah,2015-01-01,M,JU1 1AA,"12 High')
    run = _import(path)
    assert (run.rows_loaded, run.rows_quarantined) == (1, 1)
    assert "ends inside a quoted value" in _reasons(run)[3][1]


def test_a_bare_carriage_return_in_an_unquoted_value_quarantines_one_row(
    agency: Agency, tmp_path: Path
) -> None:
    # csv.writer with "\n" line endings leaves a lone CR unquoted; it is data, not a row end.
    rows = [person("EH1", family_name="Oka\rfor"), person("EH2", family_name="Mensah")]
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, rows)
    assert b"Oka\rfor" in path.read_bytes()  # written unquoted
    run = _import(path)
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (2, 1, 1)
    assert SourceRecord.objects.get(record_id="EH2").family_name == "Mensah"
    assert "outside quotes" in _reasons(run)[2][1]
    assert QuarantinedRow.objects.get(run=run).raw["family_name"] == "Oka\rfor"


# -- whole-file problems: a clear message, no traceback, nothing loaded ----------------------


def _refused(path: Path, **kw: str) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        _import(path, **kw)
    assert SourceRecord.objects.count() == 0
    return caught.value


def test_a_file_that_is_not_utf8_is_refused_with_the_offset(agency: Agency, tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    content = ",".join(PERSONS_COLUMNS).encode() + b"\nEH1,Ren\xe9e,,Dupont,2015-01-01\n"
    path.write_bytes(content)
    error = _refused(path)
    offset = content.index(b"\xe9")
    assert str(error) == (
        f"latin.csv is not UTF-8 text (byte 0xe9 at offset {offset}); save it as UTF-8"
    )
    assert error.run is not None and error.run.status == ImportStatus.FAILED
    assert error.run.rows_loaded == 0 and Path(error.run.archived_path).name == error.run.sha256


def test_old_mac_line_endings_are_refused_with_a_plain_message(
    agency: Agency, tmp_path: Path
) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes((",".join(PERSONS_COLUMNS) + "\rEH1,Amara,,Okafor,2015-01-01\r").encode())
    assert "bare carriage return (old Mac line endings)" in str(_refused(path))


def test_missing_columns_are_named_with_what_was_found(agency: Agency, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "eh.csv", ["record_id", "given_name", "sex"], [["EH1", "A", "F"]])
    assert str(_refused(path)) == (
        "eh.csv is missing column(s): family_name, date_of_birth; found: record_id, given_name, sex"
    )


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\r\n"])
def test_an_empty_file_is_refused(content: bytes, agency: Agency, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    assert str(_refused(path)).startswith("empty.csv is empty")


def test_a_column_named_twice_is_refused(agency: Agency, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "eh.csv", [*PERSONS_COLUMNS, "Given Name"], [])
    assert "has the column 'Given Name' twice" in str(_refused(path))


def test_a_file_over_the_size_limit_is_refused_unread(
    agency: Agency, tmp_path: Path, settings: pytest.FixtureRequest
) -> None:
    settings.IMPORT_MAX_BYTES = 10  # type: ignore[attr-defined]
    path = write_csv(tmp_path / "big.csv", PERSONS_COLUMNS, [person("EH1")])
    assert "JOINEDUP_IMPORT_MAX_BYTES" in str(_refused(path))
    assert not ImportRun.objects.exists()


def test_an_unknown_format_or_agency_lists_the_valid_ones(agency: Agency, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, [person("EH1")])
    assert "use one of: persons, school-census, health-contacts" in str(
        _refused(path, source_format="people")
    )
    assert str(_refused(path, agency_code="nope")) == (
        "Unknown agency code 'nope'; the agencies are: early-help"
    )
    assert "does not exist" in str(_refused(tmp_path / "missing.csv"))

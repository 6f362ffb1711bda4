"""The attendance format: marks read in bulk by DuckDB, quarantined row by row with a reason,
kept in one Parquet file per import run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from joinedup.governance.models import Agency, AgencyType
from joinedup.ingest.attendance import marks_file, marks_paths, marks_relation
from joinedup.ingest.attendance_codes import CATEGORIES, CODES, RETIRED, category_of
from joinedup.ingest.models import ImportRun, ImportStatus, QuarantinedRow
from joinedup.ingest.services import ImportRefused, import_file
from joinedup.people.models import SourceRecord
from tests import factories
from tests.ingest.helpers import write_csv

pytestmark = pytest.mark.django_db

HEADER = ("record_id", "upn", "school_urn", "date", "session", "code")
URN = "102443"
CODE = f"school-{URN}"


@pytest.fixture
def school(db: None) -> Agency:
    school = factories.agency(AgencyType.SCHOOL, code=CODE, urn=URN)
    for n in range(1, 4):
        SourceRecord.objects.create(
            agency=school,
            record_id=f"P{n}",
            upn=f"E99020001910{n}",
            given_name="Olive",
            family_name=f"Mason{n}",
        )
    return school


def _import(path: Path, agency_code: str = CODE) -> ImportRun:
    return import_file(actor=None, source_format="attendance", path=path, agency_code=agency_code)


def _marks(agency_code: str = CODE) -> list[tuple[str, str, str, str, str]]:
    con = duckdb.connect()
    rel = marks_relation(con, marks_paths(agency_code))
    return sorted(
        (r, str(d), s, c, cat)
        for r, d, s, c, cat in rel.select("record_id, date, session, code, category").fetchall()
    )


def _reasons(run: ImportRun) -> dict[int, tuple[str, str]]:
    return {q.row_number: (q.field_name, q.reason) for q in run.quarantined.all()}


def write_bytes(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def _parquet_files(var: Path) -> list[str]:
    folder = var / "attendance"
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_good_file_loads_every_mark_with_its_category(school: Agency, tmp_path: Path) -> None:
    rows = [
        ["P1", "", URN, "2025-09-03", "AM", "/"],
        ["P1", "", URN, "2025-09-03", "PM", "\\"],
        ["P2", "", "", "04/09/2025", "am", " i "],
        ["", "E990200019103", URN, "2025-09-04", "PM", "Y7"],
        ["P3", "", URN, "2025-09-05", "AM", "#"],
    ]
    run = _import(write_csv(tmp_path / "att.csv", HEADER, rows))
    assert run.status == ImportStatus.LOADED
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined, run.rows_new) == (5, 5, 0, 5)
    assert marks_file(run).exists()
    assert _marks() == [
        ("P1", "2025-09-03", "AM", "/", "present"),
        ("P1", "2025-09-03", "PM", "\\", "present"),
        ("P2", "2025-09-04", "AM", "I", "authorised"),
        ("P3", "2025-09-04", "PM", "Y7", "not_possible"),
        ("P3", "2025-09-05", "AM", "#", "not_possible"),
    ]
    con = duckdb.connect()
    (row,) = marks_relation(con, [marks_file(run)]).filter("code = 'I'").fetchall()
    source = SourceRecord.objects.get(agency=school, record_id="P2")
    assert (row[0], row[1], row[4]) == (run.pk, source.pk, URN)


def test_headers_match_ignoring_case_spaces_and_a_school_systems_names(
    school: Agency, tmp_path: Path
) -> None:
    header = ("Pupil Ref", "DATE", "Session", "Mark", "Teacher")
    path = write_csv(
        tmp_path / "att.csv", header, [["P1", "2025-09-03", "AM", "L", "Ms B"]], bom=True, crlf=True
    )
    run = _import(path)
    assert (run.rows_loaded, run.rows_quarantined) == (1, 0)
    assert run.warnings == [
        {"row": 1, "field": "Teacher", "reason": "is not a column of this format"}
    ]
    assert _marks() == [("P1", "2025-09-03", "AM", "L", "present")]


def test_each_kind_of_bad_row_is_quarantined_with_its_field_and_reason(
    school: Agency, tmp_path: Path
) -> None:
    rows = [
        ["P1", "", URN, "2025-09-03", "AM", "/"],  # row 2: good
        ["P1", "", URN, "2025-09-03", "AM", "Q9"],  # 3: unknown code
        ["P1", "", URN, "2025-09-31", "PM", "/"],  # 4: no such date
        ["P1", "", URN, "2025-09-04", "EVE", "/"],  # 5: bad session
        ["P9", "", URN, "2025-09-04", "AM", "/"],  # 6: unknown pupil
        ["", "", URN, "", "", ""],  # 7: blank everything
        ["P2", "", URN, "2025-09-04", "AM", "F"],  # 8: retired code
        ["P2", "", "999999", "2025-09-05", "AM", "/"],  # 9: another school's URN
        ["P2", "", URN, "2099-09-05", "AM", "/"],  # 10: in the future
        ["P2", "", URN, "2025-09-08", "AM", "/", "extra"],  # 11: too many values
        ["P1", "", URN, "2025-09-03", "AM", "N"],  # 12: repeats row 2
        ["", "E990200019199", URN, "2025-09-08", "AM", "/"],  # 13: unknown UPN
    ]
    run = _import(write_csv(tmp_path / "att.csv", HEADER, rows))
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (12, 1, 11)
    reasons = _reasons(run)
    assert reasons[3] == ("code", "code 'Q9' is not a DfE attendance code (the August 2024 list)")
    assert reasons[4] == (
        "date",
        "date '2025-09-31' is not a date in the format YYYY-MM-DD (or DD/MM/YYYY)",
    )
    assert reasons[5] == ("session", "session 'EVE' is not a session: use AM or PM")
    assert reasons[6][0] == "record_id"
    assert "'P9' is not a pupil school-102443 has sent" in reasons[6][1]
    assert "import the school's pupil list first" in reasons[6][1]
    assert reasons[7][0] == "record_id, date, session, code"
    assert "record_id is blank" in reasons[7][1] and "date is blank" in reasons[7][1]
    assert reasons[8] == (
        "code",
        "code 'F' was retired in August 2024 (extended family holiday: use G or C)",
    )
    assert reasons[9] == ("school_urn", "school_urn '999999' is not this school's URN (102443)")
    assert reasons[10] == ("date", "date '2099-09-05' is in the future")
    assert reasons[11][0] == "(whole row)" and "has 7 values but the header has 6" in reasons[11][1]
    assert reasons[12] == (
        "record_id, date, session",
        "record_id, date, session repeats the mark for this pupil's AM session on 2025-09-03 "
        "given in row 2",
    )
    assert reasons[13][0] == "upn" and "'E990200019199' is not the UPN" in reasons[13][1]
    assert run.quarantined.get(row_number=3).raw == {
        "record_id": "P1",
        "upn": "",
        "school_urn": URN,
        "date": "2025-09-03",
        "session": "AM",
        "code": "Q9",
    }
    assert _marks() == [("P1", "2025-09-03", "AM", "/", "present")]


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does(
    school: Agency, tmp_path: Path
) -> None:
    text = (
        "record_id,date,session,code\n\nP1,2025-09-03,AM,/\n\nP1,2025-09-03,PM,?\n"
        "P1,2025-09-04,AM\nP1,2025-09-04,PM,Z\n"
    )
    for name, content in (("lf.csv", text), ("crlf.csv", text.replace("\n", "\r\n"))):
        run = _import(write_bytes(tmp_path / name, content.encode()))
        assert (run.rows_in, run.rows_loaded) == (4, 2), name
        assert sorted(_reasons(run)) == [5, 6], name


def test_bad_files_are_refused_and_nothing_is_kept(
    school: Agency, tmp_path: Path, settings: pytest.FixtureRequest
) -> None:
    good = "record_id,date,session,code\nP1,2025-09-03,AM,/\n"
    files = {
        "missing.csv": (b"record_id,date,code\nP1,2025-09-03,/\n", "missing column(s): session"),
        "utf16.csv": (good.encode("utf-16"), "is not UTF-8 text"),
        "latin1.csv": (
            (good + "P2,2025-09-03,AM,/\nP\xe9,2025-09-04,AM,/\n").encode("latin-1"),
            "is not UTF-8 text (row 4",
        ),
        "truncated.csv": (good.encode() + b"P1,2025-09-03,P", "looks cut short (truncated)"),
        "junk.csv": (bytes(range(256)) * 8, "is not UTF-8 text"),
        "empty.csv": (b"", "is empty"),
        "twice.csv": (b"date,session,code,Date\n", "twice in its header"),
    }
    var = Path(settings.VAR_DIR)  # type: ignore[attr-defined]
    for name, (content, message) in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ImportRefused) as refused:
            _import(path)
        assert message in str(refused.value), name
        assert name in str(refused.value)
        assert refused.value.run is not None and refused.value.run.status == ImportStatus.FAILED
    settings.IMPORT_MAX_BYTES = 10  # type: ignore[attr-defined]
    with pytest.raises(ImportRefused, match="more than the import limit"):
        _import(write_csv(tmp_path / "big.csv", HEADER, [["P1", "", "", "2025-09-03", "AM", "/"]]))
    assert not ImportRun.objects.filter(status=ImportStatus.LOADED).exists()
    assert not QuarantinedRow.objects.exists()
    assert _parquet_files(var) == []
    assert _marks() == []


def test_a_school_with_no_pupil_list_is_told_to_import_it_first(db: None, tmp_path: Path) -> None:
    factories.agency(AgencyType.SCHOOL, code="school-100001", urn="100001")
    path = write_csv(tmp_path / "a.csv", HEADER, [["P1", "", "", "2025-09-03", "AM", "/"]])
    with pytest.raises(ImportRefused, match="has sent no pupil list yet"):
        _import(path, "school-100001")


def test_importing_the_same_file_again_changes_nothing(
    school: Agency, tmp_path: Path, settings: pytest.FixtureRequest
) -> None:
    path = write_csv(
        tmp_path / "a.csv",
        HEADER,
        [["P1", "", "", "2025-09-03", "AM", "/"], ["P1", "", "", "2025-09-03", "XX", "/"]],
    )
    first = _import(path)
    var = Path(settings.VAR_DIR)  # type: ignore[attr-defined]
    before = (_marks(), _parquet_files(var), QuarantinedRow.objects.count())
    again = _import(path)
    assert again.status == ImportStatus.ALREADY_IMPORTED
    assert f"already imported by run #{first.pk}" in again.error_message
    assert (_marks(), _parquet_files(var), QuarantinedRow.objects.count()) == before


def test_an_overlapping_later_file_wins_for_the_marks_it_holds(
    school: Agency, tmp_path: Path
) -> None:
    week1 = [
        ["P1", "", "", "2025-09-03", "AM", "N"],
        ["P1", "", "", "2025-09-03", "PM", "N"],
        ["P2", "", "", "2025-09-03", "AM", "/"],
    ]
    _import(write_csv(tmp_path / "w1.csv", HEADER, week1))
    corrected = [
        ["P1", "", "", "2025-09-03", "AM", "I"],  # reason established: changed
        ["P2", "", "", "2025-09-03", "AM", "/"],  # the same as held
        ["P2", "", "", "2025-09-04", "AM", "/"],  # new
    ]
    run = _import(write_csv(tmp_path / "w2.csv", HEADER, corrected))
    assert (run.rows_loaded, run.rows_new, run.rows_changed) == (3, 1, 1)
    assert _marks() == [
        ("P1", "2025-09-03", "AM", "I", "authorised"),
        ("P1", "2025-09-03", "PM", "N", "unauthorised"),
        ("P2", "2025-09-03", "AM", "/", "present"),
        ("P2", "2025-09-04", "AM", "/", "present"),
    ]


def test_every_2024_code_has_a_category_and_retired_codes_are_refused(
    school: Agency, tmp_path: Path
) -> None:
    expected = {
        "present": {"/", "\\", "L"},
        "approved_activity": {"K", "V", "P", "W", "B"},
        "authorised": {"C1", "C2", "C", "M", "J1", "S", "R", "T", "I", "E"},
        "unauthorised": {"G", "N", "O", "U"},
        "not_possible": {"D", "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#"},
        "no_mark": {"-"},
    }
    assert {c: {k for k in CODES if category_of(k) == c} for c in CATEGORIES} == expected
    assert not set(RETIRED) & set(CODES)
    rows = [
        ["P1", "", "", f"2025-{9 + n // 20:02d}-{1 + n % 20:02d}", "AM", code]
        for n, code in enumerate([*CODES, *RETIRED])
    ]
    run = _import(write_csv(tmp_path / "codes.csv", HEADER, rows))
    assert (run.rows_loaded, run.rows_quarantined) == (len(CODES), len(RETIRED))
    assert {code: cat for _, _, _, code, cat in _marks()} == {c: category_of(c) for c in CODES}


def test_past_the_raw_cap_quarantined_rows_keep_their_reason_but_not_their_values(
    school: Agency, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("joinedup.ingest.attendance.RAW_KEPT", 2)
    rows = [["P1", "", "", f"2025-09-{day:02d}", "AM", "??"] for day in range(1, 6)]
    run = _import(write_csv(tmp_path / "bad.csv", HEADER, rows))
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (5, 0, 5)
    kept = list(
        run.quarantined.order_by("row_number").values_list("row_number", "field_name", "raw")
    )
    assert [(n, f) for n, f, _ in kept] == [(n, "code") for n in range(2, 7)]
    assert [bool(raw) for _, _, raw in kept] == [True, True, False, False, False]
    assert "5 rows were quarantined; the raw values of the first 2 are kept" in str(run.warnings)


def test_progress_is_reported_at_each_stage_and_ends_at_the_whole_file(
    school: Agency, tmp_path: Path
) -> None:
    rows = [["P1", "", "", f"2025-09-{day:02d}", "AM", "/"] for day in range(1, 29)]
    path = write_csv(tmp_path / "a.csv", HEADER, rows)
    calls: list[tuple[int, int, int]] = []
    run = import_file(
        actor=None,
        source_format="attendance",
        path=path,
        agency_code=CODE,
        progress=lambda *call: calls.append(call),
    )
    size = path.stat().st_size
    shares = [done / total for _, done, total in calls]
    assert shares == sorted(shares) and shares[0] == 0
    assert {0.6, 0.95} <= {round(s, 2) for s in shares}
    assert calls[-1] == (run.rows_in, size, size) == (28, size, size)

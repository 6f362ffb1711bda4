"""Whatever an attendance file holds, every row is loaded or quarantined, the Parquet file holds
exactly the loaded marks, and importing it twice changes nothing."""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.governance.models import AgencyType, AuditEvent
from joinedup.ingest.attendance import marks_file, marks_paths, marks_relation
from joinedup.ingest.models import ImportRun, ImportStatus, QuarantinedRow
from joinedup.ingest.services import import_file
from joinedup.people.models import SourceRecord
from tests import factories

pytestmark = pytest.mark.django_db
_agency_numbers = itertools.count(1)
HEADER = ["record_id", "upn", "date", "session", "code"]

# Printable text (control characters, e.g. a bare carriage return, are a file-level matter).
garbage = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8)
plausible = {
    "record_id": st.one_of(st.sampled_from(["P1", "P2", " P3 ", "", "P9"]), garbage),
    "upn": st.one_of(st.sampled_from(["", "E990200019101", "E990200019199"]), garbage),
    "date": st.one_of(
        st.dates().map(str), st.sampled_from(["2025-09-03", "03/09/2025", "2025-02-30"]), garbage
    ),
    "session": st.one_of(st.sampled_from(["AM", "PM", "pm", ""]), garbage),
    "code": st.one_of(st.sampled_from(["/", "\\", "I", "Y7", "C1", "F", "", "#"]), garbage),
}
mark_row = st.fixed_dictionaries({c: plausible[c] for c in HEADER}).map(
    lambda values: [values[c] for c in HEADER]
)
# Sometimes a row with the wrong number of values, as a hand-edited file has.
any_row = st.one_of(mark_row, mark_row.map(lambda r: r[:3]), mark_row.map(lambda r: r + ["x"]))


def _file(rows: list[list[str]], crlf: bool, bom: bool) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows([HEADER, *rows])
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


@settings(
    max_examples=40,
    database=None,  # no .hypothesis/ folder in the working tree
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(any_row, max_size=25), crlf=st.booleans(), bom=st.booleans())
def test_rows_in_equal_loaded_plus_quarantined_and_twice_changes_nothing(
    db: None, rows: list[list[str]], crlf: bool, bom: bool
) -> None:
    agency = factories.agency(AgencyType.SCHOOL, code=f"prop-att-{next(_agency_numbers)}")
    for n in (1, 2, 3):
        SourceRecord.objects.create(
            agency=agency,
            record_id=f"P{n}",
            upn=f"E99020001910{n}",
            given_name="A",
            family_name="B",
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "attendance.csv"
        path.write_bytes(_file(rows, crlf, bom))
        run = import_file(
            actor=None, source_format="attendance", path=path, agency_code=agency.code
        )
        assert run.status == ImportStatus.LOADED
        assert run.rows_in == len(rows)
        assert run.rows_in == run.rows_loaded + run.rows_quarantined
        assert run.rows_quarantined == QuarantinedRow.objects.filter(run=run).count()
        numbers = list(QuarantinedRow.objects.filter(run=run).values_list("row_number", flat=True))
        assert len(set(numbers)) == len(numbers)
        assert all(2 <= n <= len(rows) + 1 for n in numbers)
        con = duckdb.connect()
        held = marks_relation(con, marks_paths(agency.code)).fetchall()
        assert len(held) == run.rows_loaded
        assert marks_file(run).exists()
        before = (sorted(held), AuditEvent.objects.count(), QuarantinedRow.objects.count())
        again = import_file(
            actor=None, source_format="attendance", path=path, agency_code=agency.code
        )
        assert again.status == ImportStatus.ALREADY_IMPORTED
        after_marks = marks_relation(con, marks_paths(agency.code)).fetchall()
        after = (sorted(after_marks), AuditEvent.objects.count(), QuarantinedRow.objects.count())
        assert after == before
        assert ImportRun.objects.filter(agency=agency, status=ImportStatus.LOADED).count() == 1

"""Whatever an exclusions or SSDA903 episodes file holds, every row is loaded or quarantined,
and the same rows imported again (even in a file with other bytes) add no event."""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.chronology.models import Event
from joinedup.governance.models import AgencyType
from joinedup.ingest.models import QuarantinedRow
from joinedup.ingest.services import import_file
from joinedup.people.models import SourceRecord
from tests import factories

pytestmark = pytest.mark.django_db
_agency_numbers = itertools.count(1)
garbage = st.text(max_size=10)


def _pick(*values: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), garbage)


dates = st.one_of(st.dates().map(str), st.dates().map(lambda d: d.strftime("%d/%m/%Y")), garbage)
FORMATS = {
    "exclusions": {
        "PupilRef": _pick("P1", "P2", "P9", ""),
        "UPN": _pick("A990200019100", ""),
        "Category": _pick("FIXD", "PERM", "suspension", "LNCH", ""),
        "StartDate": dates,
        "EndDate": st.one_of(st.just(""), dates),
        "Reason": _pick("VA", "PP", "DMG", "XX", ""),
        "Sessions": _pick("1", "4", "0", "-2", ""),
    },
    "ssda903": {
        "CHILD": _pick("P1", "P2", "P9", ""),
        "DECOM": dates,
        "RNE": _pick("S", "P", "L", "Q"),
        "LS": _pick("C1", "V2", "Z9"),
        "PLACE": _pick("U6", "K2", "ZZ"),
        "DEC": st.one_of(st.just(""), dates),
        "REC": _pick("", "X1", "E4A", "E99"),
    },
}


def _file(columns: list[str], rows: list[list[str]], crlf: bool) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows([columns, *rows])
    return buffer.getvalue().encode("utf-8")


@settings(
    max_examples=40,
    database=None,  # no .hypothesis/ folder in the working tree
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    source_format=st.sampled_from(sorted(FORMATS)),
    data=st.data(),
    crlf=st.booleans(),
)
def test_rows_in_equal_loaded_plus_quarantined_and_again_adds_nothing(
    db: None, source_format: str, data: st.DataObject, crlf: bool
) -> None:
    agency = factories.agency(AgencyType.SCHOOL, code=f"returns-{next(_agency_numbers)}")
    for record_id in ("P1", "P2"):
        SourceRecord.objects.create(agency=agency, record_id=record_id, upn="A990200019100")
    fields = FORMATS[source_format]
    columns = list(fields)
    row = st.fixed_dictionaries(fields).map(lambda values: [values[c] for c in columns])
    rows = data.draw(st.lists(row, max_size=20))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.csv"
        path.write_bytes(_file(columns, rows, crlf))
        run = import_file(
            actor=None, source_format=source_format, path=path, agency_code=agency.code
        )
        assert run.rows_in == len(rows) == run.rows_loaded + run.rows_quarantined
        assert run.rows_quarantined == QuarantinedRow.objects.filter(run=run).count()
        events = Event.objects.filter(agency=agency)
        before = sorted(events.values_list("pk", "event_type", "occurred_at", "summary"))
        assert run.rows_new <= run.rows_loaded and len(before) >= run.rows_new
        path.write_bytes(_file(columns, rows, not crlf))  # other bytes, the same rows
        again = import_file(
            actor=None, source_format=source_format, path=path, agency_code=agency.code
        )
        assert (again.rows_loaded, again.rows_quarantined) == (
            run.rows_loaded,
            run.rows_quarantined,
        )
        assert again.rows_new == 0
        assert sorted(events.values_list("pk", "event_type", "occurred_at", "summary")) == before

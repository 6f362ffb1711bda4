"""Whatever a persons file holds, every row is loaded or quarantined, and importing it twice
changes nothing."""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.governance.models import AgencyType, AuditEvent
from joinedup.ingest.models import ImportRun, ImportStatus, QuarantinedRow
from joinedup.ingest.services import import_file
from joinedup.people.models import SourceRecord
from tests import factories
from tests.ingest.helpers import PERSONS_COLUMNS

pytestmark = pytest.mark.django_db
_agency_numbers = itertools.count(1)

garbage = st.text(max_size=12)
plausible = {
    "record_id": st.one_of(st.sampled_from(["EH1", "EH2", "EH3", " EH1 ", ""]), garbage),
    "given_name": st.one_of(st.sampled_from(["Amara", "", "Zoë"]), garbage),
    "family_name": st.one_of(st.sampled_from(["Okafor", "O'Neil", ""]), garbage),
    "date_of_birth": st.one_of(
        st.dates().map(str), st.sampled_from(["", "2015-02-30", "17/05/2015"]), garbage
    ),
    "nhs_number": st.one_of(st.sampled_from(["", "9991000003", "9991000004"]), garbage),
    "address": st.one_of(st.just("1 High Street, Eastbrook"), st.text(max_size=320)),
}
person_row = st.fixed_dictionaries(
    {c: plausible.get(c, st.one_of(st.just(""), garbage)) for c in PERSONS_COLUMNS}
).map(lambda values: [values[c] for c in PERSONS_COLUMNS])
# Sometimes a row with the wrong number of values, as a hand-edited file has.
any_row = st.one_of(
    person_row, person_row.map(lambda r: r[:4]), person_row.map(lambda r: r + ["x"])
)


def _file(rows: list[list[str]], crlf: bool, bom: bool) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows([PERSONS_COLUMNS, *rows])
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


@settings(
    max_examples=60,
    database=None,  # no .hypothesis/ folder in the working tree
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(any_row, max_size=25), crlf=st.booleans(), bom=st.booleans())
def test_rows_in_equal_loaded_plus_quarantined_and_twice_changes_nothing(
    db: None, rows: list[list[str]], crlf: bool, bom: bool
) -> None:
    agency = factories.agency(AgencyType.EARLY_HELP, code=f"prop-{next(_agency_numbers)}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "persons.csv"
        path.write_bytes(_file(rows, crlf, bom))
        run = import_file(actor=None, source_format="persons", path=path, agency_code=agency.code)
        assert run.status == ImportStatus.LOADED
        assert run.rows_in == run.rows_loaded + run.rows_quarantined
        assert run.rows_quarantined == QuarantinedRow.objects.filter(run=run).count()
        assert run.rows_in == len(rows)
        held = SourceRecord.objects.filter(agency=agency)
        assert held.count() == run.rows_loaded
        before = (
            sorted(held.values_list("record_id", "given_name", "date_of_birth", "raw")),
            AuditEvent.objects.count(),
            QuarantinedRow.objects.count(),
        )
        again = import_file(actor=None, source_format="persons", path=path, agency_code=agency.code)
        assert again.status == ImportStatus.ALREADY_IMPORTED
        after = (
            sorted(held.values_list("record_id", "given_name", "date_of_birth", "raw")),
            AuditEvent.objects.count(),
            QuarantinedRow.objects.count(),
        )
        assert after == before
        assert ImportRun.objects.filter(agency=agency, status=ImportStatus.LOADED).count() == 1

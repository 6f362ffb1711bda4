"""Every extract the synthetic area generator writes imports with its adapter, and nothing is
quarantined: the generator's noise is the kind real identities carry, not broken rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.chronology.models import Event
from joinedup.demo.generator import generate_area
from joinedup.demo.writer import write_area
from joinedup.governance.models import Agency
from joinedup.ingest.models import QuarantinedRow
from joinedup.ingest.services import import_file
from joinedup.people.models import SourceRecord

pytestmark = pytest.mark.django_db

FORMAT_BY_AGENCY_TYPE = {
    "school": "school-census",
    "health": "health-contacts",
    "police": "police-notification",
}


def test_the_whole_demo_area_imports_with_nothing_quarantined(tmp_path: Path) -> None:
    area = generate_area(children=400, seed=5, schools=3)
    write_area(area, tmp_path / "extracts")
    for spec in area.agencies:
        Agency.objects.create(
            code=spec.code, name=spec.name, agency_type=spec.agency_type, urn=spec.urn
        )
    loaded = events = warnings = 0
    for spec in area.agencies:
        source_format = FORMAT_BY_AGENCY_TYPE.get(spec.agency_type, "persons")
        run = import_file(
            actor=None,
            source_format=source_format,
            path=tmp_path / "extracts" / f"{spec.code}.csv",
            agency_code=spec.code,
        )
        loaded += run.rows_loaded
        warnings += run.warning_count
        run = import_file(
            actor=None,
            source_format="events",
            path=tmp_path / "extracts" / f"{spec.code}-events.csv",
            agency_code=spec.code,
        )
        events += run.rows_loaded
    assert list(QuarantinedRow.objects.values_list("field_name", "reason")[:5]) == []
    assert loaded == len(area.records) == SourceRecord.objects.count()
    assert events == len(area.events) == Event.objects.count()  # noqa: TID251
    # The only warnings are the NHS numbers the generator deliberately transposes.
    transposed = sum(1 for r in area.records if r.nhs_number and not _nhs_ok(r.nhs_number))
    assert warnings == transposed


def _nhs_ok(value: str) -> bool:
    from joinedup.linkage.identifiers import InvalidIdentifier, check_nhs_number

    try:
        check_nhs_number(value)
    except InvalidIdentifier:
        return False
    return True

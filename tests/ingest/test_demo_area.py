"""Every extract the synthetic area generator writes imports with its adapter, and nothing is
quarantined: the generator's noise is the kind real identities carry, not broken rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from joinedup.chronology.models import Event
from joinedup.demo.generator import generate_area
from joinedup.demo.generator.returns import MOVED_EVENT_TYPES
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
    from_files = Event.objects.count()  # noqa: TID251
    manifest = json.loads((tmp_path / "extracts" / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["agencies"]:
        for extra in entry["returns"]:  # exclusions, CIN census, SSDA903
            run = import_file(
                actor=None,
                source_format=extra["format"],
                path=tmp_path / "extracts" / extra["file"],
                agency_code=entry["code"],
            )
            assert run.rows_loaded == extra["rows"]
    assert list(QuarantinedRow.objects.values_list("field_name", "reason")[:5]) == []
    # The returns add no source record: they name records the person extracts hold.
    assert loaded == len(area.records) == SourceRecord.objects.count()
    moved = [e for e in area.events if e.event_type in MOVED_EVENT_TYPES.get(_type(e), ())]
    assert events == len(area.events) - len(moved) == from_files
    # Each event a return carries is there, as the same kind of event on the same record.
    returned = Event.objects.filter(event_type__in={e.event_type for e in moved})  # noqa: TID251
    assert {(e.agency_code, e.record_id, e.event_type) for e in moved} == set(
        returned.values_list("agency__code", "source_record__record_id", "event_type")
    )
    # The only warnings are the NHS numbers the generator deliberately transposes.
    transposed = sum(1 for r in area.records if r.nhs_number and not _nhs_ok(r.nhs_number))
    assert warnings == transposed


def _type(event: object) -> str:
    code = str(getattr(event, "agency_code", ""))
    return "school" if code.startswith("school-") else code.replace("-", "_")


def _nhs_ok(value: str) -> bool:
    from joinedup.linkage.identifiers import InvalidIdentifier, check_nhs_number

    try:
        check_nhs_number(value)
    except InvalidIdentifier:
        return False
    return True

"""Loading a generated area's agency records into the database, unlinked, as imports would."""

from __future__ import annotations

from typing import Any

from joinedup.governance.models import Agency
from joinedup.people.link_runs import RECORD_COLUMNS
from joinedup.people.models import SourceRecord


def area_records_load(area: Any) -> dict[str, Agency]:
    """Create the area's agencies and every source record (no child yet); agency code -> agency."""
    agencies = {
        a.code: Agency.objects.create(code=a.code, name=a.name, agency_type=a.agency_type)
        for a in area.agencies
    }
    SourceRecord.objects.bulk_create(
        SourceRecord(
            agency=agencies[r.agency_code],
            record_id=r.record_id,
            **{c: getattr(r, c) for c in RECORD_COLUMNS},
        )
        for r in area.records
    )
    return agencies

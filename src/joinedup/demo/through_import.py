"""Build the demo area the real way: extract files -> import -> link -> person index.

Agencies, teams, logins and sharing agreements are set up first; then every agency's extract
is imported through `joinedup.ingest` — people, events, returns, registers, and its case list,
households and relationships files (schools' rolls put pupils on roll) — and `joinedup link`
builds the children, which the involvements, households and relationships then follow.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.db import transaction

from joinedup.demo.casework import casework_seed
from joinedup.demo.directory_data import directory_import_and_link
from joinedup.demo.generator import Area
from joinedup.demo.loader import LoadSummary, _setup
from joinedup.demo.writer import write_area
from joinedup.governance.models import AgencyType
from joinedup.ingest.services import ImportOptions, import_file
from joinedup.people.link_runs import link_run_execute
from joinedup.people.models import Child, Involvement

FORMAT_BY_AGENCY_TYPE = {
    AgencyType.SCHOOL: "school-census",
    AgencyType.HEALTH: "health-contacts",
    AgencyType.POLICE: "police-notification",
}


def _import_extracts(out_dir: Path) -> tuple[int, int, int]:
    """Import every agency's people file, then each agency's events, statutory returns,
    registers, case list, households and relationships, as the manifest lists them; (records
    loaded, events loaded, rows quarantined)."""
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    # The files are as of the area's reference date: a roll's pupils with no entry date are on
    # roll from it, and a full case list ends what it no longer holds on it.
    options = ImportOptions(
        full_list=True, extract_date=date.fromisoformat(manifest["reference_date"])
    )
    loaded = quarantined = events = 0
    for phase in ("people", "events"):
        for entry in manifest["agencies"]:
            people_file, events_file = entry["files"][0], entry["files"][1]
            if phase == "people":
                fmt = FORMAT_BY_AGENCY_TYPE.get(entry["agency_type"], "persons")
                path = out_dir / people_file
            else:
                fmt, path = "events", out_dir / events_file
            if not path.exists():
                continue
            run = import_file(
                actor=None,
                source_format=fmt,
                path=path,
                agency_code=entry["code"],
                options=options,
            )
            quarantined += run.rows_quarantined
            if phase == "people":
                loaded += run.rows_loaded
            else:
                events += run.rows_loaded
            # The statutory returns (exclusions, CIN census, SSDA903) after the events file.
            for extra in entry.get("returns", []) if phase == "events" else []:
                run = import_file(
                    actor=None,
                    source_format=extra["format"],
                    path=out_dir / extra["file"],
                    agency_code=entry["code"],
                )
                quarantined += run.rows_quarantined
                events += run.rows_loaded
            # Schools' attendance registers (marks kept in Parquet, not as events).
            for extra in entry.get("attendance", []) if phase == "events" else []:
                run = import_file(
                    actor=None,
                    source_format="attendance",
                    path=out_dir / extra["file"],
                    agency_code=entry["code"],
                )
                quarantined += run.rows_quarantined
    for entry in manifest["agencies"]:  # once every agency's records are in
        for extra in entry.get("families", []):
            run = import_file(
                actor=None,
                source_format=extra["format"],
                path=out_dir / extra["file"],
                agency_code=entry["code"],
                options=options,
            )
            quarantined += run.rows_quarantined
    return loaded, events, quarantined


def area_import_and_link(area: Area, out_dir: Path, *, allocate_cases: int = 25) -> LoadSummary:
    with transaction.atomic():
        by_code, teams, staff = _setup(area)
    write_area(area, out_dir, allocate_cases=allocate_cases)
    loaded, events, quarantined = _import_extracts(out_dir)
    link_run_execute(actor=None)
    directory_import_and_link(area, out_dir)  # the service directory (Open Referral UK)

    involvement_count = Involvement.objects.count()
    casework = casework_seed(seed=area.seed)  # referrals, teams, assessments via the services
    return LoadSummary(
        Child.objects.count(),
        loaded,
        events,
        involvement_count,
        staff,
        quarantined=quarantined,
        casework=casework,
    )

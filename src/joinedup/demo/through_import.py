"""Build the demo area the real way: extract files -> import -> link -> person index.

Agencies, teams, logins and sharing agreements are set up first; then every agency's extract
is imported through `joinedup.ingest` and `joinedup link` builds the children. The generator's
ground truth is used only for what has no extract yet — households, relationships and each
agency's involvements (case lists) — and is joined to children through the agency's own record
of the child, never by identity.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from django.db import transaction

from joinedup.access.audit import audit_record
from joinedup.demo.casework import casework_seed
from joinedup.demo.directory_data import directory_import_and_link
from joinedup.demo.generator import Area
from joinedup.demo.loader import LoadSummary, _families, _involvements, _setup
from joinedup.demo.writer import write_area
from joinedup.governance.models import AgencyType
from joinedup.ingest.services import import_file
from joinedup.people.link_runs import link_run_execute
from joinedup.people.models import Child, SourceRecord

FORMAT_BY_AGENCY_TYPE = {
    AgencyType.SCHOOL: "school-census",
    AgencyType.HEALTH: "health-contacts",
    AgencyType.POLICE: "police-notification",
}


def _import_extracts(out_dir: Path) -> tuple[int, int, int]:
    """Import every agency's people file, then each agency's events, statutory returns and
    registers, as the manifest lists them; (records loaded, events loaded, rows quarantined)."""
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
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
            run = import_file(actor=None, source_format=fmt, path=path, agency_code=entry["code"])
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
    return loaded, events, quarantined


def _children_of_people(area: Area) -> dict[str, Child]:
    """Which child each true person became, through the agencies' own records of them (the
    child most of the person's records are linked to)."""
    child_pk_of: dict[int, int | None] = dict(SourceRecord.objects.values_list("pk", "child_id"))
    record_pk = {
        (code, rid): pk
        for pk, code, rid in SourceRecord.objects.values_list("pk", "agency__code", "record_id")
    }
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    for row in area.records:
        pk = record_pk.get((row.agency_code, row.record_id))
        child_pk = child_pk_of.get(pk) if pk is not None else None
        if child_pk is not None:
            votes[row.person_id][child_pk] += 1
    by_pk = Child.objects.in_bulk([c for v in votes.values() for c in v])
    return {person: by_pk[v.most_common(1)[0][0]] for person, v in votes.items()}


def area_import_and_link(area: Area, out_dir: Path, *, allocate_cases: int = 25) -> LoadSummary:
    with transaction.atomic():
        by_code, teams, staff = _setup(area)
    write_area(area, out_dir)
    loaded, events, quarantined = _import_extracts(out_dir)
    link_run_execute(actor=None)
    directory_import_and_link(area, out_dir)  # the service directory (Open Referral UK)

    children = _children_of_people(area)
    with transaction.atomic():
        known = [p for p in area.people if p.person_id in children]
        _families(_subset(area, known), children)
        involvement_count = _involvements(
            _subset(area, known), children, by_code, teams, staff, allocate_cases
        )
        audit_record(
            actor=None,
            action="demo.families_and_involvements",
            detail={
                "children": len({c.pk for c in children.values()}),
                "involvements": involvement_count,
            },
        )
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


def _subset(area: Area, people: list) -> Area:  # type: ignore[type-arg]
    ids = {p.person_id for p in people}
    return Area(
        seed=area.seed,
        reference_date=area.reference_date,
        agencies=area.agencies,
        households=area.households,
        people=people,
        records=area.records,
        events=area.events,
        involvements=[i for i in area.involvements if i.person_id in ids],
    )

"""The demo area's case lists, households and relationships files, each agency's in the
import formats an area uses (`involvements`, `households`, `relationships`;
docs/importing.md), keyed by the agency's own record ids. Written by `demo/writer.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from joinedup.demo.caselists import DEMO_EMAIL_DOMAIN, allocations, home_records
from joinedup.demo.generator import Area

__all__ = ["CASE_COLUMNS", "HOUSEHOLD_COLUMNS", "RELATIONSHIP_COLUMNS", "write_family_files"]

CASE_COLUMNS = (
    "record_id",
    "case_id",
    "team",
    "worker",
    "description",
    "level",
    "started_on",
    "ended_on",
    "lead_professional",
)
HOUSEHOLD_COLUMNS = (
    "household_reference",
    "address",
    "postcode",
    "record_id",
    "started_on",
    "ended_on",
)
RELATIONSHIP_COLUMNS = (
    "record_id",
    "relationship_type",
    "related_record_id",
    "related_agency",
    "person_name",
    "description",
    "started_on",
    "ended_on",
)

Writer = Callable[[Path, Sequence[str], Iterable[Sequence[str]]], Path]


def _case_rows(area: Area, allocate_cases: int) -> dict[str, list[list[str]]]:
    """Each agency's case list (schools have none: their roll is the census)."""
    types = {a.code: a.agency_type for a in area.agencies}
    first_record: dict[tuple[str, str], str] = {}
    for row in sorted(area.records, key=lambda r: r.record_id):
        first_record.setdefault((row.agency_code, row.person_id), row.record_id)
    rows: dict[str, list[list[str]]] = defaultdict(list)
    for n, allocation in enumerate(allocations(area, allocate_cases), start=1):
        inv = allocation.involvement
        record_id = first_record.get((inv.agency_code, inv.person_id))
        if types.get(inv.agency_code) == "school" or record_id is None:
            continue
        worker = f"{allocation.worker}@{DEMO_EMAIL_DOMAIN}" if allocation.worker else ""
        rows[inv.agency_code].append(
            [
                record_id,
                f"INV{n:06d}",
                allocation.team_code or "",
                worker,
                inv.description[:200],
                str(inv.level),
                inv.started_on.isoformat(),
                inv.ended_on.isoformat() if inv.ended_on else "",
                "yes" if worker else "no",
            ]
        )
    return rows


def _family_rows(area: Area) -> tuple[dict[str, list[list[str]]], dict[str, list[list[str]]]]:
    """(households rows, relationships rows) by the agency whose records they name."""
    home = home_records(area)
    households = {h.household_id: h for h in area.households}
    homes: dict[str, list[list[str]]] = defaultdict(list)
    people: dict[str, list[list[str]]] = defaultdict(list)
    for person in area.people:
        if person.person_id not in home:
            continue  # no agency holds a record of them
        code, record_id = home[person.person_id]
        hh = households[person.household_id]
        homes[code].append([hh.household_id, hh.address, hh.postcode, record_id, "", ""])
        for sibling_id in person.sibling_ids:
            if sibling_id not in home or sibling_id == person.person_id:
                continue
            other_code, other_id = home[sibling_id]
            twin = "Twin" if sibling_id == person.twin_of else ""
            related_agency = "" if other_code == code else other_code
            people[code].append([record_id, "sibling", other_id, related_agency, "", twin, "", ""])
        for name, kind in hh.adults:
            people[code].append([record_id, kind, "", "", name, "", "", ""])
    return homes, people


def write_family_files(
    area: Area, out_dir: Path, write_csv: Writer, *, allocate_cases: int
) -> tuple[list[Path], dict[str, dict[str, Any]]]:
    """Write each agency's files; (paths, agency code -> its manifest entries)."""
    written: list[Path] = []
    entries: dict[str, dict[str, Any]] = defaultdict(dict)
    homes, people = _family_rows(area)
    kinds = (
        ("involvements", "cases", CASE_COLUMNS, _case_rows(area, allocate_cases)),
        ("households", "households", HOUSEHOLD_COLUMNS, homes),
        ("relationships", "relationships", RELATIONSHIP_COLUMNS, people),
    )
    for fmt, suffix, header, by_agency in kinds:
        for code in sorted(by_agency):
            name = f"{code}-{suffix}.csv"
            written.append(write_csv(out_dir / name, header, by_agency[code]))
            entries[code][fmt] = {"format": fmt, "file": name, "rows": len(by_agency[code])}
    return written, entries

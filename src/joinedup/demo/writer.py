"""Write a synthetic Area to a directory: one extract per agency, each in that agency's own shape.

Files (all CSV: UTF-8, "\\n" line endings, written with the csv module, in a fixed order):

- ``school-<URN>.csv``: a school-census-like roll (current pupils and leavers in the period;
  SENprovision N/K/E, FSMeligible Y/N, NCyearActual R or 1-13, Ethnicity a DfE code or NOBT),
  ``school-<URN>-events.csv``.
- ``health.csv`` (DOB as DD/MM/YYYY, Gender Male/Female, no UPN column), ``health-events.csv``.
- ``police.csv``: one row per occurrence, the notification in the row (DOB DD/MM/YYYY or blank),
  ``police-events.csv``.
- ``<agency-code>.csv`` in the "persons" shape for every other agency, with
  ``<agency-code>-events.csv``.
- Statutory returns (generator/returns.py): ``school-<URN>-exclusions.csv`` per school, and
  social care's ``social-care-cin-census.xml`` and SSDA903 ``...-ssda903-header.csv`` /
  ``...-ssda903-episodes.csv``; the events they carry are not repeated in the events files.
  The manifest lists each agency's returns (format, file, rows).
- ``school-<URN>-attendance.csv`` per school (generator/attendance.py): one row per pupil on
  roll per session of every school day of last school year and this one so far, listed in the
  manifest under "attendance".
- ``<agency-code>-cases.csv`` (a case list, format ``involvements``) for every agency but the
  schools (whose roll is the census), ``<agency-code>-households.csv`` and
  ``<agency-code>-relationships.csv`` (demo/family_files.py), listed in the manifest under
  "families".
- ``ground_truth.csv`` (agency_code, record_id, person_id for every row of every extract),
  ``people.csv`` (each child's true identity), ``households.csv``, and ``manifest.json``.

The same Area always gives byte-identical files. The story's ground truth (``area.truth``) is
never written: it is for tests.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from joinedup.demo.area_setup import SCHOOLS_FILE_NAME, schools_area_toml
from joinedup.demo.family_files import write_family_files
from joinedup.demo.generator import AgencySpec, Area, GeneratedEvent, SourceRow
from joinedup.demo.generator.attendance import write_attendance
from joinedup.demo.generator.returns import MOVED_EVENT_TYPES, write_returns

__all__ = [
    "EVENT_COLUMNS",
    "HEALTH_COLUMNS",
    "PERSONS_COLUMNS",
    "POLICE_COLUMNS",
    "SCHOOL_COLUMNS",
    "write_area",
]


def _columns(header: str) -> tuple[str, ...]:
    """A header line as the tuple of its column names."""
    return tuple(header.split(","))


SCHOOL_COLUMNS = _columns(
    "PupilRef,UPN,FormerUPN,Surname,Forename,MiddleNames,DOB,Sex,Postcode,AddressLine1,"
    "SENprovision,FSMeligible,Ethnicity,NCyearActual,URN,EntryDate,LeavingDate"
)
PERSONS_COLUMNS = _columns(
    "record_id,given_name,middle_names,family_name,date_of_birth,sex,postcode,address,"
    "nhs_number,upn,la_child_id"
)
HEALTH_COLUMNS = _columns(
    "NHSNumber,PatientRef,Forename,Surname,DateOfBirth,Gender,Postcode,AddressLine"
)
POLICE_COLUMNS = _columns(
    "OccurrenceRef,SubjectForename,SubjectSurname,SubjectDOB,Address,Postcode,"
    "NotificationType,NotificationDate"
)
EVENT_COLUMNS = ("record_id", "event_type", "occurred_at", "summary", "payload_json")


def _dmy(iso: str) -> str:
    """YYYY-MM-DD -> DD/MM/YYYY ('' stays '')."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}" if iso else ""


def _school_row(row: SourceRow, urn: str) -> list[str]:
    a = row.attributes
    return [
        row.record_id,
        row.upn,
        row.former_upn,
        row.family_name,
        row.given_name,
        row.middle_names,
        row.date_of_birth,
        row.sex,
        row.postcode,
        row.address,
        a.get("sen", "N"),
        a.get("fsm", "N"),
        a.get("ethnicity", ""),
        a.get("nc_year", ""),
        urn,
        a.get("entry_date", ""),
        a.get("leaving_date", ""),
    ]


def _health_row(row: SourceRow) -> list[str]:
    gender = {"F": "Female", "M": "Male"}.get(row.sex, "")
    return [
        row.nhs_number,
        row.record_id,
        row.given_name,
        row.family_name,
        _dmy(row.date_of_birth),
        gender,
        row.postcode,
        row.address,
    ]


def _police_row(row: SourceRow) -> list[str]:
    a = row.attributes
    return [
        row.record_id,
        row.given_name,
        row.family_name,
        _dmy(row.date_of_birth),
        row.address,
        row.postcode,
        a.get("notification_type", ""),
        a.get("notification_date", ""),
    ]


def _persons_row(row: SourceRow) -> list[str]:
    return [
        row.record_id,
        row.given_name,
        row.middle_names,
        row.family_name,
        row.date_of_birth,
        row.sex,
        row.postcode,
        row.address,
        row.nhs_number,
        row.upn,
        row.la_child_id,
    ]


def _event_row(event: GeneratedEvent) -> list[str]:
    payload = json.dumps(event.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return [
        event.record_id,
        event.event_type,
        event.occurred_at.isoformat(),
        event.summary,
        payload,
    ]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(_cell(v) for v in value)
    return str(value)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _write_agency(
    area: Area,
    agency: AgencySpec,
    rows: list[SourceRow],
    events: list[GeneratedEvent],
    out_dir: Path,
) -> tuple[list[Path], dict[str, Any]]:
    """Write one agency's files (registers, returns, records, events); (paths, manifest entry)."""
    rows = sorted(rows, key=lambda r: r.record_id)
    events = sorted(events, key=lambda e: (e.record_id, e.occurred_at, e.event_type))
    header: tuple[str, ...]
    if agency.agency_type == "school":
        header, cells = SCHOOL_COLUMNS, [_school_row(r, agency.urn) for r in rows]
    elif agency.agency_type == "health":
        header, cells = HEALTH_COLUMNS, [_health_row(r) for r in rows]
    elif agency.agency_type == "police":
        header, cells = POLICE_COLUMNS, [_police_row(r) for r in rows]
    else:
        header, cells = PERSONS_COLUMNS, [_persons_row(r) for r in rows]
    # Events a statutory return carries go in the return, not the events file.
    moved = MOVED_EVENT_TYPES.get(agency.agency_type, frozenset())
    returned = [e for e in events if e.event_type in moved]
    events = [e for e in events if e.event_type not in moved]
    returns = write_returns(area, agency, rows, returned, out_dir)
    attendance = write_attendance(area, agency, rows, out_dir)  # schools' registers
    written = [out_dir / str(r["file"]) for r in attendance]
    written += [out_dir / str(r["file"]) for r in returns]
    files = [f"{agency.code}.csv", f"{agency.code}-events.csv"]
    written.append(_write_csv(out_dir / files[0], header, cells))
    written.append(_write_csv(out_dir / files[1], EVENT_COLUMNS, (_event_row(e) for e in events)))
    entry = {
        "code": agency.code,
        "name": agency.name,
        "agency_type": agency.agency_type,
        "urn": agency.urn,
        "files": files,
        "rows": len(rows),
        "events": len(events),
        "returns": returns,
        "attendance": attendance,
    }
    return written, entry


HOUSEHOLD_FIELDS = [
    "household_id",
    "address",
    "postcode",
    "previous_address",
    "previous_postcode",
    "adults",
    "moved_on",
    "arrived_on",
]


def _write_truth(area: Area, out_dir: Path) -> list[Path]:
    """The generator's ground truth: which person each record is, the people, the homes."""
    truth = sorted((r.agency_code, r.record_id, r.person_id) for r in area.records)
    written = [
        _write_csv(out_dir / "ground_truth.csv", ("agency_code", "record_id", "person_id"), truth)
    ]
    person_fields = [f.name for f in dataclasses.fields(area.people[0])] if area.people else []
    written.append(
        _write_csv(
            out_dir / "people.csv",
            person_fields,
            ([_cell(getattr(p, name)) for name in person_fields] for p in area.people),
        )
    )
    written.append(
        _write_csv(
            out_dir / "households.csv",
            HOUSEHOLD_FIELDS,
            (
                [
                    _cell(getattr(h, name))
                    if name != "adults"
                    else ";".join(f"{who} ({role})" for who, role in h.adults)
                    for name in HOUSEHOLD_FIELDS
                ]
                for h in area.households
            ),
        )
    )
    return written


FAMILY_FORMATS = ("involvements", "households", "relationships")  # the order they import in


def write_area(area: Area, out_dir: Path, *, allocate_cases: int = 25) -> list[Path]:
    """Write every agency's extract, the ground truth and a manifest; return the paths written.
    `allocate_cases`: how many open cases the case lists give each demo social worker."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows_by_agency: dict[str, list[SourceRow]] = {a.code: [] for a in area.agencies}
    for row in area.records:
        rows_by_agency[row.agency_code].append(row)
    events_by_agency: dict[str, list[GeneratedEvent]] = {a.code: [] for a in area.agencies}
    for event in area.events:
        events_by_agency[event.agency_code].append(event)

    written: list[Path] = []
    manifest_agencies = []
    for agency in area.agencies:
        files, entry = _write_agency(
            area, agency, rows_by_agency[agency.code], events_by_agency[agency.code], out_dir
        )
        written += files
        manifest_agencies.append(entry)
    family_files, families = write_family_files(
        area, out_dir, _write_csv, allocate_cases=allocate_cases
    )
    written += family_files
    for entry in manifest_agencies:
        held = families[entry["code"]]
        entry["families"] = [held[f] for f in FAMILY_FORMATS if f in held]
    written += _write_truth(area, out_dir)
    written.append(out_dir / SCHOOLS_FILE_NAME)  # the schools' area file (demo/area_setup.py)
    written[-1].write_text(schools_area_toml(area), encoding="utf-8", newline="\n")

    manifest = {
        "seed": area.seed,
        "children": len(area.people),
        "reference_date": area.reference_date.isoformat(),
        "agencies": manifest_agencies,
        "truth_files": ["ground_truth.csv", "people.csv", "households.csv"],
    }
    manifest_path = out_dir / "manifest.json"
    manifest_path.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n"
    )
    written.append(manifest_path)
    return written

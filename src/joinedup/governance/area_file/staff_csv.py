"""Staff lists from HR (`joinedup staff import FILE.csv`): one row per member of staff.

Columns (headers matched case-insensitively, ignoring spaces, "-" and "_"; any order):
first name, last name, email, agency code, team code, role, staff number (optional) and
username (optional: the lower-cased email by default). The accepted spellings of each are in
HEADERS. A role may be its code (social_worker) or its name (Social worker).

UTF-8, with or without a byte-order mark. A file in another encoding (Excel's plain "CSV" is
Windows-1252) is refused with the line of the first byte that is not UTF-8 and how to re-save
it: guessing an encoding could silently misspell a name.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

from joinedup.governance.area_file.apply import ApplyResult, plan_apply
from joinedup.governance.area_file.plan import Plan, staff_plan
from joinedup.governance.area_file.schema import (
    MAX_FILE_BYTES,
    AreaError,
    AreaFileInvalid,
    Entry,
    StaffSpec,
)
from joinedup.governance.area_file.validate import staff_entry
from joinedup.governance.models import Agency, StaffUser, Team

HEADERS: dict[str, tuple[str, ...]] = {
    "first_name": ("first name", "firstname", "forename", "given name", "first names"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "email": ("email", "e-mail", "email address", "e-mail address", "work email", "mail"),
    "agency": ("agency", "agency code", "organisation", "organisation code"),
    "team": ("team", "team code"),
    "role": ("role", "job role"),
    "staff_number": (
        "staff number",
        "staff no",
        "staff id",
        "employee number",
        "employee no",
        "employee id",
        "payroll number",
    ),
    "username": ("username", "user name", "login"),
}
REQUIRED = ("first_name", "last_name", "email", "agency", "role")
MAX_ROWS = 100_000


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-.]+", "", header.strip().lower())


_BY_HEADER = {_norm(spelling): key for key, spellings in HEADERS.items() for spelling in spellings}


def _read(name: str, data: bytes, errors: list[AreaError]) -> list[StaffSpec]:
    if len(data) > MAX_FILE_BYTES:
        errors.append(AreaError(name, "", "", f"is {len(data)} bytes; at most {MAX_FILE_BYTES}"))
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.append(
            AreaError(
                name,
                f"line {line}",
                "",
                f"is not UTF-8 (byte 0x{data[exc.start]:02x}); in Excel use Save As "
                '"CSV UTF-8 (Comma delimited)"',
            )
        )
        return []
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
    except csv.Error as exc:
        errors.append(AreaError(name, "line 1", "", f"is not CSV: {exc}"))
        return []
    if not header:
        errors.append(AreaError(name, "", "", "is empty: it needs a header row"))
        return []
    columns: dict[int, str] = {}
    for i, title in enumerate(header):
        key = _BY_HEADER.get(_norm(title))
        if key is None:
            if title.strip():
                known = "; ".join(f"{k}: {', '.join(v)}" for k, v in HEADERS.items())
                errors.append(AreaError(name, "header", title[:60], f"unknown column ({known})"))
        elif key in columns.values():
            errors.append(AreaError(name, "header", title[:60], f"a second {key} column"))
        else:
            columns[i] = key
    missing = [k for k in REQUIRED if k not in columns.values()]
    if missing:
        errors.append(AreaError(name, "header", "", f"missing column(s): {', '.join(missing)}"))
    if errors:
        return []
    specs = []
    try:
        for row in rows:
            if rows.line_num > MAX_ROWS + 1:
                errors.append(AreaError(name, "", "", f"has more than {MAX_ROWS} rows"))
                break
            if not any(cell.strip() for cell in row):
                continue
            label = f"row {rows.line_num}"
            if len(row) > len(header):
                errors.append(
                    AreaError(
                        name, label, "", f"has {len(row)} cells; the header has {len(header)}"
                    )
                )
                continue
            raw = {columns[i]: cell for i, cell in enumerate(row) if i in columns and cell.strip()}
            entry = Entry(errors, name, label, raw, set(HEADERS))
            spec = staff_entry(entry, role_labels=True)
            if spec is not None:
                specs.append(spec)
    except csv.Error as exc:
        errors.append(AreaError(name, f"row {rows.line_num}", "", f"is not CSV: {exc}"))
    return specs


def _check_against_area(specs: list[StaffSpec], errors: list[AreaError]) -> None:
    """Agencies and teams come from the area file; the list may only name open ones."""
    agencies = {a.code: a for a in Agency.objects.all()}
    teams = {(t.agency.code, t.code): t for t in Team.objects.select_related("agency")}
    seen: dict[str, str] = {}
    for s in specs:
        where = (s.origin.file, s.origin.entry)
        agency = agencies.get(s.agency)
        if agency is None or agency.ended_on is not None:
            state = "has ended" if agency else "is not in the area's set-up"
            errors.append(AreaError(*where, "agency", f'agency "{s.agency}" {state}'))
        elif s.team:
            team = teams.get((s.agency, s.team))
            if team is None or team.ended_on is not None:
                others = sorted(a for a, c in teams if c == s.team)
                why = f" (it is a team of {', '.join(others)})" if others else ""
                errors.append(
                    AreaError(
                        *where, "team", f'agency "{s.agency}" has no open team "{s.team}"{why}'
                    )
                )
        for key, value in (("username", s.username), ("staff_number", s.staff_number)):
            if value and f"{key}:{value}" in seen:
                errors.append(
                    AreaError(*where, key, f'"{value}" is also in {seen[f"{key}:{value}"]}')
                )
            elif value:
                seen[f"{key}:{value}"] = s.origin.entry


def staff_import(
    *,
    path: Path,
    actor: StaffUser | None,
    now: datetime,
    full_list: bool = False,
    dry_run: bool = False,
) -> ApplyResult:
    """Create and update the staff in the list; with `full_list`, disable the area's staff who
    are not in it. Every row is checked before anything is written."""
    errors: list[AreaError] = []
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AreaFileInvalid(
            [AreaError(str(path), "", "", f"cannot be read ({exc.strerror})")]
        ) from exc
    specs = _read(path.name, data, errors)
    _check_against_area(specs, errors)
    if errors:
        raise AreaFileInvalid(errors)
    changes = staff_plan(specs, full_list=full_list, errors=errors, missing="not in the list")
    return plan_apply(Plan(changes, errors), actor=actor, now=now, dry_run=dry_run)

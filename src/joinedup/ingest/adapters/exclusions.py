"""Suspensions and permanent exclusions, one row each, from a school or the local authority.

Each row becomes one chronology event (`suspension` or `permanent_exclusion`) on the record the
agency already holds for the pupil: named by PupilRef (the record id in the agency's pupil list),
or, when the file has none, by the UPN on that record. The category may be the DfE code (FIXD,
PERM) or words ("suspension", "permanent exclusion"); reasons are the DfE reason codes; a
suspension must say how many sessions (half-days) it lasted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import ClassVar

from django.utils import timezone

from joinedup.chronology.vocabulary import EventType
from joinedup.ingest.adapters.base import (
    CsvAdapter,
    Problem,
    Row,
    column_key,
    damaged_values,
    date_problem,
)
from joinedup.ingest.adapters.dfe import EXCLUSION_REASONS, code_reason, on_day, parse_day
from joinedup.ingest.adapters.events import EventRecord

SUSPENSION_WORDS = {"fixd", "suspension", "suspended", "fixed", "fixedperiod", "fixedterm"}
PERMANENT_WORDS = {"perm", "permanent", "permanentexclusion", "permanentlyexcluded", "excluded"}
REASON_COLUMNS = ("Reason", "Reason2", "Reason3")


class ExclusionsAdapter(CsvAdapter):
    name = "exclusions"
    kind: ClassVar[str] = "events"
    description = (
        "suspensions and permanent exclusions, one row each: PupilRef and/or UPN, Category "
        "(FIXD/PERM or words), StartDate, Reason (DfE code, e.g. PP, VA, DB; Reason2, Reason3), "
        "Sessions (for suspensions), EndDate, URN, names/DOB optional; import the pupils first"
    )
    columns = (
        "PupilRef",
        "UPN",
        "Surname",
        "Forename",
        "DOB",
        "URN",
        "Category",
        "StartDate",
        "EndDate",
        *REASON_COLUMNS,
        "Sessions",
    )
    required = ("Category", "StartDate", "Reason")

    def resolve_columns(self, present: Mapping[str, str]) -> list[str]:
        missing = super().resolve_columns(present)
        if column_key("PupilRef") not in present and column_key("UPN") not in present:
            missing.insert(0, "PupilRef (or UPN)")
        return missing

    def validate(self, row: Row) -> EventRecord | list[Problem]:
        if row.shape_problem is not None:
            return [row.shape_problem]
        problems = damaged_values(row)
        pupil_ref = row["PupilRef"].strip()
        upn = row["UPN"].strip().upper()
        if not pupil_ref and not upn:
            problems.append(Problem("PupilRef/UPN", "are both blank: say which pupil this is"))
        event_type, code = _category(row["Category"], problems)
        start = _day(row, "StartDate", problems, required=True)
        end = _day(row, "EndDate", problems, required=False)
        if start and end and end < start:
            problems.append(Problem("EndDate", f"{row['EndDate']!r} is before the StartDate"))
        if row["DOB"].strip() and (problem := date_problem("DOB", row["DOB"], _form(row["DOB"]))):
            problems.append(problem)
        urn = row["URN"].strip()
        if urn and not (urn.isascii() and urn.isdigit() and len(urn) == 6):
            problems.append(Problem("URN", f"{urn!r} is not a school URN (six digits)"))
        reasons = []
        for column in REASON_COLUMNS:
            value = row[column].strip().upper()
            if not value:
                if column == "Reason":
                    problems.append(Problem("Reason", "is blank: give the DfE reason code"))
                continue
            if value not in EXCLUSION_REASONS:
                what = "a DfE suspension or exclusion reason code"
                problems.append(
                    Problem(column, code_reason(row[column].strip(), EXCLUSION_REASONS, what))
                )
            reasons.append(value)
        sessions = _sessions(row["Sessions"], event_type, problems)
        if problems:
            return problems
        assert start is not None and event_type is not None
        labels = "; ".join(EXCLUSION_REASONS[r] for r in reasons)
        if event_type == EventType.SUSPENSION:
            assert sessions is not None
            length = "half a day" if sessions == 1 else f"{sessions / 2:g} days"
            summary = f"Suspended for {length}: {labels}"
        else:
            summary = f"Permanently excluded: {labels}"
        payload: dict[str, object] = {
            "category": code,
            "reason_code": reasons[0],
            "reason_codes": reasons,
        }
        if sessions is not None:
            payload["sessions"] = sessions
        if end is not None:
            payload["end_date"] = end.isoformat()
        if urn:
            payload["urn"] = urn
        return EventRecord(
            pupil_ref,
            event_type,
            on_day(start),
            summary,
            payload,
            dict(row),
            match_upn="" if pupil_ref else upn,
            id_field="PupilRef",
        )


def _category(value: str, problems: list[Problem]) -> tuple[str | None, str]:
    word = column_key(value)
    if word in SUSPENSION_WORDS:
        return EventType.SUSPENSION, "FIXD"
    if word in PERMANENT_WORDS:
        return EventType.PERMANENT_EXCLUSION, "PERM"
    why = (
        f"{value!r} is not a category of exclusion; use FIXD (or 'suspension') or PERM "
        "(or 'permanent exclusion')"
        if value.strip()
        else "is blank: say whether this is a suspension (FIXD) or a permanent exclusion (PERM)"
    )
    problems.append(Problem("Category", why))
    return None, ""


def _form(value: str) -> str:
    return "DD/MM/YYYY" if "/" in value else "YYYY-MM-DD"


def _day(row: Row, column: str, problems: list[Problem], *, required: bool) -> date | None:
    value = row[column]
    if not value.strip():
        if required:
            problems.append(Problem(column, "is blank: give the date (YYYY-MM-DD or DD/MM/YYYY)"))
        return None
    day = parse_day(value)
    if day is None:
        problems.append(Problem(column, f"{value!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)"))
    elif column == "StartDate" and day > timezone.localdate():
        problems.append(Problem(column, f"{value!r} is in the future"))
    return day


def _sessions(value: str, event_type: str | None, problems: list[Problem]) -> int | None:
    text = value.strip()
    if not text:
        if event_type == EventType.SUSPENSION:
            problems.append(
                Problem("Sessions", "is blank: a suspension must say how many sessions it lasted")
            )
        return None
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        problems.append(
            Problem("Sessions", f"{text!r} is not a whole number of sessions (half-days) above 0")
        )
        return None
    return int(text)

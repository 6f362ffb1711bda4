"""An agency's case list: who in the agency is involved with which child, since when, at what
level of need. Rows name the agency's own record of the child (from its person list); the
record, team and worker are looked up when the row is loaded (`ingest.involvements`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from joinedup.ingest.adapters.base import (
    CsvAdapter,
    Problem,
    Row,
    damaged_values,
    too_long,
)
from joinedup.ingest.adapters.dates import day_or_problem

__all__ = ["CaseRow", "InvolvementsAdapter", "yes_no"]

YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0", ""})

# Longest values each column may hold (the model's fields, and room for the key's prefix).
LIMITS = {
    "record_id": 100,
    "case_id": 100,
    "team": 60,
    "worker": 254,
    "description": 200,
    "level": 100,
}


def yes_no(column: str, value: str) -> bool | Problem:
    text = value.strip().casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    return Problem(column, f"{value!r} is not yes or no")


@dataclass(frozen=True)
class CaseRow:
    record_id: str
    case_id: str
    team: str
    worker: str
    description: str
    level: str  # as written: a number, a continuum label or the agency's own term
    started_on: date
    ended_on: date | None
    lead: bool

    @property
    def key(self) -> str:
        """Which involvement of the record this row is: its case id, else team and start."""
        if self.case_id:
            return f"case:{self.case_id}"
        return f"team:{self.team}:{self.started_on.isoformat()}"


class InvolvementsAdapter(CsvAdapter):
    name = "involvements"
    kind: ClassVar[str] = "involvements"
    description = (
        "an agency's case list: record_id (the agency's record of the child, from its person "
        "list), case_id, team (code), worker (email or staff number), description, level (1-4, "
        "the continuum's label or the agency's own term), started_on, ended_on (YYYY-MM-DD or "
        "DD/MM/YYYY), lead_professional (yes/no). With --full-list, open involvements missing "
        "from the file end."
    )
    columns = (
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
    required = ("record_id", "description", "started_on")

    def validate(self, row: Row) -> CaseRow | list[Problem]:
        if row.shape_problem is not None:
            return [row.shape_problem]
        problems = damaged_values(row)
        values = {c: row.get(c, "").strip() for c in self.columns}
        for column, limit in LIMITS.items():
            if problem := too_long(column, values[column], limit):
                problems.append(problem)
        if not values["record_id"]:
            problems.append(Problem("record_id", "is blank: every row needs the child's record id"))
        if not values["description"]:
            problems.append(Problem("description", "is blank: say what the involvement is"))
        started = day_or_problem("started_on", values["started_on"], required=True)
        ended = day_or_problem("ended_on", values["ended_on"], required=False)
        lead = yes_no("lead_professional", values["lead_professional"])
        for value in (started, ended, lead):
            if isinstance(value, Problem):
                problems.append(value)
        if isinstance(started, date) and isinstance(ended, date) and ended < started:
            problems.append(Problem("ended_on", f"{values['ended_on']!r} is before started_on"))
        if lead is True and not values["worker"]:
            problems.append(
                Problem(
                    "lead_professional",
                    "is yes but no worker is named: a lead professional is a named worker",
                )
            )
        if problems:
            return problems
        assert isinstance(started, date) and not isinstance(ended, Problem)
        return CaseRow(
            record_id=values["record_id"],
            case_id=values["case_id"],
            team=values["team"],
            worker=values["worker"],
            description=values["description"],
            level=values["level"],
            started_on=started,
            ended_on=ended,
            lead=lead is True,
        )

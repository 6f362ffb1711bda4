"""Households and relationships from an agency's own records (a housing register, a case
management system): who lives where, and the people who matter to a child. Rows name the
agency's own record of the child; records are looked up when the row loads
(`ingest.families`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from joinedup.ingest.adapters.base import CsvAdapter, Problem, Row, damaged_values, too_long
from joinedup.ingest.adapters.dates import day_or_problem
from joinedup.people.models import RelationshipType

__all__ = ["HouseholdRow", "HouseholdsAdapter", "RelationshipRow", "RelationshipsAdapter"]


def _dates(values: dict[str, str], problems: list[Problem]) -> tuple[date | None, date | None]:
    started = day_or_problem("started_on", values["started_on"], required=False)
    ended = day_or_problem("ended_on", values["ended_on"], required=False)
    for value in (started, ended):
        if isinstance(value, Problem):
            problems.append(value)
    if isinstance(started, date) and isinstance(ended, date) and ended < started:
        problems.append(Problem("ended_on", f"{values['ended_on']!r} is before started_on"))
    return (
        started if isinstance(started, date) else None,
        ended if isinstance(ended, date) else None,
    )


def _read(
    adapter: CsvAdapter, row: Row, limits: dict[str, int]
) -> tuple[dict[str, str], list[Problem]]:
    problems = damaged_values(row)
    values = {c: row.get(c, "").strip() for c in adapter.columns}
    for column, limit in limits.items():
        if problem := too_long(column, values[column], limit):
            problems.append(problem)
    if not values["record_id"]:
        problems.append(Problem("record_id", "is blank: every row needs the child's record id"))
    return values, problems


@dataclass(frozen=True)
class HouseholdRow:
    reference: str
    address: str
    postcode: str
    record_id: str
    started_on: date | None
    ended_on: date | None


class HouseholdsAdapter(CsvAdapter):
    name = "households"
    kind: ClassVar[str] = "households"
    description = (
        "who lives where: household_reference (the agency's own), address, postcode, record_id "
        "(a child's record at the agency), started_on, ended_on (YYYY-MM-DD or DD/MM/YYYY)"
    )
    columns = ("household_reference", "address", "postcode", "record_id", "started_on", "ended_on")
    required = ("household_reference", "address", "record_id")
    limits: ClassVar[dict[str, int]] = {
        "household_reference": 40,
        "address": 300,
        "postcode": 10,
        "record_id": 100,
    }

    def validate(self, row: Row) -> HouseholdRow | list[Problem]:
        if row.shape_problem is not None:
            return [row.shape_problem]
        values, problems = _read(self, row, self.limits)
        if not values["household_reference"]:
            problems.append(Problem("household_reference", "is blank: name the household"))
        if not values["address"]:
            problems.append(Problem("address", "is blank: every household needs its address"))
        started, ended = _dates(values, problems)
        if problems:
            return problems
        return HouseholdRow(
            values["household_reference"],
            values["address"],
            values["postcode"].upper(),
            values["record_id"],
            started,
            ended,
        )


def relationship_type(text: str) -> str | None:
    wanted = re.sub(r"[\s_\-]+", "_", text.strip().casefold())
    return wanted if wanted in RelationshipType.values else None


@dataclass(frozen=True)
class RelationshipRow:
    record_id: str
    relationship_type: str
    related_record_id: str
    related_agency: str  # an agency code; "" = the file's agency
    person_name: str
    description: str
    started_on: date | None
    ended_on: date | None

    @property
    def related(self) -> str:
        """Who the relationship is with, for telling one from another."""
        if self.related_record_id:
            return f"record:{self.related_agency}:{self.related_record_id}"
        return f"person:{self.person_name.casefold()}"


class RelationshipsAdapter(CsvAdapter):
    name = "relationships"
    kind: ClassVar[str] = "relationships"
    description = (
        "the people who matter to a child: record_id (the child's record at the agency), "
        "relationship_type (parent, carer, sibling, trusted adult, key worker), either "
        "related_record_id (another child's record; related_agency if another agency holds it) "
        "or person_name (a named adult), description, started_on, ended_on"
    )
    columns = (
        "record_id",
        "relationship_type",
        "related_record_id",
        "related_agency",
        "person_name",
        "description",
        "started_on",
        "ended_on",
    )
    required = ("record_id", "relationship_type")
    limits: ClassVar[dict[str, int]] = {
        "record_id": 100,
        "related_record_id": 100,
        "related_agency": 40,
        "person_name": 200,
        "description": 200,
    }

    def validate(self, row: Row) -> RelationshipRow | list[Problem]:
        if row.shape_problem is not None:
            return [row.shape_problem]
        values, problems = _read(self, row, self.limits)
        kind = relationship_type(values["relationship_type"])
        if kind is None:
            choices = ", ".join(str(label).lower() for label in RelationshipType.labels)
            problems.append(
                Problem(
                    "relationship_type",
                    f"{values['relationship_type'][:40]!r} is not one of: {choices}",
                )
            )
        related, named = values["related_record_id"], values["person_name"]
        if bool(related) == bool(named):
            problems.append(
                Problem(
                    "related_record_id/person_name",
                    "give one of them: the related child's record id, or the adult's name",
                )
            )
        if values["related_agency"] and not related:
            problems.append(Problem("related_agency", "is given but related_record_id is blank"))
        started, ended = _dates(values, problems)
        if problems:
            return problems
        assert kind is not None
        return RelationshipRow(
            values["record_id"],
            kind,
            related,
            values["related_agency"],
            named,
            values["description"],
            started,
            ended,
        )

"""The children routers' response bodies: search results and a child's record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class ChildSummaryOut(Schema):
    child_id: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: str


class IdentifierOut(Schema):
    scheme: str
    value: str
    is_temporary: bool


class InvolvementOut(Schema):
    agency: str
    team: str | None
    worker: str | None
    description: str
    started_on: date
    is_lead_professional: bool
    level: int | None = Field(
        None, description="Level of need it answers: 1 universal to 4 specialist; null: not said"
    )


class EventOut(Schema):
    id: int
    event_type: str
    occurred_at: datetime
    recording_agency: str
    sensitivity: str
    summary: str | None
    payload: dict[str, Any]
    shared_under: str | None


class WithheldOut(Schema):
    reason: str
    count: int
    agreements: list[str]
    purposes: list[str]


class ChildRecordOut(Schema):
    child: ChildSummaryOut
    purpose: str
    relationship: str
    identifiers: list[IdentifierOut]
    involvements: list[InvolvementOut]
    events: list[EventOut]
    withheld: list[WithheldOut]


class SearchParams(Schema):
    name: str = ""
    date_of_birth: date | None = None
    purpose: str | None = None

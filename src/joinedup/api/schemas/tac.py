"""API shapes for the team around the child."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema


class TacErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class TacOpenIn(Schema):
    child_id: str
    level: int
    lead_professional_id: int | None = None
    referral_reference: str = ""
    purpose: str | None = None


class ActionIn(Schema):
    description: str
    owner_id: int
    due_on: date


class MeetingIn(Schema):
    held_on: date
    attendee_ids: list[int]
    others_present: str = ""
    child_attended: bool = False
    child_views: str = ""
    notes: str = ""
    decisions: str
    actions: list[ActionIn] = Field(default_factory=list)
    purpose: str | None = None


class ActionUpdateIn(Schema):
    status: str
    note: str = ""
    purpose: str | None = None


class PersonOut(Schema):
    id: int
    name: str
    agency: str | None


class MemberOut(Schema):
    id: int
    agency: str
    worker: PersonOut | None
    role_in_team: str
    joined_on: date
    is_lead_professional: bool


class ActionOut(Schema):
    id: int
    description: str
    owner: PersonOut
    due_on: date
    status: str
    is_overdue: bool
    completion_note: str
    meeting_id: int | None


class MeetingOut(Schema):
    id: int
    held_on: date
    attendees: list[PersonOut]
    others_present: str
    child_attended: bool
    child_views: str
    notes: str
    decisions: str
    action_ids: list[int]
    recorded_by: PersonOut
    recorded_at: datetime


class LevelChangeOut(Schema):
    from_level: int
    to_level: int
    direction: str
    reason: str
    referral: str | None
    changed_by: PersonOut
    changed_at: datetime


class TacOut(Schema):
    reference: str
    child_id: str
    level: int
    level_label: str
    lead_professional: PersonOut | None
    opened_on: date
    closed_on: date | None
    close_reason: str
    referral: str | None
    members: list[MemberOut]
    actions: list[ActionOut]
    meetings: list[MeetingOut]
    level_history: list[LevelChangeOut]

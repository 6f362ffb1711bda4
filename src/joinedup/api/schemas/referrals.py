"""The referrals API's request and response bodies (django-ninja)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class ChildDetailsIn(Schema):
    """The child as the sender knows them: the real-time match runs on these."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    sex: str = ""
    postcode: str = ""
    address: str = ""
    nhs_number: str = ""
    upn: str = ""


class ReferralIn(Schema):
    details: ChildDetailsIn = ChildDetailsIn()
    child_id: str = ""  # a candidate from the match you were shown
    to_agency_id: int | None = None
    to_team_id: int | None = None
    to_service_id: int | None = None
    level: int | None = None
    sender_term: str = ""
    needs: list[str] = []
    reason: str = ""
    what_tried: str = ""
    child_views: str = ""
    family_views: str = ""
    consent: str = ""
    sharing_basis: str = ""
    sharing_reason: str = ""
    attachment_refs: list[str] = []
    purpose: str | None = None


class ReferralEditIn(Schema):
    """Only the fields given change; `details` changes only the detail fields it names."""

    details: dict[str, str | None] | None = None
    child_id: str | None = None
    to_agency_id: int | None = None
    to_team_id: int | None = None
    to_service_id: int | None = None
    level: int | None = None
    sender_term: str | None = None
    needs: list[str] | None = None
    reason: str | None = None
    what_tried: str | None = None
    child_views: str | None = None
    family_views: str | None = None
    consent: str | None = None
    sharing_basis: str | None = None
    sharing_reason: str | None = None
    attachment_refs: list[str] | None = None
    purpose: str | None = None


class PurposeIn(Schema):
    purpose: str | None = None


class NoteIn(PurposeIn):
    note: str = ""


class AcceptIn(NoteIn):
    worker_id: int | None = None


class DeclineIn(PurposeIn):
    reason: str = ""
    alternative: str = ""
    alternative_service_id: int | None = None


class CloseIn(PurposeIn):
    outcome: str = ""
    note: str = ""


class NamedOut(Schema):
    id: int
    name: str


class NeedOut(Schema):
    code: str
    label: str
    scheme: str


class TransitionOut(Schema):
    from_status: str
    to_status: str
    actor: str
    at: datetime
    note: str


class ReferralSummaryOut(Schema):
    reference: str
    status: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    from_agency: NamedOut
    to_agency: NamedOut
    to_team: NamedOut | None
    level: int | None
    level_label: str
    sender_term: str
    created_at: datetime
    sent_at: datetime | None
    acknowledge_by: date | None
    re_referral_of: str | None


class ReferralOut(ReferralSummaryOut):
    side: str  # "sender" | "receiver"
    actions: list[str]  # what you may do now
    child_id: str | None  # only when you may open the child's record
    sex: str
    postcode: str
    address: str
    nhs_number: str
    upn: str
    from_team: NamedOut | None
    to_service: NamedOut | None
    needs: list[NeedOut]
    reason: str
    what_tried: str
    child_views: str
    family_views: str
    consent: str
    sharing_basis: str
    sharing_reason: str
    acknowledged_at: datetime | None
    decided_at: datetime | None
    decline_reason: str
    alternative: str
    alternative_service: NamedOut | None
    alternative_taken_up_at: datetime | None
    alternative_note: str
    closed_at: datetime | None
    outcome: str
    outcome_note: str
    attachments: list[str]
    history: list[TransitionOut]


class MatchCandidateOut(Schema):
    child_id: str
    probability: float
    evidence: list[str]


class ReferralMatchOut(Schema):
    candidates: list[MatchCandidateOut]
    hidden_matches: int
    hidden_message: str
    # Why there is no match to show, e.g. no linkage model yet or too few details.
    unavailable: str = ""


class ReferralCreatedOut(Schema):
    referral: ReferralOut
    match: ReferralMatchOut


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class ListParams(Schema):
    box: str = "received"
    status: str = ""  # comma-separated statuses
    limit: int = 50
    offset: int = 0
    purpose: str | None = None

"""'Is this child known?': the details given, and the children who might be the one described."""

from __future__ import annotations

from ninja import Schema


class MatchIn(Schema):
    given_name: str | None = None
    middle_names: str | None = None
    family_name: str | None = None
    date_of_birth: str | None = None
    sex: str | None = None
    postcode: str | None = None
    address: str | None = None
    nhs_number: str | None = None
    upn: str | None = None
    purpose: str | None = None


class MatchCandidateOut(Schema):
    child_id: str
    probability: float
    evidence: list[str]


class MatchOut(Schema):
    candidates: list[MatchCandidateOut]
    hidden_matches: int
    hidden_message: str

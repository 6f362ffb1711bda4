"""A child's early-warning flags over the API: each flag explained, and the decisions on them."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class TrendPointOut(Schema):
    end: date
    value: float


class EvidenceItemOut(Schema):
    date: str
    what: str


class FlagDecisionOut(Schema):
    decision: str
    reason: str
    decided_by: str
    agency: str
    decided_at: datetime
    flag_ids: list[int]


class FlagDecisionIn(Schema):
    decision: str  # no_action | monitor | offer_support | refer
    reason: str
    purpose: str | None = None


class FlagDecisionErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class FlagOut(Schema):
    id: int
    rule_id: str
    rule_version: str
    rule_name: str
    domain: str
    level: str
    status: str
    value: float
    threshold: float
    unit: str
    comparison: str
    statement: str
    window_label: str
    window_start: date | None
    window_end: date | None
    source: str
    data_date: date | None
    clears_when: str
    first_raised_at: datetime
    is_new: bool
    is_rising: bool
    is_escalation: bool
    decide_by: date | None
    trend: list[TrendPointOut]
    trend_text: str
    items: list[EvidenceItemOut]
    decisions: list[FlagDecisionOut]


class ChildFlagsOut(Schema):
    child_id: str
    purpose: str
    open: list[FlagOut]
    cleared: list[FlagOut]
    decisions: list[FlagDecisionOut]
    withheld: int

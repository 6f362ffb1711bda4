"""The assessments API's bodies: assessments, standardised measures and field errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Schema


class AssessmentOut(Schema):
    reference: str
    child_id: str
    form: str
    form_version: str
    agency: str
    author: str
    status: str
    level: int | None
    answers: dict[str, Any]
    baseline: str | None
    created_at: Any
    completed_at: Any


class MeasureOut(Schema):
    id: int
    child_id: str
    instrument: str
    instrument_version: str
    administered_on: date
    agency: str
    scores: dict[str, Any]
    bands: dict[str, str]


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, str]


class AssessmentIn(Schema):
    child_id: str = ""
    form: str = ""
    reference: str = ""  # to update or complete an existing draft
    answers: dict[str, Any] = {}
    baseline: str = ""
    complete: bool = False
    purpose: str | None = None


class MeasureIn(Schema):
    child_id: str
    instrument: str
    scores: dict[str, Any]
    administered_on: str = ""
    assessment: str = ""
    purpose: str | None = None

"""A CIN census <Child>'s episodes as chronology events, and the date orders that must hold.

Event types (no new ones; all sensitive): the referral and the episode's closure are `referral`
events (the episode opens and closes with them), assessments are `assessment`, child in need
plans are `plan`, section 47 enquiries, initial conferences and child protection plans are
`child_protection`. Each payload keeps the census codes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from joinedup.chronology.vocabulary import EventType
from joinedup.ingest.adapters.base import Problem
from joinedup.ingest.adapters.dfe import (
    ABUSE_CATEGORIES,
    CIN_CLOSURE_REASONS,
    PRIMARY_NEEDS,
    REFERRAL_SOURCES,
    on_day,
)
from joinedup.ingest.adapters.events import EventRecord

_TRUE = {"true", "1"}


def _text(element: Any, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _day(element: Any, path: str) -> date | None:
    text = _text(element, path)[:10]
    return date.fromisoformat(text) if text else None


class _Episode:
    """Collects one child's events and the problems found on the way."""

    def __init__(self, record_id: str, raw: dict[str, str]) -> None:
        self.record_id, self.raw = record_id, raw
        self.events: list[EventRecord] = []
        self.problems: list[Problem] = []

    def add(self, event_type: str, day: date | None, summary: str, **payload: Any) -> None:
        if day is not None:
            record = EventRecord(
                self.record_id, event_type, on_day(day), summary, payload, self.raw
            )
            record.id_field = "LAchildID"
            self.events.append(record)

    def order(self, element: Any, first: str, then: str) -> None:
        """`then` (when given) must not be before `first`."""
        start, end = _day(element, first), _day(element, then)
        if start and end and end < start:
            line = element.find(then).sourceline
            why = f"line {line}: {end.isoformat()} is before <{first}> {start.isoformat()}"
            self.problems.append(Problem(then, why))


def _referral(ep: _Episode, details: Any) -> None:
    """The referral that opened the episode, and its closure."""
    referred = _day(details, "CINreferralDate")
    source, need = _text(details, "ReferralSource"), _text(details, "PrimaryNeedCode")
    nfa = _text(details, "ReferralNFA").lower() in _TRUE
    summary = f"Referral received from {REFERRAL_SOURCES.get(source, source)}"
    if need:
        summary += f" (primary need: {PRIMARY_NEEDS.get(need, need)})"
    if nfa:
        summary += "; no further action"
    ep.add(
        EventType.REFERRAL,
        referred,
        summary,
        stage="referral",
        source=source,
        primary_need=need,
        referral_nfa=nfa,
    )
    ep.order(details, "CINreferralDate", "CINclosureDate")
    closed, reason = _day(details, "CINclosureDate"), _text(details, "ReasonForClosure")
    if closed and not reason:
        line = details.find("CINclosureDate").sourceline
        why = f"line {line}: the episode closed but <ReasonForClosure> is missing"
        ep.problems.append(Problem("ReasonForClosure", why))
    summary = f"Children in need episode closed: {CIN_CLOSURE_REASONS.get(reason, reason)}"
    ep.add(EventType.REFERRAL, closed, summary, stage="closure", closure_reason=reason)


def _assessments(ep: _Episode, details: Any) -> None:
    for assessment in details.iterfind("Assessments"):
        ep.order(assessment, "AssessmentActualStartDate", "AssessmentAuthorisationDate")
        started = _day(assessment, "AssessmentActualStartDate")
        ep.add(EventType.ASSESSMENT, started, "Assessment started", stage="started")
        factors = [
            (f.text or "").strip()
            for f in assessment.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors")
        ]
        summary = "Assessment completed" + (f" (factors: {', '.join(factors)})" if factors else "")
        authorised = _day(assessment, "AssessmentAuthorisationDate")
        ep.add(EventType.ASSESSMENT, authorised, summary, stage="authorised", factors=factors)


def _cin_plans(ep: _Episode, details: Any) -> None:
    for plan in details.iterfind("CINPlanDates"):
        ep.order(plan, "CINPlanStartDate", "CINPlanEndDate")
        start, end = _day(plan, "CINPlanStartDate"), _day(plan, "CINPlanEndDate")
        ep.add(EventType.PLAN, start, "Child in need plan started", plan_type="CIN")
        ep.add(EventType.PLAN, end, "Child in need plan ended", plan_type="CIN")


def _section_47(ep: _Episode, details: Any) -> None:
    """Section 47 enquiries, then each initial conference once (the episode's own date and
    the enquiries' dates together)."""
    icpc_days = {_day(details, "DateOfInitialCPC")}
    for s47 in details.iterfind("Section47"):
        ep.order(s47, "S47ActualStartDate", "DateOfInitialCPC")
        not_required = _text(s47, "ICPCnotRequired").lower() in _TRUE
        summary = "Section 47 enquiry started" + (
            "; initial conference not required" if not_required else ""
        )
        started = _day(s47, "S47ActualStartDate")
        ep.add(
            EventType.CHILD_PROTECTION,
            started,
            summary,
            stage="s47",
            icpc_not_required=not_required,
        )
        icpc_days.add(_day(s47, "DateOfInitialCPC"))
    for day in sorted(d for d in icpc_days if d is not None):
        summary = "Initial child protection conference held"
        ep.add(EventType.CHILD_PROTECTION, day, summary, stage="icpc")


def _protection_plans(ep: _Episode, details: Any) -> None:
    for cpp in details.iterfind("ChildProtectionPlans"):
        ep.order(cpp, "CPPstartDate", "CPPendDate")
        initial, latest = (
            _text(cpp, "InitialCategoryOfAbuse"),
            _text(cpp, "LatestCategoryOfAbuse"),
        )
        category = ABUSE_CATEGORIES.get(latest, latest)
        payload = {
            "initial_category": initial,
            "latest_category": latest,
            "previous_plans": _text(cpp, "NumberOfPreviousCPP"),
        }
        first = ABUSE_CATEGORIES.get(initial, initial)
        summary = f"Child protection plan started (category: {first})"
        ep.add(
            EventType.CHILD_PROTECTION,
            _day(cpp, "CPPstartDate"),
            summary,
            stage="plan",
            **payload,
        )
        summary = f"Child protection plan ended (category: {category})"
        ep.add(
            EventType.CHILD_PROTECTION,
            _day(cpp, "CPPendDate"),
            summary,
            stage="plan_end",
            **payload,
        )


def child_events(
    record_id: str, child: Any, raw: dict[str, str]
) -> tuple[list[EventRecord], list[Problem]]:
    ep = _Episode(record_id, raw)
    for details in child.iterfind("CINdetails"):
        _referral(ep, details)
        _assessments(ep, details)
        _cin_plans(ep, details)
        _section_47(ep, details)
        _protection_plans(ep, details)
    return ep.events, ep.problems

"""Reads of flags for pages and the API: a child's flag explanations, a worklist, and the
front door's "unknown to services" list. Each goes through `joinedup.access.flags`, which checks
and audits; this module only shapes what it returns. No score is computed anywhere: a child
has flags, each explained on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from joinedup.access.children import ChildAccess
from joinedup.access.flags import (
    FlagList,
    flags_for_child,
    unknown_to_services_flags,
    worklist_flags,
)
from joinedup.access.relationships import open_involvement_q
from joinedup.governance.models import AgencyType, StaffUser
from joinedup.governance.working_days import add_working_days
from joinedup.indicators.models import DecisionKind, Flag, FlagDecision, FlagLevel
from joinedup.indicators.sparkline import (
    SeriesPoint,
    quantity_text,
    series_from_evidence,
    sparkline_svg,
    sparkline_text,
)
from joinedup.people.models import Child, Involvement

# Used when a flag has no decision_due_on of its own (the rule file's
# `[worklist] decision_due_school_days` sets it when the run raises the flag).
DECISION_DUE_WORKING_DAYS = 5

COMPARISON_WORDS = {
    "<": "is below",
    "<=": "is at or below",
    ">": "is above",
    ">=": "is at or above",
}


@dataclass(frozen=True)
class DecisionView:
    decision: str
    decision_label: str
    reason: str
    decided_by: str
    agency: str
    decided_at: datetime
    flag_ids: tuple[int, ...]


@dataclass(frozen=True)
class EvidenceItem:
    date: str
    what: str


@dataclass(frozen=True)
class FlagExplanation:
    id: int
    rule_id: str
    rule_version: str
    rule_name: str
    domain: str
    level: str
    level_label: str
    status: str
    value: float
    threshold: float
    unit: str
    comparison: str
    statement: str  # "84.2 % is below 90 %"
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
    trend: list[SeriesPoint]
    trend_svg: str
    trend_text: str
    items: list[EvidenceItem]
    decisions: list[DecisionView] = field(default_factory=list)

    @property
    def is_priority(self) -> bool:
        return self.is_new or self.is_rising or self.is_escalation


def decide_by(flag: Flag) -> date | None:
    if flag.decision_due_on is not None:
        return flag.decision_due_on
    return add_working_days(timezone.localdate(flag.first_raised_at), DECISION_DUE_WORKING_DAYS)


def statement(flag: Flag) -> str:
    words = COMPARISON_WORDS.get(flag.comparison, f"compared with ({flag.comparison})")
    return (
        f"{quantity_text(flag.value, flag.unit)} {words} {quantity_text(flag.threshold, flag.unit)}"
    )


def _decision_view(d: FlagDecision) -> DecisionView:
    return DecisionView(
        decision=d.decision,
        decision_label=DecisionKind(d.decision).label,
        reason=d.reason,
        decided_by=d.decided_by.display_name,
        agency=d.agency.name,
        decided_at=d.decided_at,
        flag_ids=tuple(sorted(f.pk for f in d.flags.all())),
    )


def explain(flag: Flag, decisions: list[DecisionView] | None = None) -> FlagExplanation:
    points = series_from_evidence(flag.evidence or {})
    threshold = float(flag.threshold)
    items = [
        EvidenceItem(str(i.get("date", "")), str(i.get("what", "")))
        for i in (flag.evidence or {}).get("items") or []
        if isinstance(i, dict)
    ]
    return FlagExplanation(
        id=flag.pk,
        rule_id=flag.rule_id,
        rule_version=flag.rule_version,
        rule_name=flag.rule_name,
        domain=flag.domain,
        level=flag.level,
        level_label=FlagLevel(flag.level).label,
        status=flag.status,
        value=float(flag.value),
        threshold=threshold,
        unit=flag.unit,
        comparison=flag.comparison,
        statement=statement(flag),
        window_label=flag.window_label,
        window_start=flag.window_start,
        window_end=flag.window_end,
        source=flag.source,
        data_date=flag.data_date,
        clears_when=flag.clears_when,
        first_raised_at=flag.first_raised_at,
        is_new=flag.is_new,
        is_rising=flag.is_rising,
        is_escalation=flag.is_escalation,
        decide_by=decide_by(flag),
        trend=points,
        trend_svg=sparkline_svg(
            points, unit=flag.unit, threshold=threshold, label=f"Trend of {flag.rule_name}"
        ),
        trend_text=sparkline_text(points, flag.unit),
        items=items,
        decisions=[d for d in (decisions or []) if flag.pk in d.flag_ids],
    )


@dataclass(frozen=True)
class ChildFlagPanel:
    open: list[FlagExplanation]
    cleared: list[FlagExplanation]
    decisions: list[DecisionView]
    withheld: int


def _level_rank(level: str) -> int:
    return 0 if level == FlagLevel.RED else 1


def child_flag_panel(*, viewer: StaffUser, access: ChildAccess) -> ChildFlagPanel:
    """A child's flags as this viewer may see them: open ones explained (priority, red, then
    amber), cleared ones as history, and the decisions recorded; audited by the access layer."""
    found = flags_for_child(viewer, access)
    decisions = [_decision_view(d) for d in found.decisions]
    open_ = sorted(
        (explain(f, decisions) for f in found.open),
        key=lambda e: (not e.is_priority, _level_rank(e.level), e.rule_name),
    )
    return ChildFlagPanel(
        open=open_,
        cleared=[explain(f, decisions) for f in found.cleared],
        decisions=decisions,
        withheld=found.withheld,
    )


@dataclass(frozen=True)
class WorklistItem:
    child_id: str
    full_name: str
    age: int | None
    schools: list[str]
    flags: list[FlagExplanation]
    undecided: int
    decide_by: date | None
    overdue: bool
    is_priority: bool
    highest_level: str

    @property
    def decided(self) -> bool:
        return self.undecided == 0


@dataclass(frozen=True)
class Worklist:
    to_decide: list[WorklistItem]
    decided: list[WorklistItem]
    withheld: int


def age_on(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _schools(child_ids: list[int]) -> dict[int, list[str]]:
    today = timezone.localdate()
    found: dict[int, list[str]] = {}
    for child_id, name in (
        Involvement.objects.filter(
            open_involvement_q(today=today),
            child_id__in=child_ids,
            agency__agency_type=AgencyType.SCHOOL,
        )
        .values_list("child_id", "agency__name")
        .distinct()
        .order_by("agency__name")
    ):
        found.setdefault(child_id, []).append(name)
    return found


def _item(
    child: Child,
    flags: list[Flag],
    decided: set[int],
    schools: list[str],
    today: date,
    named: bool,
) -> WorklistItem:
    explained = sorted(
        (explain(f) for f in flags),
        key=lambda e: (not e.is_priority, _level_rank(e.level), e.rule_name),
    )
    pending = [e for e in explained if e.id not in decided]
    dues = [e.decide_by for e in (pending or explained) if e.decide_by is not None]
    due = min(dues) if dues else None
    return WorklistItem(
        child_id=child.child_id,
        full_name=child.full_name if named else "",
        age=age_on(child.date_of_birth, today),
        schools=schools,
        flags=explained,
        undecided=len(pending),
        decide_by=due,
        overdue=bool(pending) and due is not None and due < today,
        is_priority=any(e.is_priority for e in pending or explained),
        highest_level=min((e.level for e in explained), key=_level_rank),
    )


def _worklist(found: FlagList, *, named: bool) -> Worklist:
    today = timezone.localdate()
    schools = _schools(list(found.by_child))
    items = [
        _item(
            found.children[c], flags, found.decided.get(c, set()), schools.get(c, []), today, named
        )
        for c, flags in found.by_child.items()
    ]
    items.sort(
        key=lambda i: (
            not i.is_priority,
            _level_rank(i.highest_level),
            i.decide_by or date.max,
            i.child_id,
        )
    )
    return Worklist(
        to_decide=[i for i in items if not i.decided],
        decided=[i for i in items if i.decided],
        withheld=found.withheld,
    )


def worklist_list(*, viewer: StaffUser, purpose: str) -> Worklist:
    """Flags of the children this viewer has a legitimate relationship with: new and
    escalating first, then red, then amber, the earliest "decide by" first."""
    return _worklist(worklist_flags(viewer, purpose=purpose), named=True)


def unknown_to_services_list(*, viewer: StaffUser, purpose: str) -> Worklist:
    """Children with red or escalation flags whom no targeted or specialist service knows.
    Names are left out: the front door sees the minimum until it has a relationship."""
    return _worklist(unknown_to_services_flags(viewer, purpose=purpose), named=False)

"""The "nobody gripping it" worklist: what has stalled, scoped to the people who can act on it.

Sections (docs/worklists.md):

- `unacknowledged-received`: referrals to the viewer's team (or agency, when sent to no team)
  still "sent" after their acknowledge-by date; needs RECEIVE_REFERRALS.
- `unacknowledged-sent`: the same, for the sender's side; needs MAKE_REFERRALS.
- `declined`: the sender's referrals declined with no alternative taken up.
- `re-referrals`: referrals awaiting the receiving side's decision that re-refer a child whose
  earlier referral to the same agency closed with no further action within 12 months.
- `no-lead`: children with open involvements beyond universal provision from two or more
  agencies and no lead professional, for viewers with WORK_IN_TAC and an open involvement with
  the child (a school's roll and a health visitor's caseload do not count; see
  `beyond_universal_q`).
- `actions`: open team-around-the-child actions past their due date: the owner's own, and the
  actions of the teams the viewer leads (WORK_IN_TAC).

A deadline is missed once a working day has passed after it (`deadline_missed_before`): a
referral due on Friday is not overdue on Saturday or Sunday, it is on Monday (Tuesday after a
bank-holiday Monday). Rows carry references and child ids only, never a name. Each page view is
audited once (`worklist.attention`) with the counts and the references and child ids shown.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.access.policy import Action, role_allows
from joinedup.access.referrals import referral_received_q, referral_sent_q
from joinedup.access.relationships import involvement_scope_q, open_involvement_q
from joinedup.governance.models import StaffUser
from joinedup.governance.working_days import is_working_day, working_days_between
from joinedup.people.models import UNIVERSAL_LEVEL, Involvement, beyond_universal_q
from joinedup.referrals.models import Referral, ReferralStatus
from joinedup.tac.models import ActionStatus, TacAction

PAGE_SIZE = 50
SECTIONS: dict[str, str] = {
    "unacknowledged-received": "Referrals to you not acknowledged in time",
    "unacknowledged-sent": "Your referrals not acknowledged in time",
    "declined": "Declined, no alternative taken up",
    "re-referrals": "Re-referrals within 12 months",
    "no-lead": "Two or more agencies, no lead professional",
    "actions": "Team-around-the-child actions overdue",
}
# Re-referrals stay on the list until the receiving side accepts or declines.
AWAITING_DECISION = (ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED)


def deadline_missed_before(today: date) -> date:
    """The latest working day on or before `today`: a deadline earlier than it is missed."""
    day = today
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _referral_filters(viewer: StaffUser, today: date) -> dict[str, Q]:
    """The four referral sections as filters: each side's scope and what has stalled."""
    missed = deadline_missed_before(today)
    received, sent = referral_received_q(viewer), referral_sent_q(viewer)
    overdue = Q(status=ReferralStatus.SENT, acknowledge_by__lt=missed)
    return {
        "unacknowledged-received": received & overdue,
        "unacknowledged-sent": sent & overdue,
        "declined": sent & Q(status=ReferralStatus.DECLINED, alternative_taken_up_at__isnull=True),
        "re-referrals": received & Q(status__in=AWAITING_DECISION, re_referral_of__isnull=False),
    }


_REFERRAL_ORDER = {
    "unacknowledged-received": ("acknowledge_by", "id"),
    "unacknowledged-sent": ("acknowledge_by", "id"),
    "declined": ("decided_at", "id"),
    "re-referrals": ("sent_at", "id"),
}


def section_querysets(viewer: StaffUser, today: date) -> dict[str, QuerySet[Any]]:
    """Each section's rows for this viewer, unevaluated (counted and sliced by the caller)."""
    referrals = Referral.objects.filter(child__isnull=False).select_related(
        "child", "re_referral_of"
    )
    sections: dict[str, QuerySet[Any]] = {
        name: referrals.filter(q).order_by(*_REFERRAL_ORDER[name])
        for name, q in _referral_filters(viewer, today).items()
    }
    tac = viewer.is_active and role_allows(viewer.role, Action.WORK_IN_TAC)
    sections["no-lead"] = _no_lead(viewer, today) if tac else Involvement.objects.none()
    sections["actions"] = _actions(viewer, today)
    return sections


def _actions(viewer: StaffUser, today: date) -> QuerySet[Any]:
    """Open actions past their due date: the viewer's own, and (WORK_IN_TAC) those of the open
    teams they lead."""
    if not viewer.is_active:
        return TacAction.objects.none()
    mine = Q(owner_id=viewer.pk)
    if role_allows(viewer.role, Action.WORK_IN_TAC):
        mine |= Q(tac__lead_professional_id=viewer.pk)
    return (
        TacAction.objects.select_related("tac__child")
        .filter(
            mine,
            status=ActionStatus.OPEN,
            due_on__lt=deadline_missed_before(today),
            tac__closed_on__isnull=True,
        )
        .order_by("due_on", "id")
    )


def _counts(viewer: StaffUser, today: date, sections: dict[str, QuerySet[Any]]) -> dict[str, int]:
    """Every section's count: the four referral sections in one aggregate query."""
    filters = _referral_filters(viewer, today)
    scope = Q(pk__in=[])
    for q in filters.values():
        scope |= q
    named = {name.replace("-", "_"): q for name, q in filters.items()}
    counts = Referral.objects.filter(scope, child__isnull=False).aggregate(
        **{alias: Count("pk", filter=q) for alias, q in named.items()}
    )
    result = {name: counts[name.replace("-", "_")] or 0 for name in filters}
    result["no-lead"] = sections["no-lead"].count()
    result["actions"] = sections["actions"].count()
    return result


def children_without_lead(open_involvements: QuerySet[Any]) -> QuerySet[Any]:
    """Per child (`child_id`), of the given open involvements: those with two or more agencies
    involved beyond universal provision and no involvement marked lead professional."""
    beyond = beyond_universal_q()
    return (
        open_involvements.filter(child__merged_into__isnull=True)
        .values("child_id")
        .annotate(
            agencies=Count("agency_id", distinct=True, filter=beyond),
            leads=Count("pk", filter=Q(is_lead_professional=True)),
            latest=Max("started_on", filter=beyond),
        )
        .filter(agencies__gte=2, leads=0)
    )


def second_agency_since(involvements: Iterable[Involvement]) -> date | None:
    """When the child's second agency beyond universal provision became involved: the wait
    for a lead professional starts then."""
    first: dict[int, date] = {}
    for inv in involvements:
        if inv.level != UNIVERSAL_LEVEL:
            known = first.get(inv.agency_id)
            first[inv.agency_id] = min(inv.started_on, known) if known else inv.started_on
    starts = sorted(first.values())
    return starts[1] if len(starts) > 1 else None


def _no_lead(viewer: StaffUser, today: date) -> QuerySet[Any]:
    """Children in the viewer's involvement scope without a lead professional (above): one
    row per child."""
    mine = Involvement.objects.filter(involvement_scope_q(viewer, today=today)).values("child_id")
    open_ = Involvement.objects.filter(open_involvement_q(today=today), child_id__in=mine)
    return children_without_lead(open_).order_by("latest", "child_id")


@dataclass(frozen=True)
class AttentionItem:
    """One row: what has stalled and for how many working days. No names."""

    reference: str  # the referral's or team's reference; the child id for "no-lead"
    child_id: str
    since: date | None  # the deadline missed, or when the wait began
    working_days: int
    detail: str = ""  # the action's description (shown to its owner and the lead only)
    earlier_reference: str = ""  # the referral a re-referral repeats
    kind: str = "referral"  # "referral" | "tac" | "child"


@dataclass(frozen=True)
class AttentionPage:
    section: str
    page: int
    pages: int
    counts: dict[str, int]
    items: list[AttentionItem] = field(default_factory=list)

    @property
    def page_exists(self) -> bool:
        return 1 <= self.page <= max(1, self.pages)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _referral_rows(section: str, rows: QuerySet[Any], today: date) -> list[AttentionItem]:
    items = []
    for r in rows:
        if section == "declined":
            since = timezone.localdate(r.decided_at) if r.decided_at else None
        elif section == "re-referrals":
            since = timezone.localdate(r.sent_at) if r.sent_at else None
        else:
            since = r.acknowledge_by
        items.append(
            AttentionItem(
                reference=r.reference,
                child_id=r.child.child_id,
                since=since,
                working_days=working_days_between(since, today) if since else 0,
                earlier_reference=r.re_referral_of.reference if r.re_referral_of else "",
            )
        )
    return items


def _no_lead_rows(rows: list[dict[str, Any]], today: date) -> list[AttentionItem]:
    """When each child's second agency became involved: the wait for a lead professional."""
    from joinedup.people.models import Child

    pks = [row["child_id"] for row in rows]
    ids = dict(Child.objects.filter(pk__in=pks).values_list("pk", "child_id"))
    by_child: dict[int, list[Involvement]] = {pk: [] for pk in pks}
    for inv in Involvement.objects.filter(open_involvement_q(today=today), child_id__in=pks).only(
        "child_id", "agency_id", "started_on", "level"
    ):
        assert inv.child_id is not None  # open involvements have a child
        by_child[inv.child_id].append(inv)
    items = []
    for pk in pks:
        since = second_agency_since(by_child[pk])
        items.append(
            AttentionItem(
                reference=ids[pk],
                child_id=ids[pk],
                since=since,
                working_days=working_days_between(since, today) if since else 0,
                kind="child",
            )
        )
    return items


def _action_rows(rows: QuerySet[Any], today: date) -> list[AttentionItem]:
    return [
        AttentionItem(
            reference=a.tac.reference,
            child_id=a.tac.child.child_id,
            since=a.due_on,
            working_days=working_days_between(a.due_on, today),
            detail=a.description,
            kind="tac",
        )
        for a in rows
    ]


def attention_counts(viewer: StaffUser, *, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    return _counts(viewer, today, section_querysets(viewer, today))


def attention_worklist(
    viewer: StaffUser,
    *,
    purpose: str,
    section: str | None = None,
    page: int = 1,
    today: date | None = None,
) -> AttentionPage:
    """Every section's count and one page of one section's rows (by default the first
    section with anything in it); audited once."""
    if section is not None and section not in SECTIONS:
        raise ValueError(f"Unknown section {section!r}.")
    today = today or timezone.localdate()
    sections = section_querysets(viewer, today)
    with transaction.atomic():
        counts = _counts(viewer, today, sections)
        if section is None:
            section = next((name for name, n in counts.items() if n), next(iter(SECTIONS)))
        pages = math.ceil(counts[section] / PAGE_SIZE)
        items: list[AttentionItem] = []
        if 1 <= page <= max(1, pages):
            window = sections[section][(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
            if section == "no-lead":
                items = _no_lead_rows(list(window), today)
            elif section == "actions":
                items = _action_rows(window, today)
            else:
                items = _referral_rows(section, window, today)
        audit_record(
            actor=viewer,
            action="worklist.attention",
            purpose=purpose[:20],
            object_type="worklist",
            object_ref=section,
            detail={
                "section": section,
                "page": page,
                "counts": counts,
                "shown": [i.reference for i in items],
                "children": sorted({i.child_id for i in items}),
            },
        )
    return AttentionPage(section=section, page=page, pages=pages, counts=counts, items=items)

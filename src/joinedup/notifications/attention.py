"""Attention ("Nobody gripping it"): the nightly reminders (`joinedup attention remind`).

The same sections as the attention worklist (`joinedup.access.attention.SECTIONS`, the same
keys), across the whole area, each item reminded once per deadline: the dedupe key is the
section, the item and the date it is measured from, so running twice (or nightly) sends nothing
new, and an item whose deadline moves (an action given a new due date; a child who had a lead
professional and lost them) is reminded again. The worklist shows every item every day; the
email is the nudge. Notifications are of kind `attention.<section>`.

- `unacknowledged-received:<R-ref>:<acknowledge_by>` to the receiving team (RECEIVE_REFERRALS)
  and `unacknowledged-sent:<R-ref>:<acknowledge_by>` to the referrer, once a working day has
  passed after the acknowledge-by date;
- `declined:<R-ref>` to the referrer, DECLINED_REMINDER_DAYS working days after the decline
  with no alternative taken up (the decline itself already notified them);
- `re-referrals:<R-ref>` to the receiving team, while they have not decided;
- `no-lead:<child id>:<date the second agency became involved>` to the named workers of the
  open involvements (WORK_IN_TAC); when no worker is named, to the involved teams' or
  agencies' team managers;
- `actions:<action id>:<due_on>` to the action's owner and the team's lead.

Subjects and bodies hold references, child ids and dates only, never a name or a detail.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.access.attention import (
    AWAITING_DECISION,
    SECTIONS,
    children_without_lead,
    deadline_missed_before,
    second_agency_since,
)
from joinedup.access.audit import audit_record
from joinedup.access.policy import ROLE_ACTIONS, Action
from joinedup.access.relationships import open_involvement_q
from joinedup.dates import govuk_date
from joinedup.governance.models import Role, StaffUser
from joinedup.governance.working_days import working_days_between
from joinedup.notifications.links import child_link, referral_link, tac_link
from joinedup.notifications.services import notifications_send
from joinedup.people.models import UNIVERSAL_LEVEL, Involvement
from joinedup.referrals.models import Referral, ReferralStatus
from joinedup.tac.models import ActionStatus, TacAction

__all__ = ["DECLINED_REMINDER_DAYS", "AttentionReminders", "attention_remind"]

DECLINED_REMINDER_DAYS = 5


@dataclass
class AttentionReminders:
    """Per section (SECTIONS' keys): the items found and the new notifications sent."""

    as_of: date
    items: Counter[str] = field(default_factory=Counter)
    sent: Counter[str] = field(default_factory=Counter)


def _roles(action: Action) -> list[str]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


def _days(n: int) -> str:
    return f"{n} working day{'s' if n != 1 else ''}"


class _Receivers:
    """The receiving team's members (or agency's, when no team) with RECEIVE_REFERRALS."""

    def __init__(self) -> None:
        self._held: dict[tuple[int, int | None], list[StaffUser]] = {}
        self._roles = _roles(Action.RECEIVE_REFERRALS)

    def __call__(self, referral: Referral) -> list[StaffUser]:
        key = (referral.to_agency_id, referral.to_team_id)
        if key not in self._held:
            people = StaffUser.objects.filter(is_active=True, role__in=self._roles)
            if referral.to_team_id:
                people = people.filter(team_id=referral.to_team_id)
            else:
                people = people.filter(agency_id=referral.to_agency_id)
            self._held[key] = list(people)
        return self._held[key]


def _sent(
    summary: AttentionReminders,
    section: str,
    recipients: list[StaffUser],
    *,
    item: str,
    **message: str,
) -> None:
    assert section in SECTIONS
    summary.items[section] += 1
    summary.sent[section] += len(
        notifications_send(
            recipients=recipients,
            kind=f"attention.{section}",
            dedupe_key=f"{section}:{item}",
            **message,
        )
    )


def _referral_reminders(summary: AttentionReminders, as_of: date) -> None:
    receivers = _Receivers()
    missed = deadline_missed_before(as_of)
    referrals = Referral.objects.filter(child__isnull=False).select_related("created_by")
    for r in referrals.filter(status=ReferralStatus.SENT, acknowledge_by__lt=missed):
        assert r.acknowledge_by is not None
        late = working_days_between(r.acknowledge_by, as_of)
        body = (
            f"Referral {r.reference} was due to be acknowledged by "
            f"{govuk_date(r.acknowledge_by)}; it is {_days(late)} overdue."
        )
        item = f"{r.reference}:{r.acknowledge_by.isoformat()}"
        _sent(
            summary,
            "unacknowledged-received",
            receivers(r),
            item=item,
            subject=f"Referral {r.reference} to you not acknowledged in time",
            body=body,
            link=referral_link(r.reference),
        )
        _sent(
            summary,
            "unacknowledged-sent",
            [r.created_by],
            item=item,
            subject=f"Your referral {r.reference} not acknowledged in time",
            body=body,
            link=referral_link(r.reference),
        )
    for r in referrals.filter(
        status=ReferralStatus.DECLINED,
        alternative_taken_up_at__isnull=True,
        decided_at__isnull=False,
    ):
        assert r.decided_at is not None
        waited = working_days_between(timezone.localdate(r.decided_at), as_of)
        if waited < DECLINED_REMINDER_DAYS:
            continue
        _sent(
            summary,
            "declined",
            [r.created_by],
            item=r.reference,
            subject=f"Referral {r.reference} declined: no alternative taken up yet",
            body=f"Referral {r.reference} was declined {_days(waited)} ago. Record whether the "
            "suggested alternative was taken up, or make another referral.",
            link=referral_link(r.reference),
        )
    for r in referrals.filter(
        status__in=AWAITING_DECISION, re_referral_of__isnull=False
    ).select_related("re_referral_of"):
        assert r.re_referral_of is not None
        _sent(
            summary,
            "re-referrals",
            receivers(r),
            item=r.reference,
            subject=f"Referral {r.reference} is a re-referral within 12 months",
            body=f"Referral {r.reference} is about a child whose referral "
            f"{r.re_referral_of.reference} to your agency was closed with no further action "
            "within the last 12 months.",
            link=referral_link(r.reference),
        )


def _no_lead_reminders(summary: AttentionReminders, as_of: date) -> None:
    open_ = Involvement.objects.filter(open_involvement_q(today=as_of))
    children = children_without_lead(open_).values_list("child_id", flat=True)
    involvements: dict[int, list[Involvement]] = defaultdict(list)
    for inv in open_.filter(child_id__in=children).select_related("child", "worker"):
        assert inv.child_id is not None  # open involvements have a child
        involvements[inv.child_id].append(inv)
    tac_roles = set(_roles(Action.WORK_IN_TAC))
    for rows in involvements.values():
        since = second_agency_since(rows)
        assert since is not None  # two agencies beyond universal provision, by the query
        agencies = len({i.agency_id for i in rows if i.level != UNIVERSAL_LEVEL})
        workers = [i.worker for i in rows if i.worker is not None and i.worker.role in tac_roles]
        if not workers:
            workers = list(_managers(rows))
        child = rows[0].child
        assert child is not None
        child_id = child.child_id
        _sent(
            summary,
            "no-lead",
            workers,
            item=f"{child_id}:{since.isoformat()}",
            subject=f"Child {child_id}: two or more agencies involved, no lead professional",
            body=f"{agencies} agencies have been involved with child {child_id} since "
            f"{govuk_date(since)} ({_days(working_days_between(since, as_of))}) and no one is "
            "the lead professional. Agree a lead professional in a team around the child.",
            link=child_link(child_id),
        )


def _managers(rows: list[Involvement]) -> QuerySet[StaffUser]:
    scope = Q(pk__in=[])
    for inv in rows:
        scope |= Q(team_id=inv.team_id) if inv.team_id else Q(agency_id=inv.agency_id)
    return StaffUser.objects.filter(scope, is_active=True, role=Role.TEAM_MANAGER)


def _action_reminders(summary: AttentionReminders, as_of: date) -> None:
    missed = deadline_missed_before(as_of)
    for a in TacAction.objects.filter(
        status=ActionStatus.OPEN, due_on__lt=missed, tac__closed_on__isnull=True
    ).select_related("owner", "tac__lead_professional"):
        lead = a.tac.lead_professional
        _sent(
            summary,
            "actions",
            [a.owner, *([lead] if lead is not None else [])],
            item=f"{a.pk}:{a.due_on.isoformat()}",
            subject=f"Team around the child {a.tac.reference}: an action is overdue",
            body=f"An action in team around the child {a.tac.reference} was due on "
            f"{govuk_date(a.due_on)}; it is {_days(working_days_between(a.due_on, as_of))} "
            "overdue.",
            link=tac_link(a.tac.reference),
        )


def attention_remind(*, as_of: date) -> AttentionReminders:
    """Notify everyone of what has stalled, once per item and deadline; audited once."""
    summary = AttentionReminders(as_of=as_of)
    with transaction.atomic():
        _referral_reminders(summary, as_of)
        _no_lead_reminders(summary, as_of)
        _action_reminders(summary, as_of)
        audit_record(
            actor=None,
            action="attention.remind",
            object_type="attention",
            detail={
                "as_of": as_of.isoformat(),
                "items": dict(summary.items),
                "sent": dict(summary.sent),
            },
        )
    return summary

"""Referrals and teams around the child as the referral and tac services leave them, made
straight through the models so the attention worklist can be tested on any state and date."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time
from typing import Any

from joinedup.governance.models import Agency, StaffUser, Team
from joinedup.people.models import Child
from joinedup.referrals.models import Referral, ReferralOutcome, ReferralStatus
from joinedup.tac.models import ActionStatus, TacAction, TeamAroundChild

_seq = itertools.count(1)
_ALPHABET = "23456789BCDFGHJKLMNPQRSTVWXZ"


def _ref(prefix: str) -> str:
    n = next(_seq)
    chars = ""
    for _ in range(8):
        n, r = divmod(n, len(_ALPHABET))
        chars += _ALPHABET[r]
    return f"{prefix}-{chars}"


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def referral(
    *,
    child: Child,
    by: StaffUser,
    to_agency: Agency,
    to_team: Team | None = None,
    status: str = ReferralStatus.SENT,
    sent_on: date | None = date(2026, 11, 16),
    acknowledge_by: date | None = date(2026, 11, 20),
    **kw: Any,
) -> Referral:
    assert by.agency is not None
    fields: dict[str, Any] = {
        "reference": _ref("R"),
        "child": child,
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth": child.date_of_birth,
        "from_agency": by.agency,
        "from_team": by.team,
        "created_by": by,
        "to_agency": to_agency,
        "to_team": to_team,
        "status": status,
        "level": 2,
        "needs": ["eha-health"],
        "reason": "Test reason",
        "consent": "given",
        "sent_at": at(sent_on) if sent_on and status != ReferralStatus.DRAFT else None,
        "acknowledge_by": acknowledge_by if status != ReferralStatus.DRAFT else None,
    }
    if status == ReferralStatus.DECLINED:
        fields.update(
            decided_at=at(kw.pop("decided_on", date(2026, 11, 17))),
            decided_by=kw.pop("decided_by", None),
            decline_reason="Not our service",
            alternative="Try the youth service",
        )
    if status == ReferralStatus.CLOSED:
        fields.update(closed_at=at(kw.pop("closed_on", date(2026, 3, 2))))
        fields.setdefault("outcome", ReferralOutcome.NO_FURTHER_ACTION)
    fields.update(kw)
    return Referral.objects.create(**fields)


def tac(child: Child, *, opened_by: StaffUser, lead: StaffUser | None = None, **kw: Any) -> Any:
    return TeamAroundChild.objects.create(
        reference=_ref("TAC"),
        child=child,
        level=kw.pop("level", 2),
        lead_professional=lead,
        lead_agency=lead.agency if lead else None,
        opened_by=opened_by,
        **kw,
    )


def action(team: TeamAroundChild, *, owner: StaffUser, due_on: date, **kw: Any) -> TacAction:
    return TacAction.objects.create(
        tac=team,
        description=kw.pop("description", "Book a health assessment"),
        owner=owner,
        due_on=due_on,
        status=kw.pop("status", ActionStatus.OPEN),
        created_by=kw.pop("created_by", owner),
        **kw,
    )

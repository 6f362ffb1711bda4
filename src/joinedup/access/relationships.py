"""The legitimate-relationship rule (docs/access-model.md), written once.

A staff member has a relationship with a child through
- an **open involvement**: one that has started (`started_on` on or before today) and has not
  ended (`ended_on` blank, or today or later: an involvement is open through its end date), by
  them as the allocated worker, by their team, or by their agency when the involvement is
  agency-wide (no team and no worker, e.g. a pupil on a school's roll);
- or a **live break-glass grant**: granted, not expired, and not reviewed as not justified.

A **live referral** (sent, acknowledged or accepted) is a relationship with the referral and
what it attaches, not with the child's record (ADR 0010): `LIVE_REFERRAL_STATUSES`.

Everything that depends on the date takes `today` or `now`, so callers and tests pass one.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from joinedup.governance.models import BreakGlassAccess, StaffUser
from joinedup.people.models import Involvement
from joinedup.referrals.models import ReferralStatus

__all__ = [
    "LIVE_REFERRAL_STATUSES",
    "NOT_JUSTIFIED",
    "involvement_is_open",
    "involvement_scope_q",
    "live_break_glass_q",
    "open_involvement_q",
    "related_child_q",
    "relationship_for",
]

# How a break-glass review that found the access not justified begins (`review_outcome`);
# such a grant opens nothing more, even before it expires.
NOT_JUSTIFIED = "Not justified"

LIVE_REFERRAL_STATUSES: tuple[str, ...] = (
    ReferralStatus.SENT,
    ReferralStatus.ACKNOWLEDGED,
    ReferralStatus.ACCEPTED,
)


def open_involvement_q(*, today: date) -> Q:
    """Over Involvement: open on `today`. An involvement imported for a record not yet linked
    to a child (blank `child`) is open to no one: it connects no one to any child."""
    return (
        Q(child__isnull=False)
        & Q(started_on__lte=today)
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    )


def involvement_is_open(involvement: Involvement, *, today: date) -> bool:
    """The same test for one involvement in hand."""
    return (
        involvement.child_id is not None
        and involvement.started_on <= today
        and (involvement.ended_on is None or involvement.ended_on >= today)
    )


def involvement_scope_q(viewer: StaffUser, *, today: date) -> Q:
    """Over Involvement: the open involvements that connect this viewer to a child.

    Allocated worker; the involved team's members; or every member of an agency whose
    involvement is agency-wide (no team and no worker, e.g. a pupil on a school's roll).
    """
    scope = Q(worker_id=viewer.pk)
    if viewer.team_id:
        scope |= Q(team_id=viewer.team_id)
    if viewer.agency_id:
        scope |= Q(agency_id=viewer.agency_id, team__isnull=True, worker__isnull=True)
    return scope & open_involvement_q(today=today)


def live_break_glass_q(*, now: datetime) -> Q:
    """Over BreakGlassAccess: grants live at `now`."""
    return Q(granted_at__lte=now, expires_at__gt=now) & ~Q(review_outcome__startswith=NOT_JUSTIFIED)


def related_child_q(viewer: StaffUser, *, now: datetime) -> Q:
    """Over Child: the children this viewer has a relationship with at `now`."""
    today = timezone.localdate(now)
    involved = Involvement.objects.filter(involvement_scope_q(viewer, today=today))
    glass = BreakGlassAccess.objects.filter(live_break_glass_q(now=now), staff_id=viewer.pk)
    return Q(pk__in=involved.values("child_id")) | Q(pk__in=glass.values("child_id"))


def relationship_for(
    viewer: StaffUser, child_pk: int, *, now: datetime | None = None
) -> str | None:
    """'involvement', 'break_glass' or None: the viewer's relationship with one child at `now`
    (by default, now)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    involved = Involvement.objects.filter(
        involvement_scope_q(viewer, today=today), child_id=child_pk
    )
    if involved.exists():
        return "involvement"
    glass = BreakGlassAccess.objects.filter(
        live_break_glass_q(now=now), staff_id=viewer.pk, child_id=child_pk
    )
    if glass.exists():
        return "break_glass"
    return None

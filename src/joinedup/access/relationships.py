"""The legitimate-relationship test: an open involvement, or a live break-glass grant."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from joinedup.governance.models import BreakGlassAccess, StaffUser
from joinedup.people.models import Involvement


def _open_involvements_q() -> Q:
    today = timezone.localdate()
    return Q(ended_on__isnull=True) | Q(ended_on__gte=today)


def involvement_scope_q(viewer: StaffUser) -> Q:
    """Involvements that connect this viewer to a child.

    Allocated worker; the involved team's members; or every member of an agency whose
    involvement is agency-wide (no team and no worker, e.g. a pupil on a school's roll).
    """
    scope = Q(worker_id=viewer.pk)
    if viewer.team_id:
        scope |= Q(team_id=viewer.team_id)
    if viewer.agency_id:
        scope |= Q(agency_id=viewer.agency_id, team__isnull=True, worker__isnull=True)
    return scope & _open_involvements_q() & Q(started_on__lte=timezone.localdate())


def involved_child_ids(viewer: StaffUser) -> set[int]:
    return set(
        Involvement.objects.filter(involvement_scope_q(viewer)).values_list("child_id", flat=True)
    )


def break_glass_child_ids(viewer: StaffUser) -> set[int]:
    return set(
        BreakGlassAccess.objects.filter(
            staff_id=viewer.pk, expires_at__gt=timezone.now(), granted_at__lte=timezone.now()
        ).values_list("child_id", flat=True)
    )


def relationship_for(viewer: StaffUser, child_pk: int) -> str | None:
    """'involvement', 'break_glass' or None."""
    if Involvement.objects.filter(involvement_scope_q(viewer), child_id=child_pk).exists():
        return "involvement"
    if BreakGlassAccess.objects.filter(
        staff_id=viewer.pk, child_id=child_pk, expires_at__gt=timezone.now()
    ).exists():
        return "break_glass"
    return None

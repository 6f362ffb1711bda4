"""Guarded, audited reads of a team around the child (docs/team-around-the-child.md).

A viewer may open a team when all of these hold:
- their role may work in a team around the child (and view a child's record), under a
  purpose the role works under;
- they may open the child's record: an open involvement or a live break-glass grant;
- they are a current member by name, or work beside one: in the team of a current member's
  involvement, or (when that involvement names no team) in its agency.
A team that is missing and one the viewer may not open both raise `TacNotFound` (404), and
both are audited. A change to a team opens it with `tac_guard` in a `guarded_write`, under the
same test.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from joinedup.access.audit import audit_record
from joinedup.access.children import ChildAccess
from joinedup.access.policy import Action, allowed_purposes, role_allows
from joinedup.access.relationships import relationship_for
from joinedup.access.writes import Guard, Refused, audit_denied
from joinedup.governance.models import StaffUser
from joinedup.tac.errors import TacNotFound
from joinedup.tac.models import TacMember, TeamAroundChild

__all__ = [
    "TacAccess",
    "access_tac_by_id",
    "tac_denial",
    "tac_guard",
    "tac_may_work",
    "tacs_for_child",
]


@dataclass(frozen=True)
class TacAccess:
    """Proof that a viewer was allowed to open a team around the child."""

    viewer: StaffUser
    tac: TeamAroundChild
    purpose: str
    is_member: bool  # a current member by name (not only a colleague of one)
    is_lead: bool


def tac_may_work(viewer: StaffUser, purpose: str) -> bool:
    """The role test alone: may this viewer work in a team around the child at all?"""
    return (
        viewer.is_active
        and role_allows(viewer.role, Action.VIEW_CHILD)
        and role_allows(viewer.role, Action.WORK_IN_TAC)
        and purpose in allowed_purposes(viewer.role)
    )


def _beside_member(viewer: StaffUser, member: TacMember) -> bool:
    if member.worker_id is not None and member.worker_id == viewer.pk:
        return True
    involvement = member.involvement
    if involvement is not None and involvement.team_id is not None:
        return viewer.team_id is not None and involvement.team_id == viewer.team_id
    agency_id = involvement.agency_id if involvement is not None else member.agency_id
    return viewer.agency_id is not None and agency_id == viewer.agency_id


def tac_denial(viewer: StaffUser, tac: TeamAroundChild | None, purpose: str) -> str:
    """Why the viewer may not open this team ("" when they may). Not audited: callers audit."""
    if not tac_may_work(viewer, purpose):
        return "role_or_purpose"
    if tac is None:
        return "missing"
    if relationship_for(viewer, tac.child_id) is None:
        return "no_relationship"
    members = TacMember.objects.filter(tac=tac, left_on__isnull=True).select_related("involvement")
    if not any(_beside_member(viewer, m) for m in members):
        return "not_in_team"
    return ""


def _load(reference: str, *, lock: bool = False) -> TeamAroundChild | None:
    queryset = TeamAroundChild.objects.select_related(
        "child", "lead_professional", "lead_agency", "opened_by", "referral"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.filter(reference=reference[:20]).first()


def access_tac_by_id(viewer: StaffUser, reference: str, *, purpose: str) -> TacAccess:
    """Open one team around the child, or raise TacNotFound. Both outcomes are audited
    (`tac.view`)."""
    with transaction.atomic():
        tac = _load(reference)
        denial = tac_denial(viewer, tac, purpose)
        if not denial and tac is not None:
            audit_record(
                actor=viewer,
                action="tac.view",
                child_ref=tac.child.child_id,
                object_type="tac",
                object_ref=tac.reference,
                purpose=purpose,
            )
            is_member = TacMember.objects.filter(
                tac=tac, worker_id=viewer.pk, left_on__isnull=True
            ).exists()
            return TacAccess(
                viewer=viewer,
                tac=tac,
                purpose=purpose,
                is_member=is_member,
                is_lead=tac.lead_professional_id == viewer.pk,
            )
    audit_denied(
        actor=viewer,
        action="tac.view",
        reason=denial,
        object_type="tac",
        object_ref=reference,
        purpose=purpose,
    )
    raise TacNotFound()


def tac_guard(reference: str) -> Guard[TeamAroundChild]:
    """For `guarded_write`: the team (locked) when the actor may open it; a refusal answers
    TacNotFound, as for a team that does not exist."""

    def open_(actor: StaffUser, purpose: str) -> TeamAroundChild:
        tac = _load(reference, lock=True)
        denial = tac_denial(actor, tac, purpose)
        if denial or tac is None:
            raise Refused(denial or "missing")
        return tac

    return Guard(open_, TacNotFound, object_type="tac", object_ref=reference)


def tacs_for_child(*, access: ChildAccess) -> list[TeamAroundChild]:
    """The teams around this child that the viewer may open, newest first; audited
    (`tac.list`)."""
    viewer = access.viewer
    if not tac_may_work(viewer, access.purpose):
        return []
    tacs = list(
        TeamAroundChild.objects.filter(child=access.child).select_related(
            "lead_professional", "lead_agency"
        )
    )
    if not tacs:
        return []
    members = TacMember.objects.filter(tac__in=tacs, left_on__isnull=True).select_related(
        "involvement"
    )
    allowed = {m.tac_id for m in members if _beside_member(viewer, m)}
    visible = [t for t in tacs if t.pk in allowed]
    with transaction.atomic():
        audit_record(
            actor=viewer,
            action="tac.list",
            child_ref=access.child.child_id,
            object_type="tac",
            purpose=access.purpose,
            detail={"results": [t.reference for t in visible]},
        )
    return visible

"""Guarded, audited reads of referrals. The only way a referral is opened or listed.

Two sides may open a referral (docs/referrals.md, "Access: who sees what"):
- the sender: its maker, a member of the sending team, or (when it was sent from no team) a
  member of the sending agency — with a role that makes referrals;
- the receiving team: a member of the team it was sent to (or of the agency, when it was sent
  to no team) with a role that receives referrals, once it has been sent (never a draft).
Anyone else gets `ReferralNotFound`, exactly as for a referral that does not exist, and the
denial is audited. Opening a referral is not opening the child: the receiving team reads the
details the sender typed, not the child's chronology, until accepting it gives them an
involvement.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from joinedup.access.audit import audit_record
from joinedup.access.children import child_survivor, visible_children
from joinedup.access.policy import Action, allowed_purposes, role_allows
from joinedup.access.relationships import relationship_for
from joinedup.access.writes import Guard, Refused, audit_denied
from joinedup.governance.models import Agency, Role, StaffUser
from joinedup.people.models import Child
from joinedup.referrals.errors import ReferralNotAllowed, ReferralNotFound, TransitionRefused
from joinedup.referrals.models import Referral, ReferralStatus
from joinedup.referrals.rules import RECEIVER, SENDER, actions_for, refusal_message

__all__ = [
    "ReferralAccess",
    "access_referral_by_id",
    "referral_child_id_for",
    "referral_chosen_child",
    "referral_guard",
    "referral_maker_guard",
    "referral_index_child",
    "referral_list",
    "referral_received_q",
    "referral_sent_q",
    "referral_sides",
]

_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ReferralAccess:
    """Proof that a viewer was allowed to open a referral, and what they may do with it now."""

    viewer: StaffUser
    referral: Referral
    purpose: str
    side: str  # "sender" | "receiver"
    actions: frozenset[str]

    @property
    def is_sender(self) -> bool:
        return _is_sender(self.viewer, self.referral)

    @property
    def is_receiver(self) -> bool:
        return _is_receiver(self.viewer, self.referral)


def _may(viewer: StaffUser, action: Action) -> bool:
    return bool(viewer.is_active and viewer.agency_id and role_allows(viewer.role, action))


def referral_sent_q(viewer: StaffUser) -> Q:
    """Referrals this viewer sees as the sender (a filter for querysets of Referral)."""
    if not _may(viewer, Action.MAKE_REFERRALS):
        return _NOTHING
    scope = Q(created_by_id=viewer.pk) | Q(from_agency_id=viewer.agency_id, from_team__isnull=True)
    if viewer.team_id:
        scope |= Q(from_team_id=viewer.team_id)
    return scope


def referral_received_q(viewer: StaffUser) -> Q:
    """Referrals this viewer's team (or agency, for referrals to no team) has been sent. Drafts
    are the sender's alone. Served by the (to_team, status) and (to_agency, status) indexes."""
    if not _may(viewer, Action.RECEIVE_REFERRALS):
        return _NOTHING
    scope = Q(to_agency_id=viewer.agency_id, to_team__isnull=True)
    if viewer.team_id:
        scope |= Q(to_team_id=viewer.team_id)
    return scope & ~Q(status=ReferralStatus.DRAFT)


# The same two tests for one referral already in hand (kept beside the Q's they mirror; a test
# checks they agree).
def _is_sender(viewer: StaffUser, r: Referral) -> bool:
    if not _may(viewer, Action.MAKE_REFERRALS):
        return False
    return (
        r.created_by_id == viewer.pk
        or (r.from_team_id is None and r.from_agency_id == viewer.agency_id)
        or (viewer.team_id is not None and r.from_team_id == viewer.team_id)
    )


def _is_receiver(viewer: StaffUser, r: Referral) -> bool:
    if not _may(viewer, Action.RECEIVE_REFERRALS) or r.status == ReferralStatus.DRAFT:
        return False
    if r.to_team_id is None:
        return r.to_agency_id == viewer.agency_id
    return viewer.team_id is not None and r.to_team_id == viewer.team_id


def referral_sides(viewer: StaffUser, referral: Referral) -> tuple[bool, bool]:
    """(is the viewer on the sending side, on the receiving side)."""
    return _is_sender(viewer, referral), _is_receiver(viewer, referral)


def _access(viewer: StaffUser, referral: Referral, purpose: str) -> ReferralAccess | None:
    sender, receiver = referral_sides(viewer, referral)
    if not (sender or receiver):
        return None
    creator = referral.created_by_id == viewer.pk
    actions = actions_for(
        referral.status,
        sender=sender,
        receiver=receiver,
        creator=creator,
        alternative_taken_up=referral.alternative_taken_up_at is not None,
    )
    side = SENDER if sender and (creator or not receiver) else RECEIVER
    return ReferralAccess(viewer, referral, purpose, side, actions)


def _find(
    viewer: StaffUser, reference: str, purpose: str, *, lock: bool
) -> tuple[ReferralAccess | None, str]:
    if not viewer.is_active or purpose not in allowed_purposes(viewer.role):
        return None, "purpose" if viewer.is_active else "inactive"
    rows = Referral.objects.select_related("child", "from_agency", "to_agency", "to_team")
    if lock:
        rows = rows.select_for_update(of=("self",))
    referral = rows.filter(reference=reference).first()
    if referral is None:
        return None, "missing"
    access = _access(viewer, referral, purpose)
    return access, "" if access else "no_relationship"


def _child_ref(referral: Referral) -> str:
    return referral.child.child_id if referral.child is not None else ""


def access_referral_by_id(viewer: StaffUser, reference: str, *, purpose: str) -> ReferralAccess:
    """Open one referral, or raise ReferralNotFound. Allowed and denied reads are audited
    (`referrals.view`)."""
    with transaction.atomic():
        access, reason = _find(viewer, reference, purpose, lock=False)
        if access is not None:
            audit_record(
                actor=viewer,
                action="referrals.view",
                child_ref=_child_ref(access.referral),
                object_type="referral",
                object_ref=access.referral.reference,
                purpose=purpose,
                detail={"side": access.side, "status": access.referral.status},
            )
            return access
    audit_denied(
        actor=viewer,
        action="referrals.view",
        reason=reason,
        object_type="referral",
        object_ref=reference,
        purpose=purpose,
    )
    raise ReferralNotFound()


def referral_maker_guard() -> Guard[Agency]:
    """For `guarded_write`: a new referral, from the actor's agency (returned), when their role
    makes referrals under the purpose; else ReferralNotAllowed (403, not 404: no referral is
    involved, so nothing is revealed), audited."""

    def open_(actor: StaffUser, purpose: str) -> Agency:
        if not (_may(actor, Action.MAKE_REFERRALS) and actor.agency is not None):
            role = Role(actor.role).label if actor.role in Role.values else "none"
            advice = (
                " Raise the concern with your designated safeguarding lead, who can refer."
                if actor.role == Role.TEACHER
                else ""
            )
            message = f"Your role ({role}) does not make referrals.{advice}"
            raise Refused("role", error=ReferralNotAllowed(message))
        if purpose not in allowed_purposes(actor.role):
            message = f"Your role does not work under the purpose {purpose!r}."
            raise Refused("purpose", error=ReferralNotAllowed(message))
        return actor.agency

    return Guard(open_, ReferralNotFound, object_type="referral")


def referral_guard(reference: str, *, verb: str) -> Guard[ReferralAccess]:
    """For `guarded_write`: the referral (locked) when `verb` is one of the actor's actions on
    it now. A viewer with no side in it gets ReferralNotFound, as for a referral that does not
    exist; one whose side or the referral's status does not allow the verb, TransitionRefused
    saying why. Both are audited."""

    def open_(actor: StaffUser, purpose: str) -> ReferralAccess:
        access, reason = _find(actor, reference, purpose, lock=True)
        if access is None:
            raise Refused(reason)
        if verb not in access.actions:
            referral = access.referral
            refused = TransitionRefused(
                refusal_message(
                    referral.reference,
                    referral.status,
                    verb,
                    sender=access.is_sender,
                    receiver=access.is_receiver,
                    creator=referral.created_by_id == actor.pk,
                    alternative_taken_up=referral.alternative_taken_up_at is not None,
                )
            )
            raise Refused(str(refused)[:300], error=refused)
        return access

    return Guard(open_, ReferralNotFound, object_type="referral", object_ref=reference)


def referral_list(
    *,
    viewer: StaffUser,
    purpose: str,
    box: str,
    statuses: list[str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Referral]:
    """The viewer's sent or received referrals, newest first; audited (`referrals.list`)."""
    if box not in {"sent", "received"}:
        raise ValueError(f"box must be 'sent' or 'received', not {box!r}.")
    if purpose not in allowed_purposes(viewer.role):
        return []
    scope = referral_sent_q(viewer) if box == "sent" else referral_received_q(viewer)
    rows: QuerySet[Referral] = Referral.objects.filter(scope)
    if statuses:
        rows = rows.filter(status__in=statuses)
    rows = rows.select_related("from_agency", "from_team", "to_agency", "to_team", "child")
    with transaction.atomic():
        found = list(rows.order_by("-created_at", "-id")[offset : offset + max(0, limit)])
        audit_record(
            actor=viewer,
            action="referrals.list",
            object_type="referral",
            purpose=purpose,
            detail={
                "box": box,
                "statuses": statuses or [],
                "results": [r.reference for r in found],
            },
        )
    return found


def referral_child_id_for(access: ReferralAccess) -> str | None:
    """The referral's child id, when the viewer may open that child's record (else None: a
    match the sender or a receiving team cannot see is not revealed through the referral)."""
    child = access.referral.child
    if child is None or relationship_for(access.viewer, child.pk) is None:
        return None
    return child.child_id


def referral_chosen_child(viewer: StaffUser, child_id: str, *, purpose: str) -> Child | None:
    """The child a sender chose from the match: only a child they may see (else None)."""
    chosen = visible_children(viewer, purpose=purpose).filter(child_id=child_id).first()
    return child_survivor(chosen)


def referral_index_child(child_id: str) -> Child | None:
    """The person-index child the server-side match named, for linking a sent referral to it.

    A system look-up: the sender is shown nothing of this child (the referral keeps only the
    details they typed), and the receiving team reads the child's record only once accepting
    the referral gives them an involvement.
    """
    return child_survivor(Child.objects.filter(child_id=child_id).first())

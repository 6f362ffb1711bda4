"""Break-glass: an audited, time-limited relationship to one child, with a written reason."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from joinedup.access.children import child_survivor
from joinedup.access.errors import AccessRefused, ChildNotFound
from joinedup.access.policy import Action, allowed_purposes, role_allows
from joinedup.access.relationships import NOT_JUSTIFIED
from joinedup.access.writes import Guard, Refused, guarded_write
from joinedup.governance.models import BreakGlassAccess, StaffUser
from joinedup.people.models import Child

MIN_REASON_LENGTH = 20


def _grant_guard(child_id: str, reason: str) -> Guard[Child]:
    """The child to grant, when the actor's role may break the glass, under a purpose it works
    under, with a reason long enough; else AccessRefused saying why (audited)."""

    def open_(actor: StaffUser, purpose: str) -> Child:
        problem = ""
        if not role_allows(actor.role, Action.BREAK_GLASS):
            problem = "Your role cannot use break-glass access. Ask your safeguarding lead."
        elif purpose not in allowed_purposes(actor.role):
            problem = "Choose a purpose your role works under."
        elif len(reason) < MIN_REASON_LENGTH:
            problem = (
                f"Give the reason in at least {MIN_REASON_LENGTH} characters: what has happened "
                "and why you need to see this child's record now."
            )
        # An id merged into another child by a reviewed decision opens the surviving child.
        child = (
            None
            if problem
            else child_survivor(Child.objects.filter(child_id=child_id.strip().upper()).first())
        )
        if not problem and child is None:
            problem = "No child has that id. Check the id with the person who gave it to you."
        if problem or child is None:
            raise Refused(
                "",
                error=AccessRefused(problem),
                detail={"reason_given": reason[:2000], "refused_because": problem},
            )
        return child

    return Guard(open_, ChildNotFound, child_ref=child_id)


def break_glass_grant(
    *, actor: StaffUser, child_id: str, reason: str, purpose: str
) -> BreakGlassAccess:
    """Grant `actor` a relationship with the child for BREAK_GLASS_HOURS, for later review."""
    reason = reason.strip()
    guard = _grant_guard(child_id, reason)
    with guarded_write(guard, actor=actor, action="break_glass.grant", purpose=purpose) as write:
        child = write.target
        now = timezone.now()
        grant = BreakGlassAccess(
            staff=actor,
            child=child,
            purpose=purpose,
            reason=reason,
            granted_at=now,
            expires_at=now + timedelta(hours=settings.BREAK_GLASS_HOURS),
        )
        grant.full_clean()
        grant.save()
        write.audit(
            child_ref=child.child_id,
            object_type="break_glass",
            object_ref=str(grant.pk),
            detail={"reason": reason, "expires_at": grant.expires_at.isoformat()},
        )
    return grant


REVIEW_OUTCOMES = {
    "justified": "Justified",
    "not_justified": f"{NOT_JUSTIFIED}: referred to the staff member's manager",
}


def _review_guard(grant_id: int, outcome: str, note: str) -> Guard[BreakGlassAccess]:
    """The grant (locked) awaiting review, when the actor's role reviews emergency access, the
    review says what it found, and the grant is not their own; else AccessRefused saying why.
    A refused role is audited."""

    def open_(actor: StaffUser, purpose: str) -> BreakGlassAccess:
        if not role_allows(actor.role, Action.REVIEW_BREAK_GLASS):
            raise Refused("role", error=AccessRefused("Your role cannot review emergency access."))
        if outcome not in REVIEW_OUTCOMES:
            raise AccessRefused("Choose whether the access was justified.")
        if outcome == "not_justified" and not note:
            raise AccessRefused("Say why the access was not justified.")
        grant = (
            BreakGlassAccess.objects.select_for_update()
            .select_related("child")
            .filter(pk=grant_id, reviewed_at__isnull=True)
            .first()
        )
        if grant is None:
            raise AccessRefused("That emergency access does not exist or is already reviewed.")
        if grant.staff_id == actor.pk:
            raise AccessRefused("You cannot review your own emergency access.")
        return grant

    return Guard(open_, ChildNotFound, object_type="break_glass", object_ref=str(grant_id))


def break_glass_review(
    *, actor: StaffUser, grant_id: int, outcome: str, note: str = ""
) -> BreakGlassAccess:
    """Information governance records whether an emergency access was justified. A grant found
    not justified opens nothing more, even before it expires (`relationships.NOT_JUSTIFIED`)."""
    note = note.strip()
    guard = _review_guard(grant_id, outcome, note)
    with guarded_write(guard, actor=actor, action="break_glass.review", purpose="") as write:
        grant = write.target
        grant.reviewed_by = actor
        grant.reviewed_at = timezone.now()
        grant.review_outcome = REVIEW_OUTCOMES[outcome] + (f" — {note}" if note else "")
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_outcome"])
        write.audit(
            child_ref=grant.child.child_id,
            object_type="break_glass",
            object_ref=str(grant.pk),
            detail={"outcome": outcome, "note": note[:2000], "staff": grant.staff_id},
        )
    return grant

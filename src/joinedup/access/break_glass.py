"""Break-glass: an audited, time-limited relationship to one child, with a written reason."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.access.children import child_survivor
from joinedup.access.errors import AccessRefused
from joinedup.access.policy import Action, allowed_purposes, role_allows
from joinedup.governance.models import AuditOutcome, BreakGlassAccess, StaffUser
from joinedup.people.models import Child

MIN_REASON_LENGTH = 20


def break_glass_grant(
    *, actor: StaffUser, child_id: str, reason: str, purpose: str
) -> BreakGlassAccess:
    """Grant `actor` a relationship with the child for BREAK_GLASS_HOURS, for later review."""
    reason = reason.strip()
    problem = ""
    if not role_allows(actor.role, Action.BREAK_GLASS):
        problem = "Your role cannot use break-glass access. Ask your safeguarding lead."
    elif purpose not in allowed_purposes(actor.role):
        problem = "Choose a purpose your role works under."
    elif len(reason) < MIN_REASON_LENGTH:
        problem = (
            f"Give the reason in at least {MIN_REASON_LENGTH} characters: what has happened and "
            "why you need to see this child's record now."
        )
    # An id merged into another child by a reviewed decision opens the surviving child.
    child = (
        child_survivor(Child.objects.filter(child_id=child_id.strip().upper()).first())
        if not problem
        else None
    )
    if not problem and child is None:
        problem = "No child has that id. Check the id with the person who gave it to you."
    if problem or child is None:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="break_glass.grant",
                outcome=AuditOutcome.DENIED,
                child_ref=child_id[:20],
                purpose=purpose[:20],
                detail={"reason_given": reason[:2000], "refused_because": problem},
            )
        raise AccessRefused(problem)
    with transaction.atomic():
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
        audit_record(
            actor=actor,
            action="break_glass.grant",
            child_ref=child.child_id,
            object_type="break_glass",
            object_ref=str(grant.pk),
            purpose=purpose,
            detail={"reason": reason, "expires_at": grant.expires_at.isoformat()},
        )
    return grant


REVIEW_OUTCOMES = {
    "justified": "Justified",
    "not_justified": "Not justified: referred to the staff member's manager",
}


def break_glass_review(
    *, actor: StaffUser, grant_id: int, outcome: str, note: str = ""
) -> BreakGlassAccess:
    """Information governance records whether an emergency access was justified."""
    if not role_allows(actor.role, Action.REVIEW_BREAK_GLASS):
        raise AccessRefused("Your role cannot review emergency access.")
    if outcome not in REVIEW_OUTCOMES:
        raise AccessRefused("Choose whether the access was justified.")
    note = note.strip()
    if outcome == "not_justified" and not note:
        raise AccessRefused("Say why the access was not justified.")
    with transaction.atomic():
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
        grant.reviewed_by = actor
        grant.reviewed_at = timezone.now()
        grant.review_outcome = REVIEW_OUTCOMES[outcome] + (f" — {note}" if note else "")
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_outcome"])
        audit_record(
            actor=actor,
            action="break_glass.review",
            child_ref=grant.child.child_id,
            object_type="break_glass",
            object_ref=str(grant.pk),
            detail={"outcome": outcome, "note": note[:2000], "staff": grant.staff_id},
        )
    return grant

"""Break-glass: an audited, time-limited relationship to one child, with a written reason."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from joinedup.access.audit import audit_record
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
    child = Child.objects.filter(child_id=child_id.strip().upper()).first() if not problem else None
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

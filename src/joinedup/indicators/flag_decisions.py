"""Recording a person's decision about a child's open flags (no action, monitor, offer support,
refer), with a required reason. The check, the write and the audit entry are one transaction.

Nothing is referred automatically: "refer" records that the person decided to make a referral,
which they then make through their agency's usual route.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.access.audit import audit_record
from joinedup.access.children import access_child_by_id
from joinedup.access.errors import AccessRefused
from joinedup.access.flags import (
    DecidableFlags,
    access_unknown_child_flags,
    decidable_flags_by_relationship,
)
from joinedup.access.policy import Action, role_allows
from joinedup.governance.models import AuditOutcome, StaffUser
from joinedup.indicators.models import DecisionKind, FlagDecision

REASON_MAX_LENGTH = 2000


def _validate(decision: str, reason: str) -> str:
    errors: dict[str, str] = {}
    if decision not in DecisionKind.values:
        errors["decision"] = (
            f"Choose no action, monitor, offer support or refer (not {decision[:40]!r})."
        )
    reason = reason.strip()
    if not reason:
        errors["reason"] = "Enter the reason for your decision."
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = f"The reason must be {REASON_MAX_LENGTH} characters or fewer."
    if errors:
        raise ValidationError(errors)
    return reason


def _record(
    *, actor: StaffUser, target: DecidableFlags, decision: str, reason: str
) -> FlagDecision:
    if not target.flags:
        raise AccessRefused("This child has no open flags you can see to decide on.")
    if actor.agency_id is None:
        raise AccessRefused("Only staff of an agency can record a decision.")
    with transaction.atomic():
        record = FlagDecision(
            child=target.child,
            decision=decision,
            reason=reason,
            decided_by=actor,
            agency_id=actor.agency_id,
        )
        record.full_clean()
        record.save()
        record.flags.set(target.flags)
        audit_record(
            actor=actor,
            action="flags.decide",
            child_ref=target.child.child_id,
            object_type="flag_decision",
            object_ref=str(record.pk),
            purpose=target.purpose,
            detail={
                "decision": decision,
                "flags": sorted(f.pk for f in target.flags),
                "route": target.route,
            },
        )
    return record


def flag_decision_record(
    *, actor: StaffUser, child_id: str, decision: str, reason: str, purpose: str
) -> FlagDecision:
    """A decision by someone with a relationship to the child (their worklist or the child's
    record), covering every open flag of the child they can see.

    Raises ChildNotFound (404) without a relationship, AccessRefused when the role may not
    decide, ValidationError for a missing reason or an unknown decision."""
    access = access_child_by_id(actor, child_id, purpose=purpose)
    if not role_allows(actor.role, Action.DECIDE_FLAGS):
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="flags.decide",
                outcome=AuditOutcome.DENIED,
                child_ref=access.child.child_id,
                object_type="child",
                object_ref=access.child.child_id,
                purpose=purpose,
                detail={"route": "relationship", "reason": "role"},
            )
        raise AccessRefused(
            "Your role cannot record decisions on flags; ask your safeguarding lead."
        )
    reason = _validate(decision, reason)
    target = decidable_flags_by_relationship(actor, access)
    return _record(actor=actor, target=target, decision=decision, reason=reason)


def flag_triage_decision_record(
    *, actor: StaffUser, child_id: str, decision: str, reason: str, purpose: str
) -> FlagDecision:
    """A front-door decision on a child from the "unknown to services" list, covering the
    flags that list shows. Needs TRIAGE_UNKNOWN; opens no record (ADR 0009)."""
    target = access_unknown_child_flags(actor, child_id, purpose=purpose)
    reason = _validate(decision, reason)
    return _record(actor=actor, target=target, decision=decision, reason=reason)

"""Recording a person's decision about a child's open flags (no action, monitor, offer support,
refer), with a required reason. The check, the write and the audit entry are one
`guarded_write`.

Nothing is referred automatically: "refer" records that the person decided to make a referral,
which they then make through their agency's usual route.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from joinedup.access.children import child_guard
from joinedup.access.errors import AccessRefused
from joinedup.access.flags import (
    DecidableFlags,
    decidable_flags_by_relationship,
    unknown_child_flags_guard,
)
from joinedup.access.policy import Action, role_allows
from joinedup.access.writes import GuardedWrite, guarded_write
from joinedup.governance.models import StaffUser
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
    write: GuardedWrite[Any], *, target: DecidableFlags, decision: str, reason: str
) -> FlagDecision:
    actor = write.actor
    if not target.flags:
        raise AccessRefused("This child has no open flags you can see to decide on.")
    if actor.agency_id is None:
        raise AccessRefused("Only staff of an agency can record a decision.")
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
    write.audit(
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
    guard = child_guard(
        child_id,
        may=lambda a, _: role_allows(a.role, Action.DECIDE_FLAGS),
        refused=lambda: AccessRefused(
            "Your role cannot record decisions on flags; ask your safeguarding lead."
        ),
        detail={"route": "relationship"},
    )
    with guarded_write(guard, actor=actor, action="flags.decide", purpose=purpose) as write:
        reason = _validate(decision, reason)
        target = decidable_flags_by_relationship(actor, write.target)
        return _record(write, target=target, decision=decision, reason=reason)


def flag_triage_decision_record(
    *, actor: StaffUser, child_id: str, decision: str, reason: str, purpose: str
) -> FlagDecision:
    """A front-door decision on a child from the "unknown to services" list, covering the
    flags that list shows. Needs TRIAGE_UNKNOWN; opens no record (ADR 0009)."""
    guard = unknown_child_flags_guard(child_id)
    with guarded_write(guard, actor=actor, action="flags.decide", purpose=purpose) as write:
        reason = _validate(decision, reason)
        return _record(write, target=write.target, decision=decision, reason=reason)

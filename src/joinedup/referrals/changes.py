"""The one way a referral changes: a `guarded_write` that opens and locks the referral through
the access layer (`referral_guard`: the verb must be one of the viewer's actions now), makes
the change, and records the transition and the audit entry, all in one transaction. A denial
(404) or a refused transition is audited after the rollback, so it is kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from joinedup.access.referrals import ReferralAccess, referral_guard
from joinedup.access.writes import GuardedWrite, guarded_write
from joinedup.governance.models import AuditEvent, StaffUser
from joinedup.referrals.models import Referral, ReferralTransition

ReferralWrite = GuardedWrite[ReferralAccess]


def transition_record(
    referral: Referral, actor: StaffUser, from_status: str, note: str = ""
) -> ReferralTransition:
    row = ReferralTransition(
        referral=referral,
        from_status=from_status,
        to_status=referral.status,
        actor=actor,
        at=timezone.now(),
        note=note,
    )
    row.full_clean()
    row.save()
    return row


def referral_audit(write: GuardedWrite[Any], referral: Referral, **detail: Any) -> AuditEvent:
    """The change's audit entry (the write's action, `referrals.<verb>`)."""
    return write.audit(
        child_ref=referral.child.child_id if referral.child is not None else "",
        object_type="referral",
        object_ref=referral.reference,
        detail={"status": referral.status, **detail},
    )


def referral_save(referral: Referral) -> None:
    referral.updated_at = timezone.now()
    referral.full_clean()
    referral.save()


def referral_change(
    *,
    actor: StaffUser,
    purpose: str,
    reference: str,
    verb: str,
    work: Callable[[ReferralWrite], None],
) -> Referral:
    """Run `work` on the referral if `verb` is one of the viewer's actions now; else
    TransitionRefused (saying why) or ReferralNotFound (no relationship at all)."""
    action = "referrals.update" if verb == "edit" else f"referrals.{verb}"
    with guarded_write(
        referral_guard(reference, verb=verb), actor=actor, action=action, purpose=purpose
    ) as write:
        work(write)
    return write.target.referral

"""The one way a referral changes: open and lock it through the access layer, check the verb
against what the viewer may do now, make the change, and record the transition and the audit
entry, all in one transaction. A denial (404) or a refused transition is audited after the
rollback, so it is kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.access.referrals import (
    ReferralAccess,
    access_referral_for_change,
    referral_change_denied,
)
from joinedup.governance.models import AuditEvent, StaffUser
from joinedup.referrals.errors import ReferralNotFound, TransitionRefused
from joinedup.referrals.models import Referral, ReferralTransition
from joinedup.referrals.rules import refusal_message


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


def referral_audit(
    referral: Referral, actor: StaffUser, verb: str, purpose: str, **detail: Any
) -> AuditEvent:
    return audit_record(
        actor=actor,
        action=f"referrals.{verb}",
        child_ref=referral.child.child_id if referral.child is not None else "",
        object_type="referral",
        object_ref=referral.reference,
        purpose=purpose,
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
    work: Callable[[ReferralAccess], None],
) -> Referral:
    """Run `work` on the referral if `verb` is one of the viewer's actions now; else
    TransitionRefused (saying why) or ReferralNotFound (no relationship at all)."""
    try:
        with transaction.atomic():
            access = access_referral_for_change(actor, reference, purpose=purpose, verb=verb)
            if verb not in access.actions:
                referral = access.referral
                raise TransitionRefused(
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
            work(access)
            return access.referral
    except (ReferralNotFound, TransitionRefused) as exc:
        audited = "update" if verb == "edit" else verb  # referral_update's audit action
        referral_change_denied(actor, reference, purpose=purpose, verb=audited, exc=exc)
        raise

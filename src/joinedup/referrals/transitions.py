"""The receiving team's answers to a sent referral, and how a referral ends.

Acknowledge (sent -> acknowledged), accept or decline (sent or acknowledged; straight from sent
records the acknowledgement too), close (accepted, by the receiving team; declined, by the
sender), and the sender's record that a declined referral's alternative was taken up. Accepting
creates the involvement that is the receiving team's legitimate relationship with the child;
declining does not. Closing an accepted referral ends that involvement.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.directory.models import Service
from joinedup.governance.models import StaffUser
from joinedup.notifications.links import referral_link
from joinedup.notifications.services import notification_send
from joinedup.people.models import Involvement
from joinedup.referrals.changes import (
    ReferralWrite,
    referral_audit,
    referral_change,
    referral_save,
    transition_record,
)
from joinedup.referrals.models import Referral, ReferralOutcome, ReferralStatus

__all__ = [
    "referral_accept",
    "referral_acknowledge",
    "referral_alternative_taken_up",
    "referral_close",
    "referral_decline",
]


def _acknowledged(referral: Referral, actor: StaffUser) -> None:
    if referral.acknowledged_at is None:
        referral.acknowledged_at = timezone.now()
        referral.acknowledged_by = actor


def _tell_sender(referral: Referral, verb: str, subject: str) -> None:
    notification_send(
        recipient=referral.created_by,
        kind=f"referrals.{verb}",
        subject=subject,
        body=f"Referral {referral.reference} has been {verb}ed by the receiving team."
        if verb != "decline"
        else f"Referral {referral.reference} has been declined; see the suggested alternative.",
        link=referral_link(referral.reference),
        dedupe_key=f"referrals.{verb}:{referral.reference}",
    )


def referral_acknowledge(
    *, actor: StaffUser, purpose: str, reference: str, note: str = ""
) -> Referral:
    """The receiving team has seen the referral (sent -> acknowledged)."""

    def work(write: ReferralWrite) -> None:
        referral = write.target.referral
        _acknowledged(referral, actor)
        referral.status = ReferralStatus.ACKNOWLEDGED
        referral_save(referral)
        transition_record(referral, actor, ReferralStatus.SENT, note.strip())
        referral_audit(write, referral)

    return referral_change(
        actor=actor, purpose=purpose, reference=reference, verb="acknowledge", work=work
    )


def _worker(referral: Referral, worker_id: int | None) -> StaffUser | None:
    if worker_id is None:
        return None
    worker = StaffUser.objects.filter(pk=worker_id, is_active=True).first()
    in_scope = worker is not None and worker.agency_id == referral.to_agency_id
    if in_scope and referral.to_team_id is not None:
        in_scope = worker is not None and worker.team_id == referral.to_team_id
    if not in_scope:
        where = referral.to_team.name if referral.to_team else referral.to_agency.name
        raise ValidationError({"worker_id": f"Choose a worker from {where}."})
    return worker


def referral_accept(
    *,
    actor: StaffUser,
    purpose: str,
    reference: str,
    note: str = "",
    worker_id: int | None = None,
) -> Referral:
    """Accept the referral: the receiving team (and the allocated worker, if named) now has an
    involvement with the child — the legitimate relationship to open their record."""

    def work(write: ReferralWrite) -> None:
        referral = write.target.referral
        assert referral.child is not None  # a sent referral always has its child
        worker = _worker(referral, worker_id)
        from_status = referral.status
        _acknowledged(referral, actor)
        involvement = Involvement(
            child=referral.child,
            agency=referral.to_agency,
            team=referral.to_team,
            worker=worker,
            description=f"Accepted referral {referral.reference}",
            started_on=timezone.localdate(),
            level=referral.level,
        )
        involvement.full_clean()
        involvement.save()
        referral.involvement = involvement
        referral.status = ReferralStatus.ACCEPTED
        referral.decided_at = timezone.now()
        referral.decided_by = actor
        referral_save(referral)
        transition_record(referral, actor, from_status, note.strip())
        referral_audit(write, referral, involvement=involvement.pk, worker=worker_id)
        _tell_sender(referral, "accept", f"Referral {referral.reference} accepted")

    return referral_change(
        actor=actor, purpose=purpose, reference=reference, verb="accept", work=work
    )


def referral_decline(
    *,
    actor: StaffUser,
    purpose: str,
    reference: str,
    reason: str,
    alternative: str,
    alternative_service_id: int | None = None,
) -> Referral:
    """Decline the referral, saying why and what the family should be offered instead. No
    involvement is created: the receiving team gains no access to the child."""

    def work(write: ReferralWrite) -> None:
        referral = write.target.referral
        errors = {}
        if not (reason or "").strip():
            errors["reason"] = "Say why you are declining the referral."
        if not (alternative or "").strip():
            errors["alternative"] = (
                "Suggest an alternative: another service, or what the family could do instead."
            )
        service = None
        if alternative_service_id is not None:
            service = Service.objects.filter(pk=alternative_service_id).first()
            if service is None:
                errors["alternative_service_id"] = (
                    f"No service {alternative_service_id} in the directory."
                )
        if errors:
            raise ValidationError(errors)
        from_status = referral.status
        _acknowledged(referral, actor)
        referral.status = ReferralStatus.DECLINED
        referral.decided_at = timezone.now()
        referral.decided_by = actor
        referral.decline_reason = reason.strip()
        referral.alternative = alternative.strip()
        referral.alternative_service = service
        referral_save(referral)
        transition_record(referral, actor, from_status, reason.strip())
        referral_audit(write, referral, alternative_service=service and service.pk)
        _tell_sender(referral, "decline", f"Referral {referral.reference} declined")

    return referral_change(
        actor=actor, purpose=purpose, reference=reference, verb="decline", work=work
    )


def referral_alternative_taken_up(
    *, actor: StaffUser, purpose: str, reference: str, note: str
) -> Referral:
    """The sender records that the family took up the suggested alternative (or that a new
    referral was made), so the declined referral stops needing someone to grip it."""

    def work(write: ReferralWrite) -> None:
        referral = write.target.referral
        if not (note or "").strip():
            raise ValidationError({"note": "Say what was taken up (or what was done instead)."})
        referral.alternative_taken_up_at = timezone.now()
        referral.alternative_note = note.strip()
        referral_save(referral)
        transition_record(referral, actor, referral.status, f"Alternative taken up: {note.strip()}")
        referral_audit(write, referral)

    return referral_change(
        actor=actor, purpose=purpose, reference=reference, verb="alternative_taken_up", work=work
    )


def referral_close(
    *, actor: StaffUser, purpose: str, reference: str, outcome: str, note: str
) -> Referral:
    """Close the referral with its outcome: an accepted one by the receiving team (its
    involvement ends today), a declined one by the sender."""

    def work(write: ReferralWrite) -> None:
        referral = write.target.referral
        errors = {}
        if outcome not in ReferralOutcome.values:
            choices = ", ".join(ReferralOutcome.values)
            errors["outcome"] = f"Choose an outcome ({choices}), not {outcome!r}."
        if not (note or "").strip():
            errors["note"] = "Say briefly what happened."
        if errors:
            raise ValidationError(errors)
        from_status = referral.status
        referral.status = ReferralStatus.CLOSED
        referral.closed_at = timezone.now()
        referral.closed_by = actor
        referral.outcome = outcome
        referral.outcome_note = note.strip()
        if referral.involvement is not None and referral.involvement.ended_on is None:
            referral.involvement.ended_on = timezone.localdate()
            referral.involvement.full_clean()
            referral.involvement.save(update_fields=["ended_on"])
        referral_save(referral)
        transition_record(referral, actor, from_status, note.strip())
        referral_audit(write, referral, outcome=outcome)

    return referral_change(
        actor=actor, purpose=purpose, reference=reference, verb="close", work=work
    )

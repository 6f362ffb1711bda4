"""Making and sending referrals. Every write checks the actor, changes the referral, records a
`ReferralTransition` and an audit entry (`referrals.<verb>`) in one transaction.

The receiving side's verbs (acknowledge, accept, decline, close) and the sender's record of a
declined referral's alternative live in `referrals.transitions`; both are exported here.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.access.policy import Action, role_allows
from joinedup.access.referrals import referral_chosen_child, referral_maker_guard
from joinedup.access.writes import guarded_write
from joinedup.dates import govuk_date
from joinedup.governance.models import Role, StaffUser
from joinedup.governance.working_days import add_working_days
from joinedup.needs.selectors import area_vocabulary
from joinedup.notifications.links import referral_link
from joinedup.notifications.services import notifications_send
from joinedup.people.models import CHILD_ID_ALPHABET
from joinedup.referrals.changes import (
    ReferralWrite,
    referral_audit,
    referral_change,
    referral_save,
    transition_record,
)
from joinedup.referrals.models import Referral, ReferralOutcome, ReferralStatus
from joinedup.referrals.person_index import child_for_send, referral_event
from joinedup.referrals.routing import attachments_for, route
from joinedup.referrals.rules import ALLOWED
from joinedup.referrals.transitions import (
    referral_accept,
    referral_acknowledge,
    referral_alternative_taken_up,
    referral_close,
    referral_decline,
)
from joinedup.referrals.validation import clean_content, clean_details, missing_for_send

__all__ = [
    "ALLOWED",
    "referral_accept",
    "referral_acknowledge",
    "referral_alternative_taken_up",
    "referral_close",
    "referral_create",
    "referral_decline",
    "referral_send",
    "referral_update",
]

CONTENT_FIELDS = (
    "level",
    "sender_term",
    "needs",
    "reason",
    "what_tried",
    "child_views",
    "family_views",
    "consent",
    "sharing_basis",
    "sharing_reason",
)
UPDATABLE = {*CONTENT_FIELDS, "details", "child_id", "to_agency_id", "to_team_id"}
UPDATABLE |= {"to_service_id", "attachment_refs"}


def new_reference() -> str:
    return "R-" + "".join(secrets.choice(CHILD_ID_ALPHABET) for _ in range(8))


def _unique_reference() -> str:
    for _ in range(10):
        reference = new_reference()
        if not Referral.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not issue a unique referral reference.")  # pragma: no cover


def _apply(
    referral: Referral, actor: StaffUser, purpose: str, fields: dict[str, Any]
) -> tuple[dict[str, str], list[Any] | None]:
    """Check and copy `fields` onto the draft; (errors, attachments to set or None)."""
    errors: dict[str, str] = {}
    unknown = sorted(set(fields) - UPDATABLE)
    if unknown:
        raise TypeError(f"Unknown referral field(s): {', '.join(unknown)}")
    if "details" in fields:
        details = fields["details"] or {}
        if not isinstance(details, dict):
            errors["details"] = "Give the child's details as field: value pairs."
        else:
            for name, value in clean_details(details, errors).items():
                setattr(referral, name, value)
    content, content_errors = clean_content(
        {k: fields[k] for k in CONTENT_FIELDS if k in fields},
        from_agency_code=referral.from_agency.code,
        from_agency_type=referral.from_agency.agency_type,
    )
    errors.update(content_errors)
    for name, value in content.items():
        setattr(referral, name, value)
    if "child_id" in fields:
        child_id = (fields["child_id"] or "").strip()
        if not child_id:
            referral.child = None
        else:
            chosen = referral_chosen_child(actor, child_id, purpose=purpose)
            if chosen is None:
                # Forbidden and missing read the same: choose from the match you were shown.
                errors["child_id"] = "Choose a child from the match you were shown."
            else:
                referral.child = chosen
    if {"to_agency_id", "to_team_id", "to_service_id"} & set(fields):
        route(referral, actor, fields, errors)
    attachments = None
    if "attachment_refs" in fields:
        attachments = attachments_for(referral, actor, fields["attachment_refs"] or (), errors)
    return errors, attachments


def referral_create(
    *,
    actor: StaffUser,
    purpose: str,
    details: dict[str, Any],
    child_id: str = "",
    to_agency_id: int | None = None,
    to_team_id: int | None = None,
    to_service_id: int | None = None,
    level: int | None = None,
    sender_term: str = "",
    needs: Sequence[str] = (),
    reason: str = "",
    what_tried: str = "",
    child_views: str = "",
    family_views: str = "",
    consent: str = "",
    sharing_basis: str = "",
    sharing_reason: str = "",
    attachment_refs: Sequence[str] = (),
) -> Referral:
    """A draft referral from the actor's agency (and team). Gaps are allowed; what is given
    must be valid (ValidationError naming each field)."""
    fields: dict[str, Any] = {
        "details": details,
        "child_id": child_id,
        "to_agency_id": to_agency_id,
        "to_team_id": to_team_id,
        "to_service_id": to_service_id,
        "level": level,
        "sender_term": sender_term,
        "needs": list(needs),
        "reason": reason,
        "what_tried": what_tried,
        "child_views": child_views,
        "family_views": family_views,
        "consent": consent,
        "sharing_basis": sharing_basis,
        "sharing_reason": sharing_reason,
        "attachment_refs": list(attachment_refs),
    }
    with guarded_write(
        referral_maker_guard(), actor=actor, action="referrals.create", purpose=purpose
    ) as write:
        referral = Referral(
            reference=_unique_reference(),
            from_agency=write.target,
            from_team=actor.team,
            created_by=actor,
        )
        errors, attachments = _apply(referral, actor, purpose, fields)
        if errors:
            raise ValidationError(errors)
        referral_save(referral)
        if attachments:
            referral.attachments.set(attachments)
        transition_record(referral, actor, "")
        referral_audit(write, referral)
    return referral


def referral_update(*, actor: StaffUser, purpose: str, reference: str, **changes: Any) -> Referral:
    """Change a draft (the sender only). Only the fields given change."""

    def work(write: ReferralWrite) -> None:
        referral = write.target.referral
        errors, attachments = _apply(referral, actor, purpose, changes)
        if errors:
            raise ValidationError(errors)
        referral_save(referral)
        if attachments is not None:
            referral.attachments.set(attachments)
        referral_audit(write, referral, fields=sorted(changes))

    return referral_change(
        actor=actor, purpose=purpose, reference=reference, verb="edit", work=work
    )


def _year_before(moment: datetime) -> datetime:
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - 1, day=28)


def re_referral_of(referral: Referral) -> Referral | None:
    """The same child's latest referral to the same agency closed with no further action in the
    previous 12 months: this referral is a re-referral of it."""
    assert referral.child_id is not None and referral.sent_at is not None
    return (
        Referral.objects.filter(
            child_id=referral.child_id,
            to_agency_id=referral.to_agency_id,
            status=ReferralStatus.CLOSED,
            outcome=ReferralOutcome.NO_FURTHER_ACTION,
            closed_at__gte=_year_before(timezone.localtime(referral.sent_at)),
            closed_at__lte=referral.sent_at,
        )
        .exclude(pk=referral.pk)
        .order_by("-closed_at", "-pk")
        .first()
    )


def receiving_staff(referral: Referral) -> list[StaffUser]:
    """Who is told of a new referral: the receiving team's members who receive referrals (the
    whole agency's, when it was sent to no team)."""
    roles = [r for r in Role.values if role_allows(r, Action.RECEIVE_REFERRALS)]
    staff = StaffUser.objects.filter(
        is_active=True, role__in=roles, agency_id=referral.to_agency_id
    )
    if referral.to_team_id is not None:
        staff = staff.filter(team_id=referral.to_team_id)
    return list(staff)


def referral_send(*, actor: StaffUser, purpose: str, reference: str) -> Referral:
    """Send a complete draft: every missing field is named at once (ValidationError). Sets the
    acknowledgement deadline, finds the child (module `person_index`), marks a re-referral,
    writes the chronology event and tells the receiving team."""

    def work(write: ReferralWrite) -> None:
        referral = write.target.referral
        missing = missing_for_send(referral)
        if missing:
            raise ValidationError(missing)
        child, how = child_for_send(referral, actor=actor, purpose=purpose)
        now = timezone.now()
        referral.child = child
        referral.status = ReferralStatus.SENT
        referral.sent_at = now
        days = area_vocabulary().acknowledge_working_days(referral.to_agency.agency_type)
        referral.acknowledge_by = add_working_days(timezone.localdate(now), days)
        referral.re_referral_of = re_referral_of(referral)
        referral_save(referral)
        transition_record(referral, actor, ReferralStatus.DRAFT)
        referral_event(referral, child)
        referral_audit(
            write,
            referral,
            child=how,
            acknowledge_by=referral.acknowledge_by,
            re_referral_of=referral.re_referral_of.reference if referral.re_referral_of else "",
        )
        notifications_send(
            recipients=receiving_staff(referral),
            kind="referrals.sent",
            subject=f"New referral {referral.reference}: acknowledge by "
            f"{govuk_date(referral.acknowledge_by)}",
            body=f"Referral {referral.reference} has been sent to your team.",
            link=referral_link(referral.reference),
            dedupe_key=f"referrals.sent:{referral.reference}",
        )

    return referral_change(
        actor=actor, purpose=purpose, reference=reference, verb="send", work=work
    )

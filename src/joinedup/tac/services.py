"""Writes to a team around the child: open, step up/down, close (and, re-exported, the rest).

Each service checks, changes and audits (`tac.<verb>`) in one `guarded_write` (the team
opened by `joinedup.access.tac.tac_guard`, a new team's child by `child_guard`); bad input
raises ValidationError naming every problem at once. Meetings and the action plan are in
`joinedup.tac.meetings`, members and the lead professional in `joinedup.tac.members`; all are
re-exported here, the one place pages and the API import.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.access.children import child_guard
from joinedup.access.tac import tac_guard, tac_may_work
from joinedup.access.writes import guarded_write
from joinedup.dates import govuk_date
from joinedup.governance.models import AgencyType, StaffUser
from joinedup.needs.selectors import area_vocabulary
from joinedup.needs.vocabulary import LEVELS
from joinedup.people.models import Child, Involvement  # Child: type only
from joinedup.referrals.models import Referral, ReferralStatus
from joinedup.tac.meetings import tac_action_update, tac_meeting_record
from joinedup.tac.members import (
    end_involvement,
    join_team,
    notify,
    set_lead,
    tac_lead_set,
    tac_member_add,
    tac_member_remove,
    worker_problem,
)
from joinedup.tac.models import ActionStatus, LevelChange, TacMember, TeamAroundChild
from joinedup.tac.rules import new_tac_reference, refuse_if_closed, tac_audit

__all__ = [
    "tac_action_update",
    "tac_close",
    "tac_lead_set",
    "tac_level_change",
    "tac_meeting_record",
    "tac_member_add",
    "tac_member_remove",
    "tac_open",
]


def _level_problem(level: Any) -> str:
    if level in LEVELS and not isinstance(level, bool):
        return ""
    labels = ", ".join(f"{lv.level} ({lv.label.lower()})" for lv in area_vocabulary().levels)
    return f"Choose a level of need: {labels}."


def _referral_for(child: Child, reference: str) -> Referral:
    """A sent referral about this child, by reference, or a ValidationError."""
    referral = (
        Referral.objects.filter(reference=reference.strip().upper(), child=child)
        .exclude(status=ReferralStatus.DRAFT)
        .first()
    )
    if referral is None:
        raise ValidationError(
            {"referral_reference": f"{reference} is not a sent referral about this child."}
        )
    return referral


def tac_open(
    *,
    actor: StaffUser,
    purpose: str,
    child_id: str,
    level: int,
    lead_professional_id: int | None = None,
    referral_reference: str = "",
) -> TeamAroundChild:
    """Open a team around a child the actor works with; the actor becomes its first member."""
    guard = child_guard(child_id, may=lambda a, p: tac_may_work(a, p) and a.agency is not None)
    with guarded_write(guard, actor=actor, action="tac.open", purpose=purpose) as write:
        child = write.target.child
        assert actor.agency is not None  # the guard refuses staff of no agency
        errors: dict[str, str] = {}
        if problem := _level_problem(level):
            errors["level"] = problem
        lead: StaffUser | None = None
        if lead_professional_id is not None and lead_professional_id != actor.pk:
            lead = (
                StaffUser.objects.filter(pk=lead_professional_id).select_related("agency").first()
            )
            if lead is None or lead.agency is None:
                errors["lead_professional_id"] = "Choose a member of staff who can sign in."
            elif problem := worker_problem(lead, lead.agency):
                errors["lead_professional_id"] = problem
        existing = TeamAroundChild.objects.filter(child=child, closed_on__isnull=True).first()
        if existing is not None:
            errors["child_id"] = (
                f"{child.child_id} already has an open team around the child, "
                f"{existing.reference}: ask to join it."
            )
        referral = None
        if referral_reference.strip():
            try:
                referral = _referral_for(child, referral_reference)
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
        if errors:
            raise ValidationError(errors)
        reference = new_tac_reference()
        while TeamAroundChild.objects.filter(reference=reference).exists():
            reference = new_tac_reference()
        tac = TeamAroundChild(
            reference=reference, child=child, level=level, referral=referral, opened_by=actor
        )
        tac.full_clean()
        tac.save()
        join_team(tac, actor.agency, actor, actor.get_role_display())
        if lead is not None and lead.agency is not None:
            join_team(tac, lead.agency, lead, lead.get_role_display())
        tac_audit(write, tac, level=level, referral=referral_reference)
        if lead_professional_id is not None:
            set_lead(tac, lead or actor)
            notify(
                lead or actor,
                actor,
                tac,
                "tac.lead",
                f"You are the lead professional for {tac.reference}",
                f"tac.lead.{tac.reference}.{lead_professional_id}",
            )
    return tac


def tac_level_change(
    *,
    actor: StaffUser,
    purpose: str,
    reference: str,
    to_level: int,
    reason: str,
    referral_reference: str = "",
) -> LevelChange:
    """Step up or down the continuum. Each change is a new LevelChange row; none is ever
    overwritten. A step up to level 4 points to the child's latest referral to children's
    social care when none is named."""
    with guarded_write(
        tac_guard(reference), actor=actor, action="tac.level_change", purpose=purpose
    ) as write:
        tac = write.target
        refuse_if_closed(tac)
        errors: dict[str, str] = {}
        if problem := _level_problem(to_level):
            errors["to_level"] = problem
        elif to_level == tac.level:
            label = area_vocabulary().level_label(to_level).lower()
            errors["to_level"] = f"The team is already at level {to_level} ({label})."
        if not reason.strip():
            errors["reason"] = "Enter why the level of need is changing."
        referral = None
        if referral_reference.strip():
            try:
                referral = _referral_for(tac.child, referral_reference)
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
        if errors:
            raise ValidationError(errors)
        if referral is None and to_level == 4 and to_level > tac.level:
            referral = (
                Referral.objects.filter(
                    child=tac.child, to_agency__agency_type=AgencyType.SOCIAL_CARE
                )
                .exclude(status=ReferralStatus.DRAFT)
                .order_by("-sent_at", "-id")
                .first()
            )
        change = LevelChange(
            tac=tac,
            from_level=tac.level,
            to_level=to_level,
            reason=reason.strip(),
            referral=referral,
            changed_by=actor,
        )
        change.full_clean()
        change.save()
        tac.level = to_level
        tac.full_clean()
        tac.save()
        # The involvements that joining the team created answer the team's level.
        Involvement.objects.filter(
            pk__in=TacMember.objects.filter(
                tac=tac, involvement_created=True, left_on__isnull=True
            ).values("involvement_id")
        ).update(level=to_level)
        tac_audit(
            write,
            tac,
            from_level=change.from_level,
            to_level=to_level,
            referral=referral.reference if referral else "",
        )
    return change


def tac_close(*, actor: StaffUser, purpose: str, reference: str, reason: str) -> TeamAroundChild:
    """Close the team once every action is done or cancelled. The involvements that
    membership created end, and the lead professional flag is cleared."""
    with guarded_write(
        tac_guard(reference), actor=actor, action="tac.close", purpose=purpose
    ) as write:
        tac = write.target
        refuse_if_closed(tac)
        errors: dict[str, str] = {}
        if not reason.strip():
            errors["reason"] = "Enter why the team is closing."
        still_open = list(tac.actions.filter(status=ActionStatus.OPEN).select_related("owner"))
        if still_open:
            listed = "; ".join(
                f"“{a.description[:60]}” ({a.owner}, due {govuk_date(a.due_on)})"
                for a in still_open
            )
            errors["actions"] = (
                f"Mark each open action done or cancelled before closing the team: {listed}."
            )
        if errors:
            raise ValidationError(errors)
        tac.closed_on = timezone.localdate()
        tac.close_reason = reason.strip()
        tac.full_clean()
        tac.save()
        ended = {}
        for member in TacMember.objects.filter(tac=tac, left_on__isnull=True).select_related(
            "involvement"
        ):
            if member.involvement is not None and member.worker_id == tac.lead_professional_id:
                Involvement.objects.filter(pk=member.involvement.pk).update(
                    is_lead_professional=False
                )
                member.involvement.is_lead_professional = False
            ended[member.pk] = end_involvement(member)
        tac_audit(write, tac, involvements=ended)
    return tac

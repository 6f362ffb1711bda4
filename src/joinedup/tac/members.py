"""A team around the child's members and its lead professional.

Membership is a legitimate relationship: joining creates (or reuses) an open involvement for
the worker or agency; leaving ends the involvement that joining created, never one that was
there before the team. The lead professional is marked on their involvement
(`Involvement.is_lead_professional`), cleared on the child's others.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.access.policy import Action, role_allows
from joinedup.access.relationships import involvement_is_open, open_involvement_q
from joinedup.access.tac import tac_guard
from joinedup.access.writes import guarded_write
from joinedup.governance.models import Agency, StaffUser
from joinedup.notifications.services import notification_send
from joinedup.people.models import Involvement
from joinedup.tac.models import TacMember, TeamAroundChild
from joinedup.tac.rules import refuse_if_closed, tac_audit, tac_link

__all__ = [
    "end_involvement",
    "join_team",
    "notify",
    "set_lead",
    "tac_lead_set",
    "tac_member_add",
    "tac_member_remove",
    "worker_problem",
]


def worker_problem(worker: StaffUser | None, agency: Agency) -> str:
    if worker is None or not worker.is_active:
        return "Choose a member of staff who can sign in."
    if worker.agency_id != agency.pk:
        return f"{worker.display_name} does not work for {agency.name}."
    if not role_allows(worker.role, Action.WORK_IN_TAC):
        return (
            f"{worker.display_name} is a {worker.get_role_display().lower()}, a role that "
            f"cannot work in a team around the child. Add someone else from {agency.name}, "
            "or the agency without a named worker."
        )
    return ""


def join_team(
    tac: TeamAroundChild, agency: Agency, worker: StaffUser | None, role_in_team: str
) -> TacMember:
    """Add a current member (validated by the caller), with the involvement that is their
    relationship with the child: the open one they already have, or a new one."""
    involvements = Involvement.objects.filter(
        open_involvement_q(today=timezone.localdate()), child_id=tac.child_id, agency=agency
    )
    if worker is not None:
        involvement = involvements.filter(worker=worker).order_by("started_on", "id").first()
    else:
        involvement = (
            involvements.filter(worker__isnull=True, team__isnull=True)
            .order_by("started_on", "id")
            .first()
        )
    created = involvement is None
    if involvement is None:
        team = worker.team if worker is not None and worker.team_id else None
        involvement = Involvement(
            child_id=tac.child_id,
            agency=agency,
            team=team if team is not None and team.agency_id == agency.pk else None,
            worker=worker,
            description=f"Team around the child {tac.reference}",
            started_on=timezone.localdate(),
            level=tac.level,
        )
        involvement.full_clean()
        involvement.save()
    member = TacMember(
        tac=tac,
        agency=agency,
        worker=worker,
        role_in_team=role_in_team.strip(),
        involvement=involvement,
        involvement_created=created,
    )
    member.full_clean()
    member.save()
    return member


def end_involvement(member: TacMember) -> str:
    """End the involvement joining created, unless another current membership uses it."""
    involvement = member.involvement
    today = timezone.localdate()
    if (
        involvement is None
        or not member.involvement_created
        or not involvement_is_open(involvement, today=today)
    ):
        return "kept"
    if (
        TacMember.objects.filter(involvement=involvement, left_on__isnull=True)
        .exclude(pk=member.pk)
        .exists()
    ):
        return "kept"
    yesterday = today - timedelta(days=1)
    if involvement.started_on <= yesterday:
        # An involvement is open through its end date, so ending it yesterday ends it now.
        involvement.ended_on = yesterday
        involvement.is_lead_professional = False
        involvement.full_clean()
        involvement.save()
        return "ended"
    # Created and ended the same day: it never held anything but this membership, which
    # TacMember and the audit log keep.
    TacMember.objects.filter(involvement=involvement).update(involvement=None)
    involvement.delete()
    return "deleted"


def notify(
    recipient: StaffUser, actor: StaffUser, tac: TeamAroundChild, kind: str, subject: str, key: str
) -> None:
    if recipient.pk != actor.pk:
        notification_send(
            recipient=recipient, kind=kind, subject=subject, link=tac_link(tac), dedupe_key=key
        )


def tac_member_add(
    *,
    actor: StaffUser,
    purpose: str,
    reference: str,
    agency_id: int,
    worker_id: int | None = None,
    role_in_team: str,
) -> TacMember:
    """Add an agency (and, usually, a named worker from it) to the team."""
    with guarded_write(
        tac_guard(reference), actor=actor, action="tac.member_add", purpose=purpose
    ) as write:
        tac = write.target
        refuse_if_closed(tac)
        errors: dict[str, str] = {}
        agency = Agency.objects.filter(pk=agency_id).first()
        worker = None
        if agency is None:
            errors["agency_id"] = "Choose the agency the new member works for."
        elif worker_id is not None:
            worker = StaffUser.objects.filter(pk=worker_id).first()
            if problem := worker_problem(worker, agency):
                errors["worker_id"] = problem
        if len(role_in_team) > 120:
            errors["role_in_team"] = "Role in the team must be 120 characters or fewer."
        current = TacMember.objects.filter(tac=tac, left_on__isnull=True)
        if worker is not None and current.filter(worker=worker).exists():
            errors["worker_id"] = f"{worker.display_name} is already a member of this team."
        if (
            agency is not None
            and worker_id is None
            and current.filter(agency=agency, worker__isnull=True).exists()
        ):
            errors["agency_id"] = f"{agency.name} is already in this team."
        if errors or agency is None:
            raise ValidationError(errors)
        member = join_team(tac, agency, worker, role_in_team)
        tac_audit(
            write,
            tac,
            member=member.pk,
            agency=agency.code,
            worker=worker.pk if worker else None,
            involvement=member.involvement_id,
            involvement_created=member.involvement_created,
        )
        if worker is not None:
            notify(
                worker,
                actor,
                tac,
                "tac.member_add",
                f"You have been added to the team around the child {tac.reference}",
                f"tac.member.{member.pk}",
            )
    return member


def tac_member_remove(
    *, actor: StaffUser, purpose: str, reference: str, member_id: int
) -> TacMember:
    """A member leaves the team; the involvement that joining created ends with it."""
    with guarded_write(
        tac_guard(reference), actor=actor, action="tac.member_remove", purpose=purpose
    ) as write:
        tac = write.target
        refuse_if_closed(tac)
        member = (
            TacMember.objects.filter(pk=member_id, tac=tac, left_on__isnull=True)
            .select_related("worker", "agency", "involvement")
            .first()
        )
        if member is None:
            raise ValidationError({"member_id": "Choose a current member of this team."})
        if member.worker_id is not None and member.worker_id == tac.lead_professional_id:
            raise ValidationError(
                {
                    "member_id": f"{member.worker} is the lead professional: set another "
                    "lead professional before they leave."
                }
            )
        if not TacMember.objects.filter(tac=tac, left_on__isnull=True).exclude(pk=member.pk):
            raise ValidationError(
                {"member_id": "A team needs at least one member: close the team instead."}
            )
        member.left_on = timezone.localdate()
        member.full_clean()
        member.save()
        ended = end_involvement(member)
        tac_audit(write, tac, member=member.pk, involvement=ended)
    return member


def set_lead(tac: TeamAroundChild, worker: StaffUser) -> None:
    member = (
        TacMember.objects.filter(tac=tac, worker=worker, left_on__isnull=True)
        .select_related("involvement", "agency")
        .first()
    )
    if member is None:
        raise ValidationError(
            {
                "worker_id": "The lead professional must be a current member of the team "
                "with a named worker."
            }
        )
    involvement = member.involvement
    if involvement is None or not involvement_is_open(involvement, today=timezone.localdate()):
        rejoined = join_team(tac, member.agency, worker, member.role_in_team)
        member.left_on = timezone.localdate()
        member.save(update_fields=["left_on"])
        member, involvement = rejoined, rejoined.involvement
    assert involvement is not None
    # One lead professional per child: the flag the "no lead professional" worklist reads.
    Involvement.objects.filter(child_id=tac.child_id, is_lead_professional=True).exclude(
        pk=involvement.pk
    ).update(is_lead_professional=False)
    involvement.is_lead_professional = True
    involvement.full_clean()
    involvement.save()
    tac.lead_professional = worker
    tac.lead_agency = member.agency
    tac.full_clean()
    tac.save()


def tac_lead_set(
    *, actor: StaffUser, purpose: str, reference: str, worker_id: int
) -> TeamAroundChild:
    """Make a current member the lead professional (marked on their involvement)."""
    with guarded_write(
        tac_guard(reference), actor=actor, action="tac.lead_set", purpose=purpose
    ) as write:
        tac = write.target
        refuse_if_closed(tac)
        if tac.lead_professional_id == worker_id:
            raise ValidationError(
                {"worker_id": f"{tac.lead_professional} is already the lead professional."}
            )
        worker = StaffUser.objects.filter(pk=worker_id).first()
        if worker is None:
            raise ValidationError({"worker_id": "Choose a current member of the team."})
        previous = tac.lead_professional_id
        set_lead(tac, worker)
        tac_audit(write, tac, previous=previous, lead=worker.pk)
        notify(
            worker,
            actor,
            tac,
            "tac.lead",
            f"You are the lead professional for {tac.reference}",
            f"tac.lead.{tac.reference}.{worker.pk}",
        )
    return tac

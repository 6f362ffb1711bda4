"""A small area for team-around-the-child tests, and helpers that go through the services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from joinedup.governance.models import AgencyType, Purpose, Role
from joinedup.referrals.models import Referral, ReferralStatus
from joinedup.tac.models import TeamAroundChild
from joinedup.tac.services import tac_member_add, tac_open
from tests import factories as f

SAFEGUARDING = Purpose.SAFEGUARDING


def area() -> dict[str, Any]:
    """A child on a school's roll and known to an early help team; a health agency; staff
    in and out of the child's circle."""
    school = f.agency(AgencyType.SCHOOL, name="Brookfield Primary School")
    other_school = f.agency(AgencyType.SCHOOL, name="Hillside Academy")
    early_help = f.agency(AgencyType.EARLY_HELP, name="Early Help Service")
    eh_team = f.team(early_help, name="Family Support North")
    eh_other_team = f.team(early_help, name="Family Support South")
    health = f.agency(AgencyType.HEALTH, name="Community Health")
    social_care = f.agency(AgencyType.SOCIAL_CARE, name="Children's Social Care")
    child = f.child(given_name="Maisie", family_name="Thornbury")
    f.involvement(child, school, description="On roll (Year 4)")
    f.involvement(child, early_help, team_=eh_team, description="Family support")
    return {
        "child": child,
        "school": school,
        "early_help": early_help,
        "eh_team": eh_team,
        "health": health,
        "social_care": social_care,
        "dsl": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school),
        "teacher": f.staff(Role.TEACHER, school),
        "ehp": f.staff(Role.EARLY_HELP_PRACTITIONER, early_help, eh_team),
        "eh_colleague": f.staff(Role.EARLY_HELP_PRACTITIONER, early_help, eh_team),
        "eh_other": f.staff(Role.EARLY_HELP_PRACTITIONER, early_help, eh_other_team),
        "nurse": f.staff(Role.SCHOOL_NURSE, health),
        "nurse_colleague": f.staff(Role.SCHOOL_NURSE, health),
        "social_worker": f.staff(Role.SOCIAL_WORKER, social_care),
        "stranger": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, other_school),
    }


def open_tac(
    a: dict[str, Any], *, by: str = "ehp", lead: bool = True, level: int = 2
) -> TeamAroundChild:
    actor = a[by]
    return tac_open(
        actor=actor,
        purpose=SAFEGUARDING,
        child_id=a["child"].child_id,
        level=level,
        lead_professional_id=actor.pk if lead else None,
    )


def add(
    a: dict[str, Any], tac: TeamAroundChild, who: str, *, by: str = "ehp", role: str = ""
) -> Any:
    worker = a[who]
    return tac_member_add(
        actor=a[by],
        purpose=SAFEGUARDING,
        reference=tac.reference,
        agency_id=worker.agency_id,
        worker_id=worker.pk,
        role_in_team=role or worker.get_role_display(),
    )


def referral(
    a: dict[str, Any],
    *,
    to: str = "social_care",
    child: Any = None,
    status: str = ReferralStatus.SENT,
    reference: str = "",
    **kw: Any,
) -> Referral:
    n = Referral.objects.count() + 1
    return Referral.objects.create(
        reference=reference or f"R-TEST{n:04d}",
        child=child if child is not None else a["child"],
        from_agency=a["school"],
        created_by=a["dsl"],
        to_agency=a[to],
        status=status,
        sent_at=timezone.now() if status != ReferralStatus.DRAFT else None,
        level=4,
        **kw,
    )


def meeting_args(a: dict[str, Any], **kw: Any) -> dict[str, Any]:
    today = timezone.localdate()
    args: dict[str, Any] = {
        "held_on": today,
        "attendee_ids": [a["ehp"].pk],
        "others_present": "Mum; Maisie",
        "child_attended": True,
        "child_views": "I want to stay at my school.",
        "notes": "Good engagement.",
        "decisions": "Weekly family support; school nurse to review.",
        "actions": [],
    }
    args.update(kw)
    return args

"""The demo area's teams around the child and assessments, made through the real services.

Three teams: one run by early help with the school (a meeting, decisions and an action plan,
one action overdue); one stepped up from early help to children's social care; one stepped
down from social care to early help. An early help assessment (360) with an SDQ, and a
school's alternative-provision profile attached to its referral to early help.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.assessments import services as assessments
from joinedup.assessments.library import assessment_form
from joinedup.demo.casework import CaseworkSummary, Picker, referral_make
from joinedup.demo.casework_cases import SC, Case
from joinedup.governance.models import Purpose, StaffUser
from joinedup.people.models import Child
from joinedup.referrals.models import Referral
from joinedup.tac import services as tac
from joinedup.tac.models import ActionStatus, TacMember, TeamAroundChild

EARLY_HELP, SAFEGUARDING = Purpose.EARLY_HELP, Purpose.SAFEGUARDING

STEP_UP = Case(
    "eh-step-up",
    "eh.practitioner",
    SC,
    4,
    ("cin.24A", "sf.safe_from_abuse"),
    "Signs of criminal exploitation despite the team around the child's plan.",
    ("send", "accept"),
    (6, 6, 5),
)


@dataclass(frozen=True)
class Attachment:
    child: Child
    refs: tuple[str, ...]


def assessment_for_referral(staff: dict[str, StaffUser], picker: Picker) -> Attachment | None:
    """The school's alternative-provision profile of a pupil, to go with its referral."""
    dsl = staff["dsl"]
    child, chosen = picker.child(dsl, SAFEGUARDING, staff["eh.manager"].agency_id)
    if child is None or not chosen:
        return None
    profile = assessments.assessment_create(
        actor=dsl,
        purpose=SAFEGUARDING,
        child_id=child.child_id,
        form_id="ap-profile",
        answers={
            "strengths_talents": "Creative; good at art and helping younger pupils.",
            "strategies_that_work": "A calm start to the day; warning before changes.",
            "triggers": "Crowded corridors; being asked to read aloud.",
            "resources_needed": "A key adult; a quiet space at break times.",
            "sen_needs": ["semh"],
            "attendance_summary": "84% this term; most absence on Mondays.",
            "risks": [
                {
                    "risk": "Leaves lessons without permission",
                    "likelihood": "medium",
                    "impact": "Unsupervised on site",
                    "controls": "Time-out card and a named adult",
                }
            ],
            "risk_to_self_or_others": "no",
            "aspirations": "I want to be an illustrator.",
        },
        complete=True,
    )
    return Attachment(child, (profile.reference,))


def _eha_answers(days_ago: int) -> dict[str, Any]:
    form = assessment_form("eha-360")
    assert form is not None
    answers: dict[str, Any] = {q.id: 5 for q in form.questions if q.type == "scale"}
    answers.update(
        {
            "assessment_date": (timezone.localdate() - timedelta(days=days_ago)).isoformat(),
            "reason": "Referred by school: anxiety and school refusal.",
            "who_contributed": "The child, mum, the school's DSL and the school nurse.",
            "child_views": "I get a tummy ache before school. I like art.",
            "parent_views": "Mornings are a battle and I don't know what to do.",
            "analysis": "Anxiety is driving the absence; routines at home have slipped since "
            "the family moved. Strong bond with mum; school is supportive.",
            "level": 3,
            "next_steps": "Team around the child: daily check-in at school, a morning "
            "routine plan at home, review in six weeks.",
            "needs_identified": ["eha.emotional", "eha.education"],
        }
    )
    return answers


def _backdate_team(team: TeamAroundChild, days_ago: int) -> None:
    """Open the team (and its first members) before its first meeting. The services date a
    new team today and a meeting may be recorded with a past date; only these dates move."""
    opened = timezone.localdate() - timedelta(days=days_ago)
    TeamAroundChild.objects.filter(pk=team.pk).update(opened_on=opened)
    TacMember.objects.filter(tac=team).update(joined_on=opened)


def _team(
    lead: StaffUser,
    purpose: str,
    referral: Referral,
    level: int,
    members: tuple[tuple[StaffUser, str], ...],
) -> TeamAroundChild:
    """Open a team for the referral's child with `lead` as lead professional, and add each
    (worker, role in the team) as a member."""
    assert referral.child is not None
    team = tac.tac_open(
        actor=lead,
        purpose=purpose,
        child_id=referral.child.child_id,
        level=level,
        lead_professional_id=lead.pk,
        referral_reference=referral.reference,
    )
    for worker, role in members:
        _member(lead, purpose, team, worker, role)
    return team


def _member(
    by: StaffUser, purpose: str, team: TeamAroundChild, worker: StaffUser, role: str
) -> None:
    assert worker.agency_id is not None
    tac.tac_member_add(
        actor=by,
        purpose=purpose,
        reference=team.reference,
        agency_id=worker.agency_id,
        worker_id=worker.pk,
        role_in_team=role,
    )


def _team_with_school(staff: dict[str, StaffUser], referral: Referral, s: CaseworkSummary) -> None:
    """Early help leads, the school sits in; a meeting 5 weeks ago left an action overdue."""
    ehp, dsl = staff["eh.practitioner"], staff["dsl"]
    assert referral.child is not None
    child_id = referral.child.child_id
    eha = assessments.assessment_create(
        actor=ehp,
        purpose=EARLY_HELP,
        child_id=child_id,
        form_id="eha-360",
        answers=_eha_answers(40),
        complete=True,
    )
    assessments.measure_record(
        actor=ehp,
        purpose=EARLY_HELP,
        child_id=child_id,
        instrument_id="sdq-parent",
        scores={"emotional": 7, "conduct": 2, "hyperactivity": 4, "peer": 3}
        | {"prosocial": 8, "total": 16},
        administered_on=timezone.localdate() - timedelta(days=40),
        assessment_ref=eha.reference,
    )
    s.assessments, s.measures = s.assessments + 1, s.measures + 1
    team = _team(ehp, EARLY_HELP, referral, 3, ((dsl, "Designated safeguarding lead"),))
    _backdate_team(team, 38)
    today = timezone.localdate()
    meeting = tac.tac_meeting_record(
        actor=ehp,
        purpose=EARLY_HELP,
        reference=team.reference,
        held_on=today - timedelta(days=35),
        attendee_ids=[ehp.pk, dsl.pk],
        others_present="Mum; the child for the first half",
        child_attended=True,
        child_views="Wants to keep going to art club.",
        decisions="Daily check-in with a trusted adult at school; a morning routine plan "
        "at home; review in six weeks.",
        actions=[
            {
                "description": "Set up a daily check-in with a trusted adult",
                "owner_id": dsl.pk,
                "due_on": today - timedelta(days=21),
            },
            {
                "description": "Home visit to agree a morning routine",
                "owner_id": ehp.pk,
                "due_on": today - timedelta(days=28),
            },
            {
                "description": "Arrange the six-week review meeting",
                "owner_id": ehp.pk,
                "due_on": today + timedelta(days=7),
            },
        ],
    )
    visit = meeting.actions.get(description__startswith="Home visit")
    tac.tac_action_update(
        actor=ehp,
        purpose=EARLY_HELP,
        action_id=visit.pk,
        status=ActionStatus.DONE,
        note="Visited; routine chart agreed with mum.",
    )
    s.teams, s.meetings, s.actions = s.teams + 1, s.meetings + 1, s.actions + 3


def _team_stepped_up(staff: dict[str, StaffUser], referral: Referral, s: CaseworkSummary) -> None:
    """Early help and the youth service; exploitation concerns step it up to social care."""
    ehp, youth, sw = staff["eh.practitioner"], staff["youth.worker"], staff["social.worker"]
    assert referral.child is not None
    team = _team(ehp, EARLY_HELP, referral, 3, ((youth, "Youth worker"),))
    up = referral_make(STEP_UP, referral.child, staff)
    s.references[STEP_UP.name] = up.reference
    tac.tac_level_change(
        actor=ehp,
        purpose=EARLY_HELP,
        reference=team.reference,
        to_level=4,
        reason="Exploitation concerns: stepped up to children's social care.",
        referral_reference=up.reference,
    )
    _member(ehp, EARLY_HELP, team, sw, "Allocated social worker")
    tac.tac_lead_set(actor=ehp, purpose=EARLY_HELP, reference=team.reference, worker_id=sw.pk)
    s.teams += 1


def _team_stepped_down(staff: dict[str, StaffUser], referral: Referral, s: CaseworkSummary) -> None:
    """Social care with the police; the risk has reduced, so early help takes the lead."""
    sw, police, ehp = staff["social.worker"], staff["police.officer"], staff["eh.practitioner"]
    members = ((police, "Police safeguarding officer"), (ehp, "Family support worker"))
    team = _team(sw, SAFEGUARDING, referral, 4, members)
    _backdate_team(team, 14)
    today = timezone.localdate()
    tac.tac_meeting_record(
        actor=sw,
        purpose=SAFEGUARDING,
        reference=team.reference,
        held_on=today - timedelta(days=10),
        attendee_ids=[sw.pk, police.pk, ehp.pk],
        others_present="Mum",
        decisions="No further incidents since the perpetrator left; step down to early "
        "help, with family support taking the lead.",
        actions=[
            {
                "description": "Weekly family support sessions",
                "owner_id": ehp.pk,
                "due_on": today + timedelta(days=20),
            }
        ],
    )
    tac.tac_level_change(
        actor=sw,
        purpose=SAFEGUARDING,
        reference=team.reference,
        to_level=3,
        reason="Risk reduced: stepped down to early help.",
    )
    tac.tac_lead_set(actor=sw, purpose=SAFEGUARDING, reference=team.reference, worker_id=ehp.pk)
    s.teams, s.meetings, s.actions = s.teams + 1, s.meetings + 1, s.actions + 1


def plans_seed(staff: dict[str, StaffUser], summary: CaseworkSummary) -> None:
    """The teams around the children of three accepted referrals (when they were made)."""
    for name, make in (
        ("dsl-accepted-eh", _team_with_school),
        ("youth-accepted", _team_stepped_up),
        ("police-accepted", _team_stepped_down),
    ):
        reference = summary.references.get(name)
        if reference:
            make(staff, Referral.objects.select_related("child").get(reference=reference), summary)


__all__ = ["assessment_for_referral", "plans_seed"]

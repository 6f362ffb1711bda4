"""Assessment test data: complete answers for the shipped forms, and a small area."""

from __future__ import annotations

from typing import Any

from joinedup.assessments.library import assessment_form
from joinedup.governance.models import AgencyType, Role
from tests import factories as f


def ap_answers(**overrides: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "strengths_talents": "Good at football and drawing.",
        "strategies_that_work": "Clear routines; a quiet space.",
        "triggers": "Sudden changes of plan.",
        "resources_needed": "A key worker; small group teaching.",
        "sen_needs": ["semh"],
        "attendance_summary": "82% last term; late most Mondays.",
        "risks": [
            {
                "risk": "Leaves site",
                "likelihood": "medium",
                "impact": "Missing",
                "controls": "Exit plan",
            }
        ],
        "risk_to_self_or_others": "no",
        "aspirations": "I want to be a mechanic.",
    }
    answers.update(overrides)
    return answers


def eha_answers(**overrides: Any) -> dict[str, Any]:
    form = assessment_form("eha-360")
    assert form is not None
    answers: dict[str, Any] = {q.id: 6 for q in form.questions if q.type == "scale"}
    answers.update(
        {
            "assessment_date": "2026-03-02",
            "reason": "School concerned about attendance.",
            "child_views": "I don't like mornings.",
            "parent_views": "Mornings are a battle.",
            "analysis": "Routines at home have broken down since the move.",
            "level": 2,
            "next_steps": "Family support worker to visit weekly.",
            "needs_identified": ["eha.basic_care"],
        }
    )
    answers.update(overrides)
    return answers


def area() -> dict[str, Any]:
    """A child known to an early help team; a school with a DSL and a teacher; a stranger."""
    early_help = f.agency(AgencyType.EARLY_HELP, name="Early Help Service")
    eh_team = f.team(early_help, name="Family Support North")
    school = f.agency(AgencyType.SCHOOL, name="Brookfield Primary")
    police = f.agency(AgencyType.POLICE, name="Police")
    child = f.child(given_name="Maisie", family_name="Thornbury")
    f.involvement(child, early_help, team_=eh_team)
    f.involvement(child, school)
    f.involvement(child, police)
    return {
        "child": child,
        "early_help": early_help,
        "eh_team": eh_team,
        "school": school,
        "police": police,
        "ehp": f.staff(Role.EARLY_HELP_PRACTITIONER, early_help, eh_team, username="ehp"),
        "dsl": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school, username="dsl"),
        "teacher": f.staff(Role.TEACHER, school, username="teacher"),
        "officer": f.staff(Role.POLICE_SAFEGUARDING_OFFICER, police, username="officer"),
        "stranger": f.staff(
            Role.EARLY_HELP_PRACTITIONER, f.agency(AgencyType.EARLY_HELP), username="stranger"
        ),
    }

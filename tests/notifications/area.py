"""A small area for the attention worklist: a school that refers, a social care front door
(one receiving team and another team), a stranger at another school."""

from __future__ import annotations

from typing import Any

from joinedup.governance.models import AgencyType, Role
from tests import factories as f


def build() -> dict[str, Any]:
    school = f.agency(AgencyType.SCHOOL, name="Hillside Primary")
    social_care = f.agency(AgencyType.SOCIAL_CARE, name="Children's Social Care")
    front = f.team(social_care, name="Front door")
    other_team = f.team(social_care, name="Disabled children")
    elsewhere = f.agency(AgencyType.SCHOOL, name="Riverside Academy")
    return {
        "school": school,
        "social_care": social_care,
        "front": front,
        "other_team": other_team,
        "dsl": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school, email="dsl@example.org"),
        "teacher": f.staff(Role.TEACHER, school),
        "sw": f.staff(Role.SOCIAL_WORKER, social_care, front, email="sw@example.org"),
        "manager": f.staff(Role.TEAM_MANAGER, social_care, front, email="tm@example.org"),
        "sw_other": f.staff(Role.SOCIAL_WORKER, social_care, other_team),
        "stranger": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, elsewhere),
        "analyst": f.staff(Role.DATA_ANALYST, social_care),
        "child": f.child(given_name="Zebedee", family_name="Quartermaine"),
    }

"""A small area for the worklist and explanation tests: two schools, early help, social care
and police, pupils with flags, and the staff who may or may not see them."""

from __future__ import annotations

from typing import Any

from joinedup.chronology.vocabulary import EventType, Sensitivity
from joinedup.governance.models import AgencyType, Purpose, Role
from tests import factories as f


def build() -> dict[str, Any]:
    school_a = f.agency(AgencyType.SCHOOL, name="Brookfield Primary School")
    school_b = f.agency(AgencyType.SCHOOL, name="Hillside Academy")
    school_c = f.agency(AgencyType.SCHOOL, name="Oakwood School")
    early_help = f.agency(AgencyType.EARLY_HELP, name="Early Help Service")
    social_care = f.agency(AgencyType.SOCIAL_CARE, name="Children's Social Care")
    police = f.agency(AgencyType.POLICE, name="Police")
    family_support = f.team(early_help, name="Family support team")

    a1 = f.child(given_name="Amira", family_name="Ashdown")
    a2 = f.child(given_name="Ben", family_name="Bramley")
    b1 = f.child(given_name="Cara", family_name="Colley")
    for pupil, school in ((a1, school_a), (a2, school_a), (b1, school_b)):
        f.involvement(pupil, school, description="On roll")
        f.source_record(pupil, school)
    f.involvement(a1, early_help, team_=family_support, description="Family support")
    f.event(
        a1,
        police,
        EventType.POLICE_NOTIFICATION,
        Sensitivity.SPECIAL_CATEGORY,
        summary="Domestic abuse incident",
    )
    # Operation Encompass: police notifications to schools; attendance to early help.
    f.agreement(
        [school_a, school_b, police],
        event_types=[EventType.POLICE_NOTIFICATION],
        purposes=[Purpose.SAFEGUARDING],
        title="Operation Encompass",
    )
    f.agreement(
        [school_a, school_b, early_help, social_care],
        event_types=[EventType.ATTENDANCE_SUMMARY],
        purposes=[Purpose.EARLY_HELP, Purpose.SAFEGUARDING],
        title="Attendance and early help",
    )
    a1_att = f.flag(a1, level="amber", value=84.2, is_new=False)
    a2_att = f.flag(a2, level="red", value=71.5, threshold=80)
    b1_att = f.flag(b1, level="red", value=60, threshold=80)
    a1_police = f.flag(
        a1, rule_id="police-domestic-abuse", level="amber", value=1, threshold=1, is_new=False
    )
    return {
        "school_a": school_a,
        "school_b": school_b,
        "early_help": early_help,
        "social_care": social_care,
        "police": police,
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "a1_att": a1_att,
        "a2_att": a2_att,
        "b1_att": b1_att,
        "a1_police": a1_police,
        "dsl_a": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school_a),
        "dsl_b": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school_b),
        "teacher_a": f.staff(Role.TEACHER, school_a),
        "stranger": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school_c),
        "eh_worker": f.staff(Role.EARLY_HELP_PRACTITIONER, early_help, family_support),
        "eh_manager": f.staff(Role.TEAM_MANAGER, early_help, family_support),
        "sc_manager": f.staff(Role.TEAM_MANAGER, social_care),
    }

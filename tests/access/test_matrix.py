"""The authorization matrix: roles x relationships x agreement states x actions, in full.

One child, four events from four agencies, and a staff member for each relationship. Each
cell of EXPECTED says which events the viewer sees (None: the child is a 404 to them).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from joinedup.access.break_glass import break_glass_grant
from joinedup.access.children import access_child_by_id, child_search, visible_events
from joinedup.access.errors import ChildNotFound
from joinedup.access.policy import default_purpose
from joinedup.chronology.vocabulary import EventType, Sensitivity
from joinedup.governance.models import AgencyType, AuditEvent, Purpose, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

ALL = frozenset({"attendance", "referral", "police", "health"})

# viewer -> agreement scenario -> events seen (None = 404)
EXPECTED: dict[str, dict[str, frozenset[str] | None]] = {
    "allocated_worker": {
        "live": ALL,
        "none": frozenset({"referral"}),
        "expired": frozenset({"referral"}),
        "future": frozenset({"referral"}),
        "narrow": frozenset({"referral", "attendance"}),
        "other_purpose": frozenset({"referral"}),
    },
    "same_team": {
        "live": ALL,
        "none": frozenset({"referral"}),
        "expired": frozenset({"referral"}),
        "future": frozenset({"referral"}),
        "narrow": frozenset({"referral", "attendance"}),
        "other_purpose": frozenset({"referral"}),
    },
    "same_agency_no_involvement": dict.fromkeys(
        ["live", "none", "expired", "future", "narrow", "other_purpose"], None
    ),
    "school_dsl_on_roll": {
        "live": ALL,
        "none": frozenset({"attendance"}),
        "expired": frozenset({"attendance"}),
        "future": frozenset({"attendance"}),
        "narrow": frozenset({"attendance"}),
        "other_purpose": frozenset({"attendance"}),
    },
    # A teacher works for education and never sees special-category events.
    "school_teacher_on_roll": {
        "live": frozenset({"attendance", "referral"}),
        "none": frozenset({"attendance"}),
        "expired": frozenset({"attendance"}),
        "future": frozenset({"attendance"}),
        "narrow": frozenset({"attendance"}),
        "other_purpose": frozenset({"attendance"}),
    },
    "other_school_dsl": dict.fromkeys(
        ["live", "none", "expired", "future", "narrow", "other_purpose"], None
    ),
    "other_school_dsl_break_glass": {
        "live": ALL,
        "none": frozenset(),
        "expired": frozenset(),
        "future": frozenset(),
        "narrow": frozenset({"attendance"}),
        "other_purpose": frozenset(),
    },
    "police_team_involved": {
        "live": ALL,
        "none": frozenset({"police"}),
        "expired": frozenset({"police"}),
        "future": frozenset({"police"}),
        "narrow": frozenset({"police", "attendance"}),
        "other_purpose": frozenset({"police"}),
    },
    "nurse_involvement_ended": dict.fromkeys(
        ["live", "none", "expired", "future", "narrow", "other_purpose"], None
    ),
    "data_analyst": dict.fromkeys(
        ["live", "none", "expired", "future", "narrow", "other_purpose"], None
    ),
    "ig_officer": dict.fromkeys(
        ["live", "none", "expired", "future", "narrow", "other_purpose"], None
    ),
    "administrator": dict.fromkeys(
        ["live", "none", "expired", "future", "narrow", "other_purpose"], None
    ),
}

CELLS = [(viewer, scenario) for viewer, row in EXPECTED.items() for scenario in row]


@pytest.fixture
def area() -> dict:
    school_a = f.agency(AgencyType.SCHOOL, name="School A")
    school_b = f.agency(AgencyType.SCHOOL, name="School B")
    social_care = f.agency(AgencyType.SOCIAL_CARE, name="Social care")
    police = f.agency(AgencyType.POLICE, name="Police")
    health = f.agency(AgencyType.HEALTH, name="Health")
    assessment = f.team(social_care)
    in_care = f.team(social_care)
    mash = f.team(police)
    nursing = f.team(health)
    child = f.child()
    viewers = {
        "allocated_worker": f.staff(Role.SOCIAL_WORKER, social_care, assessment),
        "same_team": f.staff(Role.SOCIAL_WORKER, social_care, assessment),
        "same_agency_no_involvement": f.staff(Role.SOCIAL_WORKER, social_care, in_care),
        "school_dsl_on_roll": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school_a),
        "school_teacher_on_roll": f.staff(Role.TEACHER, school_a),
        "other_school_dsl": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school_b),
        "other_school_dsl_break_glass": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school_b),
        "police_team_involved": f.staff(Role.POLICE_SAFEGUARDING_OFFICER, police, mash),
        "nurse_involvement_ended": f.staff(Role.SCHOOL_NURSE, health, nursing),
        "data_analyst": f.staff(Role.DATA_ANALYST, social_care),
        "ig_officer": f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, social_care),
        "administrator": f.staff(Role.ADMINISTRATOR, social_care),
    }
    f.involvement(child, school_a)  # on roll: agency-wide
    f.involvement(
        child, social_care, team_=assessment, worker=viewers["allocated_worker"], lead=True
    )
    f.involvement(child, police, team_=mash)
    f.involvement(child, health, team_=nursing, ended_on=timezone.localdate() - timedelta(days=1))
    events = {
        "attendance": f.event(child, school_a, EventType.ATTENDANCE_SUMMARY),
        "referral": f.event(child, social_care, EventType.REFERRAL, Sensitivity.SENSITIVE),
        "police": f.event(
            child, police, EventType.POLICE_NOTIFICATION, Sensitivity.SPECIAL_CATEGORY
        ),
        "health": f.event(child, health, EventType.HEALTH_CONTACT, Sensitivity.SPECIAL_CATEGORY),
    }
    return {
        "child": child,
        "viewers": viewers,
        "events": events,
        "parties": [school_a, school_b, social_care, police, health],
    }


def _apply_scenario(area: dict, scenario: str) -> None:
    now = timezone.now()
    parties = area["parties"]
    both = [Purpose.SAFEGUARDING, Purpose.EDUCATION]
    if scenario == "live":
        f.agreement(parties, purposes=both)
    elif scenario == "expired":
        f.agreement(
            parties,
            purposes=both,
            starts_at=now - timedelta(days=400),
            ends_at=now - timedelta(seconds=1),
        )
    elif scenario == "future":
        f.agreement(parties, purposes=both, starts_at=now + timedelta(days=1))
    elif scenario == "narrow":
        f.agreement(parties, purposes=both, event_types=[EventType.ATTENDANCE_SUMMARY])
    elif scenario == "other_purpose":
        f.agreement(parties, purposes=[Purpose.EARLY_HELP])
    else:
        assert scenario == "none"


@pytest.mark.parametrize(("viewer_key", "scenario"), CELLS)
def test_authorization_matrix(area: dict, viewer_key: str, scenario: str) -> None:
    _apply_scenario(area, scenario)
    viewer = area["viewers"][viewer_key]
    child = area["child"]
    if viewer_key == "other_school_dsl_break_glass":
        break_glass_grant(
            actor=viewer,
            child_id=child.child_id,
            purpose=Purpose.SAFEGUARDING,
            reason="Police report the child missing overnight; need contacts.",
        )
    purpose = default_purpose(viewer.role) or ""
    expected = EXPECTED[viewer_key][scenario]
    label_of = {e.pk: label for label, e in area["events"].items()}

    found = child_search(viewer, purpose=purpose, name=child.family_name)
    if expected is None:
        assert found == []
        before = AuditEvent.objects.filter(outcome="denied").count()
        with pytest.raises(ChildNotFound):
            access_child_by_id(viewer, child.child_id, purpose=purpose)
        assert AuditEvent.objects.filter(outcome="denied").count() == before + 1
        return
    assert [c.child_id for c in found] == [child.child_id]
    access = access_child_by_id(viewer, child.child_id, purpose=purpose)
    chronology = visible_events(viewer, access)
    seen = frozenset(label_of[v.event.pk] for v in chronology.events)
    assert seen == expected
    assert chronology.withheld_count == len(ALL) - len(expected)


def test_missing_and_forbidden_look_the_same(area: dict) -> None:
    viewer = area["viewers"]["other_school_dsl"]
    errors = []
    for child_id in (area["child"].child_id, "C-NOTACHLD"):
        with pytest.raises(ChildNotFound) as info:
            access_child_by_id(viewer, child_id, purpose=Purpose.SAFEGUARDING)
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_withheld_notice_names_the_agreement_and_purpose(area: dict) -> None:
    agreement = f.agreement(area["parties"], purposes=[Purpose.EARLY_HELP], title="EH deal")
    viewer = area["viewers"]["allocated_worker"]  # a social worker may work for early help
    access = access_child_by_id(viewer, area["child"].child_id, purpose=Purpose.SAFEGUARDING)
    withheld = visible_events(viewer, access).withheld
    assert [(w.reason, w.count, w.agreements, w.purposes) for w in withheld] == [
        ("other_purpose", 3, (agreement.title,), (Purpose.EARLY_HELP,))
    ]
    switched = access_child_by_id(viewer, area["child"].child_id, purpose=Purpose.EARLY_HELP)
    assert len(visible_events(viewer, switched).events) == 4


def test_fields_not_covered_are_not_shown(area: dict) -> None:
    f.agreement(area["parties"], fields=["summary"])
    viewer = area["viewers"]["school_dsl_on_roll"]
    access = access_child_by_id(viewer, area["child"].child_id, purpose=Purpose.SAFEGUARDING)
    by_pk = {v.event.pk: v for v in visible_events(viewer, access).events}
    shared = by_pk[area["events"]["referral"].pk]
    own = by_pk[area["events"]["attendance"].pk]
    assert shared.summary == "referral summary" and shared.payload == {}
    assert own.payload == {"k": 1} and own.shared_under is None


def test_expired_agreement_stops_sharing_the_next_second(area: dict) -> None:
    # Three seconds of life, so a slow machine still reads before the end; then wait for the end.
    ends_at = timezone.now() + timedelta(seconds=3)
    f.agreement(area["parties"], ends_at=ends_at)
    viewer = area["viewers"]["school_dsl_on_roll"]
    access = access_child_by_id(viewer, area["child"].child_id, purpose=Purpose.SAFEGUARDING)
    assert len(visible_events(viewer, access).events) == 4
    time.sleep(max(0.0, (ends_at - timezone.now()).total_seconds()) + 0.05)
    assert len(visible_events(viewer, access).events) == 1


def test_involvement_not_yet_started_gives_no_relationship(area: dict) -> None:
    viewer = area["viewers"]["other_school_dsl"]
    f.involvement(area["child"], viewer.agency, started_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ChildNotFound):
        access_child_by_id(viewer, area["child"].child_id, purpose=Purpose.SAFEGUARDING)


def test_purpose_outside_the_role_is_refused(area: dict) -> None:
    teacher = area["viewers"]["school_teacher_on_roll"]
    with pytest.raises(ChildNotFound):
        access_child_by_id(teacher, area["child"].child_id, purpose=Purpose.SAFEGUARDING)
    assert child_search(teacher, purpose=Purpose.SAFEGUARDING, name="Testchild") == []


# The pages of the people who run the area (issue 13): who may open each, and that neither
# the administrator nor information governance opens a child's record page.
RUNNING_PAGES = {
    "/administration/agencies/": Role.ADMINISTRATOR,
    "/administration/staff/": Role.ADMINISTRATOR,
    "/administration/staff/new/": Role.ADMINISTRATOR,
    "/governance/agreements/": Role.INFORMATION_GOVERNANCE_OFFICER,
    "/governance/new-agreement/": Role.INFORMATION_GOVERNANCE_OFFICER,
    "/governance/audit/": Role.INFORMATION_GOVERNANCE_OFFICER,
}
CHILD_PAGES = ("/children/{}/", "/worklist/{}/", "/linkage/children/{}/")


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_running_the_area_pages_by_role(client: Any, area: dict, role: str) -> None:
    _apply_scenario(area, "live")
    viewer = f.staff(role, area["parties"][2])
    client.force_login(viewer)
    for url, owner in RUNNING_PAGES.items():
        expected = 200 if role == owner else 404
        assert client.get(url).status_code == expected, (role, url)


@pytest.mark.parametrize("viewer_key", ["administrator", "ig_officer"])
def test_neither_runner_of_the_area_opens_a_child_page(
    client: Any, area: dict, viewer_key: str
) -> None:
    _apply_scenario(area, "live")
    client.force_login(area["viewers"][viewer_key])
    child_id = area["child"].child_id
    for page in CHILD_PAGES:
        response = client.get(page.format(child_id))
        assert response.status_code == 404, page
        assert area["child"].family_name not in response.content.decode()

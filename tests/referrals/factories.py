"""Referral factories: a small area (a school refers to an early help team) and referrals in
each status, made through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.utils import timezone

from joinedup.governance.models import Agency, AgencyType, Role, StaffUser, Team
from joinedup.people.models import Child
from joinedup.referrals import services
from joinedup.referrals.models import Referral, ReferralStatus
from tests import factories as f

SAFEGUARDING = "safeguarding"
EARLY_HELP = "early_help"


@dataclass
class Area:
    school: Agency
    dsl: StaffUser  # the sender
    colleague: StaffUser  # another DSL at the school (same agency, no team)
    teacher: StaffUser
    early_help: Agency
    team: Team  # the receiving team
    worker: StaffUser  # a receiving team member
    manager: StaffUser  # another receiving team member
    other_team: Team  # early help's other team
    outsider: StaffUser  # early help, other team
    police: Agency
    officer: StaffUser  # unrelated agency
    child: Child


def area() -> Area:
    school = f.agency(AgencyType.SCHOOL, name="Oak Primary")
    early_help = f.agency(AgencyType.EARLY_HELP, name="Early Help Hub")
    team = f.team(early_help, name="Family Support North")
    other_team = f.team(early_help, name="Family Support South")
    police = f.agency(AgencyType.POLICE, name="Constabulary")
    child = f.child(given_name="Maya", family_name="Okafor", date_of_birth=date(2015, 3, 2))
    f.involvement(child, school)
    return Area(
        school=school,
        dsl=f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school),
        colleague=f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school),
        teacher=f.staff(Role.TEACHER, school),
        early_help=early_help,
        team=team,
        worker=f.staff(Role.EARLY_HELP_PRACTITIONER, early_help, team),
        manager=f.staff(Role.TEAM_MANAGER, early_help, team),
        other_team=other_team,
        outsider=f.staff(Role.EARLY_HELP_PRACTITIONER, early_help, other_team),
        police=police,
        officer=f.staff(Role.POLICE_SAFEGUARDING_OFFICER, police),
        child=child,
    )


def complete_fields(a: Area, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "details": {
            "given_name": "Maya",
            "family_name": "Okafor",
            "date_of_birth": date(2015, 3, 2),
            "sex": "F",
            "postcode": "AB1 2CD",
        },
        "child_id": a.child.child_id,
        "to_agency_id": a.early_help.pk,
        "to_team_id": a.team.pk,
        "level": 2,
        "needs": ["eha.emotional"],
        "reason": "Low mood and falling attendance since the spring.",
        "what_tried": "Pastoral support.",
        "consent": "given",
    }
    fields.update(changes)
    return fields


def draft(a: Area, **changes: Any) -> Referral:
    return services.referral_create(
        actor=a.dsl, purpose=SAFEGUARDING, **complete_fields(a, **changes)
    )


def in_status(a: Area, status: str) -> Referral:
    """A referral from the school to the team, brought to `status` through the services."""
    r = draft(a)
    if status == ReferralStatus.DRAFT:
        return r
    services.referral_send(actor=a.dsl, purpose=SAFEGUARDING, reference=r.reference)
    if status == ReferralStatus.ACKNOWLEDGED:
        services.referral_acknowledge(actor=a.worker, purpose=EARLY_HELP, reference=r.reference)
    elif status in (ReferralStatus.ACCEPTED, ReferralStatus.CLOSED):
        services.referral_accept(actor=a.worker, purpose=EARLY_HELP, reference=r.reference)
        if status == ReferralStatus.CLOSED:
            services.referral_close(
                actor=a.worker,
                purpose=EARLY_HELP,
                reference=r.reference,
                outcome="needs_met",
                note="Six sessions; mood improved.",
            )
    elif status == ReferralStatus.DECLINED:
        services.referral_decline(
            actor=a.worker,
            purpose=EARLY_HELP,
            reference=r.reference,
            reason="Needs are met by the school's own support.",
            alternative="The school's mentoring scheme.",
        )
    r.refresh_from_db()
    assert r.status == status
    return r


def freeze(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """Make django.utils.timezone.now (and so localdate) return `moment` (aware)."""
    assert moment.tzinfo is not None
    monkeypatch.setattr(timezone, "now", lambda: moment)


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)

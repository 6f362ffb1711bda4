"""Per-app factories for tests: small functions that make valid objects through the models."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.utils import timezone

from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType, Sensitivity
from joinedup.governance.models import (
    Agency,
    AgencyType,
    Article6Basis,
    Purpose,
    Role,
    SharingAgreement,
    StaffUser,
    Team,
)
from joinedup.people.models import Child, Involvement

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


def agency(agency_type: str = AgencyType.SCHOOL, **kw: Any) -> Agency:
    n = next(_seq)
    defaults = {"code": f"agency-{n}", "name": f"Agency {n}", "agency_type": agency_type}
    defaults.update(kw)
    return Agency.objects.create(**defaults)


def team(agency_: Agency, **kw: Any) -> Team:
    n = next(_seq)
    return Team.objects.create(
        agency=agency_, code=kw.pop("code", f"team-{n}"), name=kw.pop("name", f"Team {n}"), **kw
    )


def staff(
    role: str = Role.DESIGNATED_SAFEGUARDING_LEAD,
    agency_: Agency | None = None,
    team_: Team | None = None,
    **kw: Any,
) -> StaffUser:
    n = next(_seq)
    user = StaffUser(
        username=kw.pop("username", f"staff{n}"),
        role=role,
        agency=agency_,
        team=team_,
        first_name="Test",
        last_name=f"Staff {n}",
        **kw,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def child(**kw: Any) -> Child:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "given_name": "Alex",
        "family_name": f"Testchild{n}",
        "date_of_birth": date(2014, 5, 17),
        "sex": "F",
    }
    defaults.update(kw)
    return Child.objects.create(**defaults)


def involvement(
    child_: Child,
    agency_: Agency,
    *,
    team_: Team | None = None,
    worker: StaffUser | None = None,
    ended_on: date | None = None,
    lead: bool = False,
    **kw: Any,
) -> Involvement:
    return Involvement.objects.create(
        child=child_,
        agency=agency_,
        team=team_,
        worker=worker,
        description=kw.pop("description", "Test involvement"),
        started_on=kw.pop("started_on", date(2024, 9, 1)),
        ended_on=ended_on,
        is_lead_professional=lead,
        **kw,
    )


def event(
    child_: Child,
    agency_: Agency,
    event_type: str = EventType.ATTENDANCE_SUMMARY,
    sensitivity: str = Sensitivity.STANDARD,
    **kw: Any,
) -> Event:
    return Event.objects.create(
        child=child_,
        agency=agency_,
        event_type=event_type,
        sensitivity=sensitivity,
        occurred_at=kw.pop("occurred_at", datetime(2025, 10, 1, 9, 0, tzinfo=UTC)),
        summary=kw.pop("summary", f"{event_type} summary"),
        payload=kw.pop("payload", {"k": 1}),
        **kw,
    )


def agreement(
    parties: list[Agency],
    *,
    event_types: list[str] | None = None,
    purposes: list[str] | None = None,
    fields: list[str] | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    **kw: Any,
) -> SharingAgreement:
    n = next(_seq)
    a = SharingAgreement(
        code=kw.pop("code", f"agreement-{n}"),
        title=kw.pop("title", f"Agreement {n}"),
        purposes=purposes or [Purpose.SAFEGUARDING],
        article_6_basis=Article6Basis.PUBLIC_TASK,
        article_9_condition=kw.pop("article_9_condition", "DPA 2018 Sch. 1 para 18"),
        event_types=event_types or list(EventType.values),
        fields=fields if fields is not None else ["summary", "payload"],
        retention="Until age 25",
        starts_at=starts_at or timezone.now() - timedelta(days=30),
        review_at=date(2030, 1, 1),
        ends_at=ends_at,
        **kw,
    )
    a.full_clean()
    a.save()
    a.parties.set(parties)
    return a

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
    AgreementStatus,
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
    """A child of 12 (by default) on the day the test runs: ages are counted from the clock."""
    n = next(_seq)
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "given_name": "Alex",
        "family_name": f"Testchild{n}",
        "date_of_birth": today.replace(year=today.year - 12, day=min(today.day, 28)),
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
        # Before every day a test names or runs on: open for fixed `as_of` tests and for the clock.
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
        review_at=timezone.localdate() + timedelta(days=3 * 365),
        ends_at=ends_at,
        status=kw.pop("status", AgreementStatus.LIVE),
        **kw,
    )
    a.full_clean()
    a.save()
    a.parties.set(parties)
    return a


def indicator_run(**kw: Any) -> Any:
    from joinedup.indicators.models import IndicatorRun, RunStatus, RunTrigger

    defaults: dict[str, Any] = {
        "rule_set_version": "test-1",
        "rule_set_sha256": "0" * 64,
        "as_of": timezone.localdate(),
        "trigger": RunTrigger.ON_DEMAND,
        "status": RunStatus.FINISHED,
        "finished_at": timezone.now(),
    }
    defaults.update(kw)
    return IndicatorRun.objects.create(**defaults)


_RULE_DEFAULTS: dict[str, dict[str, Any]] = {
    "attendance-6-weeks": {
        "rule_name": "Attendance over the last 6 school weeks",
        "domain": "attendance",
        "unit": "%",
        "comparison": "<",
        "window_label": "Last 30 school days",
        "clears_when": "Attendance over the last 6 school weeks is 90 % or more.",
    },
    "police-domestic-abuse": {
        "rule_name": "Police domestic-abuse notification",
        "domain": "partner",
        "unit": "notifications",
        "comparison": ">=",
        "window_label": "Last 12 weeks",
        "clears_when": "No notification in the last 12 weeks.",
    },
    "escalation": {
        "rule_name": "Flags in two or more areas",
        "domain": "escalation",
        "unit": "areas",
        "comparison": ">=",
        "window_label": "Open flags now",
        "clears_when": "Fewer than two areas flagged.",
    },
}


def flag(
    child_: Child,
    *,
    rule_id: str = "attendance-6-weeks",
    level: str = "amber",
    value: float = 84.2,
    threshold: float = 90,
    run: Any = None,
    **kw: Any,
) -> Any:
    """An open flag as an indicator run would raise it. Attendance rules carry
    evidence["series"]; event rules evidence["items"]."""
    from decimal import Decimal

    from joinedup.indicators.models import Flag

    run = run or indicator_run()
    fields: dict[str, Any] = {
        "rule_name": rule_id.replace("-", " ").capitalize(),
        "domain": "attendance",
        "unit": "%",
        "comparison": "<",
        "window_label": "Test window",
        "clears_when": "The rule stops firing.",
    }
    fields.update(_RULE_DEFAULTS.get(rule_id, {}))
    if fields["domain"] == "attendance":
        evidence = {
            "series": [
                {"end": "2025-09-19", "value": 96.0},
                {"end": "2025-10-03", "value": 93.5},
                {"end": "2025-10-17", "value": value},
            ]
        }
    else:
        evidence = {"items": [{"date": "2025-10-10", "what": "Notification received"}]}
    fields.update(
        child=child_,
        rule_id=rule_id,
        rule_version="test-1",
        level=level,
        value=Decimal(str(value)),
        threshold=Decimal(str(threshold)),
        window_start=date(2025, 9, 8),
        window_end=date(2025, 10, 17),
        source="Test school attendance marks",
        data_date=date(2025, 10, 18),
        evidence=evidence,
        first_run=run,
        last_run=run,
    )
    fields.update(kw)
    return Flag.objects.create(**fields)


def source_record(child_: Child, agency_: Agency, **kw: Any) -> Any:
    """An agency's record of the child (a school's pupil record carries its attendance marks)."""
    from joinedup.people.models import SourceRecord

    n = next(_seq)
    return SourceRecord.objects.create(
        agency=agency_,
        record_id=kw.pop("record_id", f"R{n}"),
        child=child_,
        given_name=child_.given_name,
        family_name=child_.family_name,
        **kw,
    )

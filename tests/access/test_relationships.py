"""The legitimate-relationship rule's edges (docs/access-model.md), through the rule itself at a
fixed moment, and through the callers that read the clock (the child's record, the children a
viewer may search, joining a team around the child), with dates built from one `today`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from joinedup.access.break_glass import break_glass_grant, break_glass_review
from joinedup.access.children import access_child_by_id, visible_children
from joinedup.access.errors import ChildNotFound
from joinedup.access.relationships import (
    LIVE_REFERRAL_STATUSES,
    involvement_is_open,
    involvement_scope_q,
    live_break_glass_q,
    open_involvement_q,
    relationship_for,
)
from joinedup.access.tac import access_tac_by_id
from joinedup.governance.models import AgencyType, BreakGlassAccess, Purpose, Role
from joinedup.people.models import Involvement
from joinedup.referrals.models import ReferralStatus
from tests import factories as f
from tests.referrals import factories as rf
from tests.tac.factories import SAFEGUARDING, add, area, open_tac

pytestmark = pytest.mark.django_db

# The rule at a fixed moment: no wall clock.
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
DAY = timedelta(days=1)
REASON = "Police called: child reported missing from home overnight."

# (started_on, ended_on) relative to today -> open today?
INVOLVEMENT_EDGES = {
    "not yet started": ((1, None), False),
    "starts today": ((0, None), True),
    "ended today": ((-30, 0), True),  # open through its end date
    "ended yesterday": ((-30, -1), False),
    "open-ended": ((-30, None), True),
    "ends tomorrow": ((-30, 1), True),
}


@pytest.fixture
def at_now() -> Any:
    """The clock held at NOW, so that anything made on the way (a factory's dates) agrees with
    the moment the rule is asked about."""
    with time_machine.travel(NOW, tick=False):
        yield


def _days(today: date, offset: int | None) -> date | None:
    return None if offset is None else today + offset * DAY


def _involved(today: date, edge: str, **kw: Any) -> tuple[Any, Involvement]:
    (start, end), _ = INVOLVEMENT_EDGES[edge]
    school = f.agency(AgencyType.SCHOOL)
    dsl = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school)
    child = f.child()
    involvement = f.involvement(
        child, school, started_on=_days(today, start), ended_on=_days(today, end), **kw
    )
    return dsl, involvement


@pytest.mark.parametrize("edge", INVOLVEMENT_EDGES)
@pytest.mark.usefixtures("at_now")
def test_an_involvement_opens_the_record_only_while_open(edge: str) -> None:
    dsl, involvement = _involved(TODAY, edge)
    is_open = INVOLVEMENT_EDGES[edge][1]
    assert involvement_is_open(involvement, today=TODAY) is is_open
    in_q = Involvement.objects.filter(open_involvement_q(today=TODAY), pk=involvement.pk)
    assert in_q.exists() is is_open
    expected = "involvement" if is_open else None
    assert relationship_for(dsl, involvement.child_id, now=NOW) == expected


@pytest.mark.parametrize("edge", INVOLVEMENT_EDGES)
def test_the_child_page_and_search_follow_the_rule(edge: str) -> None:
    today = timezone.localdate()  # the one reading of the clock; every date is built from it
    dsl, involvement = _involved(today, edge)
    child = involvement.child
    is_open = INVOLVEMENT_EDGES[edge][1]
    assert visible_children(dsl, purpose=Purpose.SAFEGUARDING).filter(pk=child.pk).exists() is (
        is_open
    )
    if is_open:
        opened = access_child_by_id(dsl, child.child_id, purpose=Purpose.SAFEGUARDING)
        assert opened.relationship == "involvement"
    else:
        with pytest.raises(ChildNotFound):
            access_child_by_id(dsl, child.child_id, purpose=Purpose.SAFEGUARDING)


@pytest.mark.usefixtures("at_now")
def test_worker_team_and_agency_wide_involvements_connect_only_their_own() -> None:
    care = f.agency(AgencyType.SOCIAL_CARE)
    team, other_team = f.team(care), f.team(care)
    worker = f.staff(Role.SOCIAL_WORKER, care, other_team)
    teammate = f.staff(Role.SOCIAL_WORKER, care, team)
    colleague = f.staff(Role.SOCIAL_WORKER, care, other_team)
    child = f.child()
    f.involvement(child, care, team_=team, started_on=TODAY - 30 * DAY)
    f.involvement(child, care, worker=worker, started_on=TODAY - 30 * DAY)
    scope = {
        who: Involvement.objects.filter(involvement_scope_q(staff, today=TODAY)).count()
        for who, staff in [("worker", worker), ("teammate", teammate), ("colleague", colleague)]
    }
    assert scope == {"worker": 1, "teammate": 1, "colleague": 0}
    school = f.agency(AgencyType.SCHOOL)
    f.involvement(child, school, started_on=TODAY - 30 * DAY)  # on the roll: agency-wide
    teacher = f.staff(Role.TEACHER, school)
    assert relationship_for(teacher, child.pk, now=NOW) == "involvement"


def _grant(**kw: Any) -> BreakGlassAccess:
    school = f.agency(AgencyType.SCHOOL)
    dsl = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school)
    fields: dict[str, Any] = {
        "granted_at": NOW - DAY,
        "expires_at": NOW + DAY,
        "purpose": Purpose.SAFEGUARDING,
        "reason": REASON,
    }
    fields.update(kw)
    return BreakGlassAccess.objects.create(staff=dsl, child=f.child(), **fields)


@pytest.mark.parametrize(
    ("fields", "live"),
    [
        ({}, True),
        ({"expires_at": NOW}, False),  # expired at this very moment
        ({"expires_at": NOW - timedelta(seconds=1)}, False),
        ({"granted_at": NOW + timedelta(seconds=1)}, False),  # not granted yet
        ({"review_outcome": "Justified"}, True),
        ({"review_outcome": "Not justified: referred to the staff member's manager"}, False),
    ],
    ids=["live", "expires now", "expired", "not yet granted", "justified", "not justified"],
)
@pytest.mark.usefixtures("at_now")
def test_a_break_glass_grant_opens_the_record_while_live(fields: dict, live: bool) -> None:
    grant = _grant(**fields)
    assert (
        BreakGlassAccess.objects.filter(live_break_glass_q(now=NOW), pk=grant.pk).exists() is live
    )
    expected = "break_glass" if live else None
    assert relationship_for(grant.staff, grant.child_id, now=NOW) == expected


def test_break_glass_expired_or_found_not_justified_closes_the_child_page() -> None:
    now = timezone.now()  # the one reading of the clock
    school = f.agency(AgencyType.SCHOOL)
    dsl = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school)
    ig = f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, f.agency(AgencyType.SOCIAL_CARE))
    expired, judged, justified = f.child(), f.child(), f.child()
    grants = {
        child.pk: break_glass_grant(
            actor=dsl, child_id=child.child_id, reason=REASON, purpose=Purpose.SAFEGUARDING
        )
        for child in (expired, judged, justified)
    }
    BreakGlassAccess.objects.filter(pk=grants[expired.pk].pk).update(
        expires_at=now - timedelta(seconds=1)
    )
    break_glass_review(
        actor=ig, grant_id=grants[judged.pk].pk, outcome="not_justified", note="No emergency."
    )
    break_glass_review(actor=ig, grant_id=grants[justified.pk].pk, outcome="justified")
    for child in (expired, judged):
        with pytest.raises(ChildNotFound):
            access_child_by_id(dsl, child.child_id, purpose=Purpose.SAFEGUARDING)
    opened = access_child_by_id(dsl, justified.child_id, purpose=Purpose.SAFEGUARDING)
    assert opened.relationship == "break_glass"
    visible = set(visible_children(dsl, purpose=Purpose.SAFEGUARDING))
    assert visible == {justified}


def test_a_live_referral_is_a_relationship_with_the_referral_not_the_childs_record() -> None:
    assert set(LIVE_REFERRAL_STATUSES) == {
        ReferralStatus.SENT,
        ReferralStatus.ACKNOWLEDGED,
        ReferralStatus.ACCEPTED,
    }
    a = rf.area()
    referral = rf.in_status(a, ReferralStatus.ACKNOWLEDGED)
    assert referral.status in LIVE_REFERRAL_STATUSES
    assert relationship_for(a.worker, a.child.pk) is None  # ADR 0010: not before accepting
    with pytest.raises(ChildNotFound):
        access_child_by_id(a.worker, a.child.child_id, purpose=rf.EARLY_HELP)


def test_accepting_a_referral_opens_the_record_until_the_day_it_is_closed_ends() -> None:
    today = timezone.localdate()  # the one reading of the clock
    a = rf.area()
    referral = rf.in_status(a, ReferralStatus.CLOSED)
    involvement = Involvement.objects.get(pk=referral.involvement_id)
    assert involvement.ended_on == today
    assert access_child_by_id(a.worker, a.child.child_id, purpose=rf.EARLY_HELP)
    tomorrow = timezone.make_aware(datetime.combine(today + DAY, datetime.min.time()))
    assert relationship_for(a.worker, a.child.pk, now=tomorrow) is None


def test_a_member_whose_involvement_has_not_started_joins_with_one_that_has() -> None:
    today = timezone.localdate()  # the one reading of the clock
    a = area()
    tac = open_tac(a)
    planned = f.involvement(a["child"], a["health"], worker=a["nurse"], started_on=today + 7 * DAY)
    assert relationship_for(a["nurse"], a["child"].pk) is None
    member = add(a, tac, "nurse")
    assert member.involvement_created and member.involvement != planned
    assert member.involvement.started_on == today
    assert relationship_for(a["nurse"], a["child"].pk) == "involvement"
    assert access_tac_by_id(a["nurse"], tac.reference, purpose=SAFEGUARDING).is_member


def test_a_member_with_an_open_involvement_joins_with_it() -> None:
    today = timezone.localdate()  # the one reading of the clock
    a = area()
    tac = open_tac(a)
    started = f.involvement(a["child"], a["health"], worker=a["nurse"], started_on=today)
    member = add(a, tac, "nurse")
    assert member.involvement == started and not member.involvement_created

"""Which referrals, children and actions each section of the attention worklist holds, for
whom, and from when: a deadline is missed once a working day has passed after it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from joinedup.access.attention import attention_worklist, deadline_missed_before
from joinedup.governance.models import AgencyType
from joinedup.referrals.models import ReferralStatus
from joinedup.tac.models import ActionStatus
from tests import factories as f
from tests.notifications import area as area_
from tests.notifications import factories as nf

pytestmark = pytest.mark.django_db

FRI, SAT, SUN, MON = date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 23)


@pytest.fixture
def area() -> dict[str, Any]:
    return area_.build()


def refs(viewer: Any, section: str, today: date) -> list[str]:
    page = attention_worklist(viewer, purpose="safeguarding", section=section, today=today)
    return [i.reference for i in page.items]


def sent_to_front(area: dict[str, Any], **kw: Any) -> Any:
    return nf.referral(
        child=area["child"],
        by=area["dsl"],
        to_agency=area["social_care"],
        to_team=area["front"],
        **kw,
    )


def test_the_deadline_is_missed_after_the_next_working_day() -> None:
    assert deadline_missed_before(SAT) == FRI and deadline_missed_before(MON) == MON
    # Christmas 2026: Friday 25 and Monday 28 (Boxing Day substitute) are bank holidays.
    assert deadline_missed_before(date(2026, 12, 28)) == date(2026, 12, 24)


def test_acknowledge_by_friday_is_not_overdue_at_the_weekend_and_is_on_monday(area: dict) -> None:
    r = sent_to_front(area, acknowledge_by=FRI)
    for day in (FRI, SAT, SUN):
        assert refs(area["sw"], "unacknowledged-received", day) == [], day
    page = attention_worklist(
        area["sw"], purpose="safeguarding", section="unacknowledged-received", today=MON
    )
    assert [(i.reference, i.working_days, i.since) for i in page.items] == [(r.reference, 1, FRI)]
    assert page.counts["unacknowledged-received"] == 1


def test_a_bank_holiday_does_not_count(area: dict) -> None:
    sent_to_front(area, acknowledge_by=date(2026, 12, 24))
    for day in (date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 28)):
        assert refs(area["sw"], "unacknowledged-received", day) == [], day
    page = attention_worklist(
        area["sw"],
        purpose="safeguarding",
        section="unacknowledged-received",
        today=date(2026, 12, 29),
    )
    assert [i.working_days for i in page.items] == [1]
    # Summer bank holiday Monday 31 August 2026.
    sent_to_front(area, acknowledge_by=date(2026, 8, 28))
    assert refs(area["sw"], "unacknowledged-received", date(2026, 8, 31)) == []
    assert len(refs(area["sw"], "unacknowledged-received", date(2026, 9, 1))) == 1


def test_acknowledged_and_draft_referrals_are_not_overdue(area: dict) -> None:
    sent_to_front(area, status=ReferralStatus.ACKNOWLEDGED)
    sent_to_front(area, status=ReferralStatus.DRAFT)
    sent_to_front(area, status=ReferralStatus.ACCEPTED)
    assert refs(area["sw"], "unacknowledged-received", MON) == []
    assert refs(area["dsl"], "unacknowledged-sent", MON) == []


def test_each_side_sees_its_own_section_and_no_one_else_sees_either(area: dict) -> None:
    r = sent_to_front(area)
    assert refs(area["sw"], "unacknowledged-received", MON) == [r.reference]
    assert refs(area["manager"], "unacknowledged-received", MON) == [r.reference]
    assert refs(area["dsl"], "unacknowledged-sent", MON) == [r.reference]
    assert refs(area["sw"], "unacknowledged-sent", MON) == []
    assert refs(area["dsl"], "unacknowledged-received", MON) == []
    for outsider in ("sw_other", "stranger", "teacher", "analyst"):
        page = attention_worklist(area[outsider], purpose="safeguarding", today=MON)
        assert page.total == 0 and page.items == [], outsider


def test_a_referral_to_no_team_is_the_whole_receiving_agency_s(area: dict) -> None:
    r = nf.referral(child=area["child"], by=area["dsl"], to_agency=area["social_care"])
    assert refs(area["sw_other"], "unacknowledged-received", MON) == [r.reference]
    assert refs(area["stranger"], "unacknowledged-received", MON) == []


def test_declined_until_the_alternative_is_taken_up(area: dict) -> None:
    r = sent_to_front(area, status=ReferralStatus.DECLINED, decided_on=date(2026, 11, 17))
    page = attention_worklist(area["dsl"], purpose="safeguarding", section="declined", today=MON)
    assert [(i.reference, i.working_days) for i in page.items] == [(r.reference, 4)]
    assert refs(area["sw"], "declined", MON) == []
    assert refs(area["stranger"], "declined", MON) == []
    r.alternative_taken_up_at = nf.at(date(2026, 11, 19))
    r.save()
    assert refs(area["dsl"], "declined", MON) == []


def test_a_re_referral_is_listed_for_the_receivers_with_the_earlier_referral(area: dict) -> None:
    earlier = sent_to_front(area, status=ReferralStatus.CLOSED, sent_on=date(2026, 2, 2))
    again = sent_to_front(area, re_referral_of=earlier, acknowledge_by=date(2026, 11, 27))
    sent_to_front(area, acknowledge_by=date(2026, 11, 27))  # not a re-referral
    page = attention_worklist(area["sw"], purpose="safeguarding", section="re-referrals", today=MON)
    assert [(i.reference, i.earlier_reference) for i in page.items] == [
        (again.reference, earlier.reference)
    ]
    assert refs(area["dsl"], "re-referrals", MON) == []
    assert refs(area["sw_other"], "re-referrals", MON) == []
    again.status = ReferralStatus.ACCEPTED
    again.save()
    assert refs(area["sw"], "re-referrals", MON) == []


def test_two_agencies_and_no_lead_professional(area: dict) -> None:
    child = area["child"]
    f.involvement(child, area["school"], started_on=date(2025, 9, 1))
    f.involvement(child, area["social_care"], team_=area["front"], started_on=date(2026, 11, 16))
    page = attention_worklist(area["sw"], purpose="safeguarding", section="no-lead", today=MON)
    assert [(i.child_id, i.since, i.working_days) for i in page.items] == [
        (child.child_id, date(2026, 11, 16), 5)
    ]
    assert refs(area["dsl"], "no-lead", MON) == [child.child_id]  # agency-wide school roll
    # No relationship, or no WORK_IN_TAC: not shown.
    for outsider in ("stranger", "sw_other", "teacher"):
        assert refs(area[outsider], "no-lead", MON) == [], outsider
    f.involvement(child, area["social_care"], worker=area["sw"], lead=True)
    assert refs(area["sw"], "no-lead", MON) == []


def test_universal_involvements_do_not_make_a_child_multi_agency(area: dict) -> None:
    """A school roll and a health visitor's caseload are universal (level 1): with one
    targeted agency the child has one agency beyond universal provision, not two."""
    child = area["child"]
    health = f.agency(AgencyType.HEALTH, name="Community Health")
    f.involvement(child, area["school"], started_on=date(2025, 9, 1), level=1)
    f.involvement(child, health, started_on=date(2025, 10, 1), level=1)
    f.involvement(child, area["social_care"], team_=area["front"], started_on=date(2026, 11, 9))
    assert refs(area["sw"], "no-lead", MON) == []
    # A second agency beyond universal provision (a level, or none said): now two, and the
    # wait is counted from when that agency became involved, not from the school roll.
    f.involvement(child, health, started_on=date(2026, 11, 16), level=2)
    page = attention_worklist(area["sw"], purpose="safeguarding", section="no-lead", today=MON)
    assert [(i.child_id, i.since, i.working_days) for i in page.items] == [
        (child.child_id, date(2026, 11, 16), 5)
    ]


def test_one_agency_or_an_ended_involvement_does_not_need_a_lead_here(area: dict) -> None:
    child = area["child"]
    f.involvement(child, area["social_care"], team_=area["front"])
    f.involvement(child, area["social_care"], worker=area["sw_other"])
    f.involvement(child, area["school"], ended_on=date(2026, 10, 1))
    f.involvement(child, area["school"], started_on=date(2026, 12, 1))  # not started yet
    assert refs(area["sw"], "no-lead", MON) == []


def test_overdue_actions_for_their_owner_and_the_lead(area: dict) -> None:
    team = nf.tac(area["child"], opened_by=area["sw"], lead=area["sw"])
    mine = nf.action(team, owner=area["dsl"], due_on=FRI)
    nf.action(team, owner=area["dsl"], due_on=date(2026, 11, 16), status=ActionStatus.DONE)
    nf.action(team, owner=area["dsl"], due_on=date(2026, 11, 30))  # not due yet
    assert refs(area["dsl"], "actions", SAT) == []
    page = attention_worklist(area["dsl"], purpose="safeguarding", section="actions", today=MON)
    assert [(i.reference, i.child_id, i.working_days, i.detail) for i in page.items] == [
        (team.reference, area["child"].child_id, 1, mine.description)
    ]
    assert refs(area["sw"], "actions", MON) == [team.reference]  # the lead professional
    assert refs(area["manager"], "actions", MON) == []
    assert refs(area["stranger"], "actions", MON) == []
    team.closed_on = MON
    team.save()
    assert refs(area["dsl"], "actions", MON) == []

"""Meetings, the action plan, step up / step down and closing a team."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.access.relationships import relationship_for
from joinedup.chronology.models import Event, EventType
from joinedup.governance.models import AuditEvent
from joinedup.notifications.models import Notification
from joinedup.people.models import Involvement
from joinedup.referrals.models import ReferralStatus
from joinedup.tac.errors import TacNotFound
from joinedup.tac.models import LevelChange, TacAction, TacMeeting
from joinedup.tac.selectors import tac_actions_overdue_q
from joinedup.tac.services import (
    tac_action_update,
    tac_close,
    tac_level_change,
    tac_meeting_record,
)
from tests.tac.factories import SAFEGUARDING, add, area, meeting_args, open_tac, referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def a() -> dict:
    return area()


@pytest.fixture
def tac(a: dict):  # type: ignore[no-untyped-def]
    made = open_tac(a)
    add(a, made, "nurse")
    return made


def _meeting(a: dict, tac, by: str = "ehp", **kw):  # type: ignore[no-untyped-def]
    return tac_meeting_record(
        actor=a[by], purpose=SAFEGUARDING, reference=tac.reference, **meeting_args(a, **kw)
    )


def test_meeting_records_attendees_decisions_actions_and_a_plan_event(a: dict, tac) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    meeting = _meeting(
        a,
        tac,
        attendee_ids=[a["ehp"].pk, a["nurse"].pk],
        actions=[
            {"description": "Health review", "owner_id": a["nurse"].pk, "due_on": today},
            {"description": "Home visit", "owner_id": a["ehp"].pk, "due_on": today + timedelta(7)},
        ],
    )
    assert set(meeting.attendees.all()) == {a["ehp"], a["nurse"]}
    assert meeting.child_views == "I want to stay at my school."
    actions = list(TacAction.objects.filter(meeting=meeting))
    assert [(x.description, x.owner) for x in actions] == [
        ("Health review", a["nurse"]),
        ("Home visit", a["ehp"]),
    ]
    event = Event.objects.get(child=a["child"], event_type=EventType.PLAN)
    assert event.summary == "Team around the child meeting"
    assert event.payload == {"tac": tac.reference, "level": 2}
    assert event.agency == a["early_help"]
    # The owner who is not the recorder hears of it: reference and link, no child's name.
    notes = Notification.objects.filter(kind="tac.action")
    assert [n.recipient for n in notes] == [a["nurse"]]
    assert tac.reference in notes[0].subject and "Maisie" not in notes[0].subject
    assert notes[0].link == f"/tac/{tac.reference}/#action-{actions[0].pk}"
    entry = AuditEvent.objects.get(action="tac.meeting_record")
    assert entry.detail["actions"] == [x.pk for x in actions]


def test_meeting_says_every_problem_at_once_and_writes_nothing(a: dict, tac) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        _meeting(
            a,
            tac,
            held_on=today + timedelta(days=1),
            attendee_ids=[a["ehp"].pk, a["stranger"].pk],
            decisions=" ",
            actions=[
                {"description": "", "owner_id": a["teacher"].pk, "due_on": today + timedelta(1)},
                {"description": "Ok", "owner_id": a["nurse"].pk, "due_on": None},
            ],
        )
    assert exc.value.message_dict == {
        "held_on": ["The date of the meeting must be today or in the past."],
        "attendee_ids": ["Attendees must be current members of the team."],
        "decisions": ["Enter what the meeting decided."],
        "actions[0].description": ["Action 1: describe the action."],
        "actions[0].owner_id": ["Action 1: choose an owner who is a current member of the team."],
        "actions[1].due_on": ["Action 2: enter a real due date."],
    }
    assert not TacMeeting.objects.exists() and not TacAction.objects.exists()
    assert not Event.objects.filter(event_type=EventType.PLAN).exists()


def test_action_due_date_cannot_be_before_the_meeting(a: dict, tac) -> None:  # type: ignore[no-untyped-def]
    held = timezone.localdate() - timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        _meeting(
            a,
            tac,
            held_on=held,
            actions=[{"description": "x", "owner_id": a["ehp"].pk, "due_on": held - timedelta(1)}],
        )
    assert exc.value.message_dict == {
        "actions[0].due_on": [
            f"Action 1: the due date must be on or after the meeting ({held.day} {held:%B %Y})."
        ]
    }


def _one_action(a: dict, tac, owner: str = "nurse"):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    _meeting(a, tac, actions=[{"description": "Review", "owner_id": a[owner].pk, "due_on": today}])
    return TacAction.objects.get()


def test_owner_and_lead_may_update_an_action_others_may_not(a: dict, tac) -> None:  # type: ignore[no-untyped-def]
    action = _one_action(a, tac)
    add(a, tac, "dsl")
    with pytest.raises(ValidationError) as exc:
        tac_action_update(
            actor=a["dsl"], purpose=SAFEGUARDING, action_id=action.pk, status="done", note="x"
        )
    assert exc.value.messages == [
        f"Only the action's owner ({a['nurse']}) or the lead professional ({a['ehp']}) can "
        "update this action."
    ]
    with pytest.raises(ValidationError) as exc:
        tac_action_update(
            actor=a["nurse"], purpose=SAFEGUARDING, action_id=action.pk, status="done"
        )
    assert exc.value.message_dict == {
        "note": ["Enter a note saying what happened: an action marked done needs one."]
    }
    done = tac_action_update(
        actor=a["nurse"], purpose=SAFEGUARDING, action_id=action.pk, status="done", note="Seen"
    )
    assert done.status == "done" and done.completed_at and done.completion_note == "Seen"
    reopened = tac_action_update(
        actor=a["ehp"], purpose=SAFEGUARDING, action_id=action.pk, status="open", note=""
    )
    assert reopened.status == "open" and reopened.completed_at is None
    assert AuditEvent.objects.filter(action="tac.action_update", outcome="allowed").count() == 2


def test_an_action_outside_your_teams_is_not_found(a: dict, tac) -> None:  # type: ignore[no-untyped-def]
    action = _one_action(a, tac)
    for action_id in (action.pk, action.pk + 1000):
        with pytest.raises(TacNotFound):
            tac_action_update(
                actor=a["stranger"],
                purpose=SAFEGUARDING,
                action_id=action_id,
                status="done",
                note="x",
            )
    assert AuditEvent.objects.filter(action="tac.action_update", outcome="denied").count() == 2


def test_overdue_actions_filter(a: dict, tac) -> None:  # type: ignore[no-untyped-def]
    action = _one_action(a, tac)
    today = timezone.localdate()
    assert not TacAction.objects.filter(tac_actions_overdue_q(today)).exists()
    tomorrow = today + timedelta(days=1)
    assert list(TacAction.objects.filter(tac_actions_overdue_q(tomorrow))) == [action]
    TacAction.objects.filter(pk=action.pk).update(status="done")
    assert not TacAction.objects.filter(tac_actions_overdue_q(tomorrow)).exists()


def test_step_up_and_down_history_is_kept_in_order(a: dict, tac) -> None:  # type: ignore[no-untyped-def]
    joined = tac.members.get(worker=a["nurse"])
    assert joined.involvement_created and joined.involvement.level == 2  # the team's level
    for level, why in ((3, "Needs rising"), (4, "Risk of harm"), (2, "Stepped down")):
        tac_level_change(
            actor=a["ehp"],
            purpose=SAFEGUARDING,
            reference=tac.reference,
            to_level=level,
            reason=why,
        )
    history = list(LevelChange.objects.filter(tac=tac))
    assert [(c.from_level, c.to_level, c.direction, c.reason) for c in history] == [
        (2, 3, "step up", "Needs rising"),
        (3, 4, "step up", "Risk of harm"),
        (4, 2, "step down", "Stepped down"),
    ]
    tac.refresh_from_db()
    assert tac.level == 2
    assert AuditEvent.objects.filter(action="tac.level_change").count() == 3
    # The involvement joining created follows the team's level.
    tac_level_change(
        actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, to_level=3, reason="Up"
    )
    assert Involvement.objects.get(pk=joined.involvement_id).level == 3


def test_step_up_to_specialist_points_to_the_social_care_referral(a: dict, tac) -> None:  # type: ignore[no-untyped-def]
    referral(a, to="social_care", status=ReferralStatus.DRAFT, reference="R-DRAFT001")
    sent = referral(a, to="social_care", reference="R-SENT0001")
    referral(a, to="health", reference="R-HEALTH01")
    change = tac_level_change(
        actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, to_level=4, reason="Harm"
    )
    assert change.referral == sent


def test_level_change_rules(a: dict, tac) -> None:  # type: ignore[no-untyped-def]
    other_child = area()["child"]
    referral(a, child=other_child, reference="R-OTHER001")
    with pytest.raises(ValidationError) as exc:
        tac_level_change(
            actor=a["ehp"],
            purpose=SAFEGUARDING,
            reference=tac.reference,
            to_level=2,
            reason="",
            referral_reference="R-OTHER001",
        )
    assert exc.value.message_dict == {
        "to_level": ["The team is already at level 2 (early help)."],
        "reason": ["Enter why the level of need is changing."],
        "referral_reference": ["R-OTHER001 is not a sent referral about this child."],
    }
    assert not LevelChange.objects.exists()


def test_close_lists_open_actions_then_closes_and_ends_membership(a: dict, tac) -> None:  # type: ignore[no-untyped-def]
    action = _one_action(a, tac)
    with pytest.raises(ValidationError) as exc:
        tac_close(actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, reason="")
    errors = exc.value.message_dict
    assert errors["reason"] == ["Enter why the team is closing."]
    assert "“Review”" in errors["actions"][0] and str(a["nurse"]) in errors["actions"][0]
    tac_action_update(
        actor=a["nurse"], purpose=SAFEGUARDING, action_id=action.pk, status="cancelled", note="No"
    )
    tac_close(actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, reason="Needs met")
    tac.refresh_from_db()
    assert tac.closed_on == timezone.localdate() and tac.close_reason == "Needs met"
    assert not Involvement.objects.filter(child=a["child"], is_lead_professional=True).exists()
    assert relationship_for(a["nurse"], a["child"].pk) is None
    with pytest.raises(ValidationError) as exc:
        tac_level_change(
            actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, to_level=3, reason="x"
        )
    assert "was closed on" in exc.value.messages[0]

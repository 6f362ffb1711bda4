"""`demo-data load --via-import` ends with casework made through the real services: referrals
in every state, teams around the child and assessments, which the demo logins then see."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joinedup.access.attention import attention_counts
from joinedup.access.audit import audit_verify
from joinedup.assessments.models import Assessment, AssessmentStatus, MeasureScore
from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType
from joinedup.demo.generator import generate_area
from joinedup.demo.through_import import area_import_and_link
from joinedup.governance.models import AuditEvent, StaffUser
from joinedup.governance.working_days import add_working_days
from joinedup.notifications.models import Notification
from joinedup.referrals.models import Referral, ReferralOutcome, ReferralStatus
from joinedup.tac.models import ActionStatus, LevelChange, TacAction, TacMeeting, TeamAroundChild

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(settings: object, tmp_path: Path) -> dict:
    settings.VAR_DIR = tmp_path / "var"  # type: ignore[attr-defined]
    summary = area_import_and_link(generate_area(children=300, seed=21, schools=3), tmp_path / "a")
    return {"summary": summary, "casework": summary.casework}


TRANSITION_AUDITS = [
    f"referrals.{verb}"
    for verb in ("create", "send", "acknowledge", "accept", "decline", "close")
    + ("alternative_taken_up",)
]


def _ref(area: dict, name: str) -> Referral:
    return Referral.objects.get(reference=area["casework"].references[name])


def test_referrals_in_every_state_through_the_services(area: dict) -> None:
    casework = area["casework"]
    assert set(casework.referrals) == set(ReferralStatus.values)
    assert 22 <= sum(casework.referrals.values()) <= 30
    # Each change went through a service: one audit entry per transition.
    for referral in Referral.objects.all():
        verbs = AuditEvent.objects.filter(object_ref=referral.reference, outcome="allowed")
        assert verbs.filter(action__in=TRANSITION_AUDITS).count() == referral.transitions.count()
    assert Notification.objects.filter(kind="referrals.sent").exists()

    overdue = _ref(area, "dsl-overdue-sc")
    assert overdue.status == ReferralStatus.SENT and overdue.sent_at is not None
    assert overdue.acknowledge_by == add_working_days(timezone.localdate(overdue.sent_at), 1)
    assert overdue.transitions.get(to_status=ReferralStatus.SENT).at == overdue.sent_at
    # In the child's chronology the referral is dated when it was sent, not when seeded.
    for referral in Referral.objects.exclude(sent_at=None):
        event = Event.objects.get(
            event_type=EventType.REFERRAL, payload__reference=referral.reference
        )
        assert event.occurred_at == event.recorded_at == referral.sent_at, referral.reference

    taken_up, open_decline = _ref(area, "dsl-declined-taken-up"), _ref(area, "dsl-declined-open")
    assert taken_up.alternative_taken_up_at is not None and taken_up.alternative
    assert open_decline.status == ReferralStatus.DECLINED
    assert open_decline.alternative_taken_up_at is None

    nfa, again = _ref(area, "dsl-closed-nfa"), _ref(area, "dsl-re-referral")
    assert nfa.outcome == ReferralOutcome.NO_FURTHER_ACTION and nfa.closed_at is not None
    assert again.re_referral_of == nfa and again.child_id == nfa.child_id
    assert nfa.sent_at < nfa.decided_at < nfa.closed_at < again.sent_at  # type: ignore[operator]
    times = list(nfa.transitions.values_list("at", flat=True))
    assert times == sorted(times) and times[-1] == nfa.closed_at

    accepted = _ref(area, "dsl-accepted-eh")
    assert accepted.involvement is not None and accepted.attachments.count() == 1


def test_teams_assessments_and_the_demo_logins_worklists(area: dict, client: Client) -> None:
    assert TeamAroundChild.objects.count() == 3
    assert all(t.lead_professional_id for t in TeamAroundChild.objects.all())
    for team in TeamAroundChild.objects.all():
        assert team.members.values("agency").distinct().count() >= 2
    assert LevelChange.objects.filter(from_level=3, to_level=4, referral__isnull=False).exists()
    assert LevelChange.objects.filter(from_level=4, to_level=3).exists()
    statuses = set(TacMeeting.objects.values_list("actions__status", flat=True))
    assert {ActionStatus.OPEN, ActionStatus.DONE} <= statuses
    overdue = TacAction.objects.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())
    assert overdue.filter(owner__username="dsl").exists()
    assert Notification.objects.filter(kind="tac.action").exists()
    assert Assessment.objects.filter(form="eha-360", status=AssessmentStatus.COMPLETED).exists()
    assert MeasureScore.objects.filter(instrument__startswith="sdq").exists()
    _worklists_and_audit(area, client)


# Which sections each demo login finds something in (docs/worklists.md).
EXPECTED = {
    "dsl": {"unacknowledged-sent", "declined", "actions"},
    "team.manager": {"unacknowledged-received", "re-referrals"},
    "social.worker": {"unacknowledged-received", "re-referrals"},
    "eh.manager": {"unacknowledged-received"},
    "eh.practitioner": {"unacknowledged-received", "actions"},
    "police.officer": {"unacknowledged-sent", "declined"},
    "youth.worker": {"unacknowledged-sent"},
}


def _worklists_and_audit(area: dict, client: Client) -> None:
    for login, sections in EXPECTED.items():
        counts = attention_counts(StaffUser.objects.get(username=login))
        assert {name for name, n in counts.items() if n} >= sections, (login, counts)
    # The page, as the DSL and the social care front door see it.
    for login in ("dsl", "team.manager"):
        client.force_login(StaffUser.objects.get(username=login))
        page = client.get(reverse("worklist-attention"))
        assert page.status_code == 200
        assert area["casework"].references["dsl-overdue-sc"] in page.content.decode()
    assert audit_verify().ok

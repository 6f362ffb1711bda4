"""`joinedup attention remind`: who is reminded of what, once per item and deadline, and the
emails say a reference, never a name."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from joinedup.access.attention import SECTIONS
from joinedup.governance.models import AgencyType
from joinedup.notifications.models import Notification
from joinedup.people.models import Involvement
from joinedup.referrals.models import ReferralStatus
from tests import factories as f
from tests.notifications import area as area_
from tests.notifications import factories as nf

pytestmark = pytest.mark.django_db

MON = date(2026, 11, 23)


@pytest.fixture
def area() -> dict[str, Any]:
    a = area_.build()
    child = a["child"]
    kw = {"child": child, "by": a["dsl"], "to_agency": a["social_care"], "to_team": a["front"]}
    a["late"] = nf.referral(**kw, acknowledge_by=date(2026, 11, 20))
    a["declined"] = nf.referral(**kw, status=ReferralStatus.DECLINED, decided_on=date(2026, 11, 13))
    earlier = nf.referral(**kw, status=ReferralStatus.CLOSED, sent_on=date(2026, 2, 2))
    a["again"] = nf.referral(**kw, re_referral_of=earlier, acknowledge_by=date(2026, 11, 27))
    f.involvement(child, a["school"], started_on=date(2025, 9, 1))
    f.involvement(child, a["social_care"], worker=a["sw"], started_on=date(2026, 11, 2))
    team = nf.tac(child, opened_by=a["sw"], lead=a["manager"])
    a["action"] = nf.action(
        team, owner=a["dsl"], due_on=date(2026, 11, 19), description="Ask Zebedee's mum"
    )
    return a


def remind(capture: Any, as_of: date = MON) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("attention", "remind", "--as-of", as_of.isoformat(), stdout=out)
    return out.getvalue()


def keys(user: Any) -> set[str]:
    return set(Notification.objects.filter(recipient=user).values_list("dedupe_key", flat=True))


def test_everyone_is_reminded_of_their_own(
    area: dict, django_capture_on_commit_callbacks: Any
) -> None:
    output = remind(django_capture_on_commit_callbacks)
    late, declined, again = area["late"], area["declined"], area["again"]
    child_id = area["child"].child_id
    # The same keys as the worklist's sections: the referrer is told of their referral, the
    # receiving team of the one sent to them.
    sent = f"unacknowledged-sent:{late.reference}:2026-11-20"
    received = f"unacknowledged-received:{late.reference}:2026-11-20"
    action = f"actions:{area['action'].pk}:2026-11-19"
    assert keys(area["dsl"]) == {sent, f"declined:{declined.reference}", action}
    assert keys(area["sw"]) == {
        received,
        f"re-referrals:{again.reference}",
        f"no-lead:{child_id}:2026-11-02",
    }
    assert keys(area["manager"]) == {received, f"re-referrals:{again.reference}", action}
    assert keys(area["sw_other"]) == set() and keys(area["stranger"]) == set()
    assert "Referrals to you not acknowledged in time: 1 item, 2 new notifications" in output
    assert "Your referrals not acknowledged in time: 1 item, 1 new notification" in output
    assert "Team-around-the-child actions overdue: 1 item, 2 new notifications" in output
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {f"attention.{s}" for s in SECTIONS}


def test_no_lead_reminders_leave_universal_involvements_out(
    area: dict, django_capture_on_commit_callbacks: Any
) -> None:
    # The school's involvement is a roll (universal): social care alone is beyond it.
    Involvement.objects.filter(agency=area["school"]).update(level=1)
    remind(django_capture_on_commit_callbacks)
    assert not any(k.startswith("no-lead:") for k in keys(area["sw"]))
    # Early help joins: two agencies beyond universal provision, from the later start.
    early_help = f.agency(AgencyType.EARLY_HELP, name="Early Help")
    f.involvement(area["child"], early_help, started_on=date(2026, 11, 9), level=2)
    remind(django_capture_on_commit_callbacks)
    assert f"no-lead:{area['child'].child_id}:2026-11-09" in keys(area["sw"])
    body = Notification.objects.get(recipient=area["sw"], kind="attention.no-lead").body
    assert body.startswith("2 agencies have been involved") and "since 9 November 2026" in body


def test_running_twice_sends_nothing_new(
    area: dict, django_capture_on_commit_callbacks: Any
) -> None:
    remind(django_capture_on_commit_callbacks)
    sent, stored = len(mail.outbox), Notification.objects.count()
    assert sent == stored == 9  # 3 + 1 + 2 + 1 + 2, each recipient has an email address
    output = remind(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == sent and Notification.objects.count() == stored
    assert "0 new notifications in all." in output


def test_a_new_due_date_is_reminded_again(
    area: dict, django_capture_on_commit_callbacks: Any
) -> None:
    remind(django_capture_on_commit_callbacks)
    action = area["action"]
    action.due_on = date(2026, 11, 20)
    action.save()
    remind(django_capture_on_commit_callbacks)
    assert f"actions:{action.pk}:2026-11-20" in keys(area["dsl"])


def test_emails_name_no_child(area: dict, django_capture_on_commit_callbacks: Any) -> None:
    remind(django_capture_on_commit_callbacks)
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in ("Zebedee", "Quartermaine", "Not our service", "Try the youth service"):
            assert secret not in text
        assert "Sign in to joinedup" in message.body
    subjects = {m.subject for m in mail.outbox}
    assert f"joinedup: Your referral {area['late'].reference} not acknowledged in time" in subjects


def test_as_of_in_the_future_is_refused() -> None:
    with pytest.raises(CommandError, match="in the future"):
        call_command("attention", "remind", "--as-of", "2999-01-01", stdout=StringIO())


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("0001-01-01", "is before 1900-01-01"),
        ("2026-02-30", "is not a date"),
        ("9" * 5000, "is not a date"),
    ],
)
def test_as_of_that_is_not_a_usable_date_is_refused_with_why(value: str, why: str) -> None:
    with pytest.raises(CommandError, match=why):
        call_command("attention", "remind", "--as-of", value, stdout=StringIO())

"""The viewer's own notifications: unread first, marked read one at a time or all at once
(POST only, one's own only), the header's count, and emails that hold no child's name."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from joinedup.notifications.models import Notification
from joinedup.notifications.selectors import unread_count
from joinedup.notifications.services import notification_send
from tests.notifications import area as area_

pytestmark = pytest.mark.django_db

URL = "/notifications/"


@pytest.fixture
def area() -> dict[str, Any]:
    return area_.build()


def send(user: Any, n: int, key: str = "k") -> Notification:
    note = notification_send(
        recipient=user,
        kind="referrals.sent",
        subject=f"Referral R-TEST{n} received",
        link="/referrals/R-TEST/",
        dedupe_key=f"{key}:{n}",
    )
    assert note is not None
    return note


def test_unread_first_and_only_one_s_own(client: Client, area: dict) -> None:
    first, second = send(area["sw"], 1), send(area["sw"], 2)
    send(area["dsl"], 3)
    Notification.objects.filter(pk=second.pk).update(read_at=second.created_at)
    client.force_login(area["sw"])
    html = client.get(URL).content.decode()
    assert html.index("R-TEST1") < html.index("R-TEST2")
    assert "R-TEST3" not in html
    assert unread_count(area["sw"]) == 1 and unread_count(area["dsl"]) == 1
    assert first.pk


def test_mark_one_and_all_read(client: Client, area: dict) -> None:
    notes = [send(area["sw"], n) for n in range(3)]
    theirs = send(area["dsl"], 9)
    client.force_login(area["sw"])
    assert client.get(f"/notifications/{notes[0].pk}/read/").status_code == 405
    response = client.post(f"/notifications/{notes[0].pk}/read/")
    assert response.status_code == 302 and unread_count(area["sw"]) == 2
    client.post(f"/notifications/{theirs.pk}/read/")  # someone else's: untouched
    assert unread_count(area["dsl"]) == 1
    client.post("/notifications/read-all/")
    assert unread_count(area["sw"]) == 0 and unread_count(area["dsl"]) == 1


def test_unread_count_for_anyone_not_signed_in_is_zero() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert unread_count(AnonymousUser()) == 0


def test_the_same_key_is_sent_once(area: dict, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert send(area["sw"], 1, key="once")
        assert (
            notification_send(recipient=area["sw"], kind="x", subject="again", dedupe_key="once:1")
            is None
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sw@example.org"]


def test_a_bad_page_says_what_is_wrong(client: Client, area: dict) -> None:
    send(area["sw"], 1)
    client.force_login(area["sw"])
    for page, message in (("x", "Page must be a whole number"), ("4", "Page 4 does not exist")):
        response = client.get(URL, {"page": page})
        assert response.status_code == 400 and message in response.content.decode()

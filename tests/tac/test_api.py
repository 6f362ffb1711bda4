"""The team around the child over the API: same services, access and audit as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.governance.models import AuditEvent
from joinedup.tac.models import TacAction, TeamAroundChild
from tests.tac.factories import add, area, open_tac

pytestmark = pytest.mark.django_db


@pytest.fixture
def a() -> dict:
    return area()


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_open_then_read_a_team(a: dict) -> None:
    client = _client(a["ehp"])
    made = client.post(
        "/api/tac",
        {"child_id": a["child"].child_id, "level": 2, "lead_professional_id": a["ehp"].pk},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["level_label"] == "Early help"
    assert body["lead_professional"]["id"] == a["ehp"].pk
    assert [m["worker"]["id"] for m in body["members"]] == [a["ehp"].pk]
    read = client.get(f"/api/tac/{body['reference']}")
    assert read.status_code == 200 and read.json()["reference"] == body["reference"]
    assert TeamAroundChild.objects.get().reference == body["reference"]


def test_open_errors_are_422_by_field_and_strangers_get_404(a: dict) -> None:
    bad = _client(a["ehp"]).post(
        "/api/tac", {"child_id": a["child"].child_id, "level": 9}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json()["errors"]["level"][0].startswith("Choose a level of need")
    hidden = _client(a["stranger"]).post(
        "/api/tac", {"child_id": a["child"].child_id, "level": 2}, content_type="application/json"
    )
    assert hidden.status_code == 404 and hidden.json() == {"detail": "Not found."}


def test_record_a_meeting_and_update_an_action(a: dict) -> None:
    tac = open_tac(a)
    add(a, tac, "nurse")
    today = timezone.localdate()
    client = _client(a["ehp"])
    url = f"/api/tac/{tac.reference}/meetings"
    body = {
        "held_on": today.isoformat(),
        "attendee_ids": [a["ehp"].pk, a["nurse"].pk],
        "decisions": "Support continues.",
        "actions": [
            {
                "description": "Review",
                "owner_id": a["nurse"].pk,
                "due_on": (today - timedelta(days=1)).isoformat(),
            }
        ],
    }
    bad = client.post(url, body, content_type="application/json")
    assert bad.status_code == 422
    assert list(bad.json()["errors"]) == ["actions[0].due_on"]
    body["actions"][0]["due_on"] = today.isoformat()
    ok = client.post(url, body, content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["meetings"][0]["decisions"] == "Support continues."
    action = TacAction.objects.get()
    no_note = _client(a["nurse"]).post(
        f"/api/tac/actions/{action.pk}", {"status": "done"}, content_type="application/json"
    )
    assert no_note.status_code == 422 and "note" in no_note.json()["errors"]
    done = _client(a["nurse"]).post(
        f"/api/tac/actions/{action.pk}",
        {"status": "done", "note": "Seen in clinic"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    stranger = _client(a["stranger"]).post(
        f"/api/tac/actions/{action.pk}",
        {"status": "cancelled", "note": "x"},
        content_type="application/json",
    )
    assert stranger.status_code == 404 and stranger.json() == {"detail": "Not found."}
    assert AuditEvent.objects.filter(action="tac.action_update", outcome="denied").count() == 1

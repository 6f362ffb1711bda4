"""The referrals API: a round trip from draft to closed over HTTP, through the same access layer
and services as the pages; forbidden == missing; errors name their fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from joinedup.governance.models import AuditEvent
from joinedup.people.models import Involvement
from joinedup.referrals.models import Referral
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def _body(a: rf.Area, **changes: Any) -> dict[str, Any]:
    fields = rf.complete_fields(a, **changes)
    fields["details"] = {
        **fields["details"],
        "date_of_birth": fields["details"]["date_of_birth"].isoformat(),
    }
    return fields


def test_round_trip_from_draft_to_closed(client: Client) -> None:
    a = rf.area()
    client.force_login(a.dsl)
    created = _post(
        client, "/api/referrals", _body(a, sender_term="Safeguarding concern", level=None)
    )
    assert created.status_code == 201, created.content
    body = created.json()
    ref = body["referral"]["reference"]
    assert body["referral"]["status"] == "draft"
    assert body["referral"]["side"] == "sender"
    assert set(body["referral"]["actions"]) == {"edit", "send"}
    assert (body["referral"]["sender_term"], body["referral"]["level"]) == (
        "Safeguarding concern",
        3,
    )
    assert body["referral"]["level_label"] == "Targeted"
    assert body["referral"]["needs"] == [
        {
            "code": "eha.emotional",
            "label": "Emotional and behavioural development",
            "scheme": "Early Help Assessment domain",
        }
    ]
    # No linkage model yet: the draft is saved and the match says why it cannot answer.
    assert body["match"]["candidates"] == [] and "joinedup link" in body["match"]["unavailable"]

    edited = _post(
        client,
        f"/api/referrals/{ref}/edit",
        {"what_tried": "Mentoring.", "details": {"postcode": "zz9 9zz"}},
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["what_tried"] == "Mentoring." and edited.json()["postcode"] == "ZZ9 9ZZ"
    sent = _post(client, f"/api/referrals/{ref}/send", {})
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "sent" and sent.json()["acknowledge_by"]
    assert sent.json()["child_id"] == a.child.child_id  # the sender may open this child

    client.force_login(a.worker)
    inbox = client.get("/api/referrals", {"box": "received", "status": "sent,acknowledged"})
    assert [r["reference"] for r in inbox.json()] == [ref]
    detail = client.get(f"/api/referrals/{ref}").json()
    assert detail["side"] == "receiver" and detail["child_id"] is None
    assert detail["given_name"] == "Maya"  # what the sender typed, not the child's record
    assert client.get(f"/api/children/{a.child.child_id}").status_code == 404

    assert _post(client, f"/api/referrals/{ref}/acknowledge", {"note": "Seen"}).status_code == 200
    accepted = _post(client, f"/api/referrals/{ref}/accept", {"worker_id": a.worker.pk})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["child_id"] == a.child.child_id
    assert client.get(f"/api/children/{a.child.child_id}").status_code == 200
    closed = _post(client, f"/api/referrals/{ref}/close", {"outcome": "needs_met", "note": "Done"})
    assert closed.status_code == 200
    history = [(h["from_status"], h["to_status"]) for h in closed.json()["history"]]
    assert history == [
        ("", "draft"),
        ("draft", "sent"),
        ("sent", "acknowledged"),
        ("acknowledged", "accepted"),
        ("accepted", "closed"),
    ]
    actions = list(
        AuditEvent.objects.filter(object_ref=ref, outcome="allowed").values_list(
            "action", flat=True
        )
    )
    for verb in ("create", "update", "send", "acknowledge", "accept", "close", "view"):
        assert f"referrals.{verb}" in actions


def test_forbidden_and_missing_answer_the_same_404(client: Client) -> None:
    a = rf.area()
    ref = rf.in_status(a, "sent").reference
    client.force_login(a.officer)
    before = AuditEvent.objects.filter(outcome="denied").count()
    for path in ("/api/referrals/{}",):
        forbidden = client.get(path.format(ref))
        missing = client.get(path.format("R-MISSING2"))
        assert forbidden.status_code == missing.status_code == 404
        assert forbidden.content == missing.content
    for verb in (
        "send",
        "acknowledge",
        "accept",
        "decline",
        "close",
        "alternative-taken-up",
        "edit",
    ):
        forbidden = _post(
            client, f"/api/referrals/{ref}/{verb}", {"reason": "x", "alternative": "y"}
        )
        missing = _post(
            client, f"/api/referrals/R-MISSING2/{verb}", {"reason": "x", "alternative": "y"}
        )
        assert forbidden.status_code == missing.status_code == 404, verb
        assert forbidden.content == missing.content
    assert AuditEvent.objects.filter(outcome="denied").count() == before + 2 + 14
    assert Referral.objects.get(reference=ref).status == "sent"


def test_errors_name_their_fields(client: Client) -> None:
    a = rf.area()
    client.force_login(a.dsl)
    bad = _post(client, "/api/referrals", _body(a, level=7, needs=["eha.nope"]))
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"level", "needs"}
    assert not Referral.objects.exists()

    draft = _post(
        client, "/api/referrals", {"to_agency_id": a.early_help.pk, "to_team_id": a.team.pk}
    )
    ref = draft.json()["referral"]["reference"]
    missing = _post(client, f"/api/referrals/{ref}/send", {})
    assert missing.status_code == 422
    assert {
        "given_name",
        "family_name",
        "date_of_birth",
        "level",
        "needs",
        "reason",
        "consent",
    } == set(missing.json()["errors"])
    bad_dob = _post(
        client, f"/api/referrals/{ref}/edit", {"details": {"date_of_birth": "31/02/2015"}}
    )
    assert bad_dob.status_code == 422 and "date_of_birth" in bad_dob.json()["errors"]


def test_a_refused_transition_says_why(client: Client) -> None:
    a = rf.area()
    ref = rf.in_status(a, "sent").reference
    client.force_login(a.dsl)
    refused = _post(client, f"/api/referrals/{ref}/accept", {})
    assert refused.status_code == 409
    assert (
        refused.json()["detail"]
        == f"Referral {ref} is sent: only the receiving team can accept it."
    )
    client.force_login(a.worker)
    declined = _post(client, f"/api/referrals/{ref}/decline", {"reason": "Not ours"})
    assert declined.status_code == 422 and "alternative" in declined.json()["errors"]
    assert not Involvement.objects.filter(agency=a.early_help).exists()


def test_a_teacher_cannot_make_referrals(client: Client) -> None:
    a = rf.area()
    client.force_login(a.teacher)
    response = _post(client, "/api/referrals", _body(a, child_id=""))
    assert response.status_code == 403
    assert "designated safeguarding lead" in response.json()["detail"]
    assert client.get("/api/referrals", {"box": "sent"}).json() == []


def test_list_rejects_unknown_boxes_and_statuses(client: Client) -> None:
    a = rf.area()
    client.force_login(a.worker)
    assert client.get("/api/referrals", {"box": "outbox"}).status_code == 400
    bad = client.get("/api/referrals", {"status": "sent,lost"})
    assert bad.status_code == 400 and "lost" in bad.json()["detail"]

"""GET /api/children/{child_id}/flags: the same as the page, denied and audited the same way."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from joinedup.governance.models import AuditEvent
from tests.indicators import worklist_area

pytestmark = pytest.mark.django_db


@pytest.fixture
def area() -> dict[str, Any]:
    return worklist_area.build()


def test_api_returns_what_the_page_shows(client: Client, area: dict) -> None:
    client.force_login(area["dsl_a"])
    child_id = area["a1"].child_id
    client.post(f"/worklist/{child_id}/", {"decision": "monitor", "reason": "Weekly check"})
    body = client.get(f"/api/children/{child_id}/flags").json()
    page = client.get(f"/worklist/{child_id}/").content.decode()
    assert body["child_id"] == child_id and body["purpose"] == "safeguarding"
    assert {fl["id"] for fl in body["open"]} == {area["a1_att"].pk, area["a1_police"].pk}
    for flag in body["open"]:
        assert f'id="flag-{flag["id"]}"' in page
        assert flag["statement"] in page
        assert flag["trend_text"] in page
        assert flag["decisions"][0]["reason"] == "Weekly check"
    attendance = next(fl for fl in body["open"] if fl["rule_id"] == "attendance-6-weeks")
    assert attendance["statement"] == "84.2 % is below 90 %"
    assert attendance["value"] == 84.2 and attendance["threshold"] == 90.0
    assert attendance["trend"][-1] == {"end": "2025-10-17", "value": 84.2}
    assert body["withheld"] == 0 and body["cleared"] == []
    assert body["decisions"][0]["flag_ids"] == sorted(fl["id"] for fl in body["open"])
    assert "score" not in str(body).lower()


def test_api_withholds_what_the_page_withholds(client: Client, area: dict) -> None:
    client.force_login(area["eh_worker"])
    body = client.get(f"/api/children/{area['a1'].child_id}/flags?purpose=early_help").json()
    assert [fl["rule_id"] for fl in body["open"]] == ["attendance-6-weeks"]
    assert body["withheld"] == 1


def test_api_is_denied_the_same_way(client: Client, area: dict) -> None:
    client.force_login(area["stranger"])
    forbidden = client.get(f"/api/children/{area['a1'].child_id}/flags")
    missing = client.get("/api/children/C-MISSING2/flags")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    assert AuditEvent.objects.filter(actor=area["stranger"], outcome="denied").count() == 2
    assert not AuditEvent.objects.filter(actor=area["stranger"], action="flags.list").exists()


def test_api_read_is_audited(client: Client, area: dict) -> None:
    client.force_login(area["dsl_b"])
    assert client.get(f"/api/children/{area['b1'].child_id}/flags").status_code == 200
    actions = set(
        AuditEvent.objects.filter(actor=area["dsl_b"], child_ref=area["b1"].child_id).values_list(
            "action", flat=True
        )
    )
    assert actions == {"children.view", "flags.list"}


def test_api_refuses_a_purpose_the_role_does_not_have(client: Client, area: dict) -> None:
    client.force_login(area["dsl_a"])
    response = client.get(f"/api/children/{area['a1'].child_id}/flags?purpose=health_care")
    assert response.status_code == 400


def test_api_needs_sign_in(client: Client, area: dict) -> None:
    assert client.get(f"/api/children/{area['a1'].child_id}/flags").status_code == 401


def test_api_records_a_decision_as_the_page_does(client: Client, area: dict) -> None:
    client.force_login(area["dsl_a"])
    child_id = area["a1"].child_id
    url = f"/api/children/{child_id}/flags/decisions"
    made = client.post(
        url, {"decision": "offer_support", "reason": "Mum asked for help"}, "application/json"
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["decision"] == "offer_support" and body["reason"] == "Mum asked for help"
    assert body["flag_ids"] == sorted([area["a1_att"].pk, area["a1_police"].pk])
    assert body["decided_by"] == area["dsl_a"].display_name
    page = client.get(f"/worklist/{child_id}/").content.decode()
    assert "Mum asked for help" in page
    entry = AuditEvent.objects.get(action="flags.decide", outcome="allowed")
    assert entry.child_ref == child_id and entry.detail["decision"] == "offer_support"

    # Each field that is wrong is named; nothing is written.
    bad = client.post(url, {"decision": "escalate", "reason": " "}, "application/json")
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"decision", "reason"}
    assert "Enter the reason for your decision." in bad.json()["detail"]
    assert AuditEvent.objects.filter(action="flags.decide").count() == 1


def test_api_decisions_are_refused_as_on_the_page(client: Client, area: dict) -> None:
    child_id = area["a1"].child_id
    url = f"/api/children/{child_id}/flags/decisions"
    body = {"decision": "monitor", "reason": "Weekly check"}
    client.force_login(area["stranger"])
    assert client.post(url, body, "application/json").status_code == 404
    client.force_login(area["teacher_a"])
    refused = client.post(url, body, "application/json")
    assert refused.status_code == 403
    assert "cannot record decisions on flags" in refused.json()["detail"]
    assert AuditEvent.objects.filter(
        action="flags.decide", outcome="denied", actor=area["teacher_a"]
    ).exists()

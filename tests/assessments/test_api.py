"""The assessments API: the same services, validation and access as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from joinedup.governance.models import AuditEvent
from tests.assessments.factories import ap_answers, area

pytestmark = pytest.mark.django_db


@pytest.fixture
def a(client: Client) -> dict[str, Any]:
    data = area()
    client.force_login(data["ehp"])
    return data


def _post(client: Client, url: str, body: dict) -> Any:
    return client.post(url, body, content_type="application/json")


def test_create_a_draft_then_complete_it(a: dict, client: Client) -> None:
    child_id = a["child"].child_id
    r = _post(
        client,
        "/api/assessments",
        {"child_id": child_id, "form": "ap-profile", "answers": {"interests": "Music"}},
    )
    assert r.status_code == 201 and r.json()["status"] == "draft"
    ref = r.json()["reference"]
    r = _post(client, "/api/assessments", {"reference": ref, "complete": True})
    assert r.status_code == 422
    assert r.json()["errors"]["aspirations"] == (
        "Aspirations, in their own words: enter what they said they want, in their words"
    )
    r = _post(
        client, "/api/assessments", {"reference": ref, "complete": True, "answers": ap_answers()}
    )
    assert r.status_code == 200 and r.json()["status"] == "completed"
    got = client.get(f"/api/assessments/{ref}").json()
    assert got["answers"]["strategies_that_work"] == "Clear routines; a quiet space."
    listed = client.get(f"/api/assessments?child_id={child_id}").json()
    assert [x["reference"] for x in listed["assessments"]] == [ref]
    assert AuditEvent.objects.filter(action="assessments.list", child_ref=child_id).exists()


def test_bad_answers_are_422_with_a_message_per_question(a: dict, client: Client) -> None:
    r = _post(
        client,
        "/api/assessments",
        {
            "child_id": a["child"].child_id,
            "form": "eha-360",
            "answers": {"level": 9, "colour": "red"},
        },
    )
    assert r.status_code == 422
    assert r.json()["errors"] == {
        "level": "Level of need found: must be a whole number from 1 to 4",
        "colour": "'colour' is not a question of Early help assessment (360) (version 1)",
    }


def test_a_child_you_may_not_see_is_404_like_a_missing_one(a: dict, client: Client) -> None:
    client.force_login(a["stranger"])
    forbidden = client.get(f"/api/assessments?child_id={a['child'].child_id}")
    missing = client.get("/api/assessments?child_id=C-MISSING2")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    r = _post(
        client,
        "/api/assessments/measures",
        {
            "child_id": a["child"].child_id,
            "instrument": "swemwbs",
            "scores": {"total": 20},
            "administered_on": "2026-03-01",
        },
    )
    assert r.status_code == 404


def test_record_a_measure(a: dict, client: Client) -> None:
    body = {
        "child_id": a["child"].child_id,
        "instrument": "swemwbs",
        "scores": {"total": 31},
        "administered_on": "2026-03-01",
        "bands": {"total": "made up"},
    }
    r = _post(client, "/api/assessments/measures", body)
    assert r.status_code == 201
    assert r.json()["bands"] == {"total": "High wellbeing"}
    assert r.json()["scores"] == {"total": 31, "total_converted": 28.13}
    r = _post(client, "/api/assessments/measures", {**body, "scores": {"total": 36}})
    assert r.status_code == 422
    assert r.json()["errors"] == {"total": "Raw total: must be a whole number from 7 to 35"}

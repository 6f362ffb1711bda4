"""POST /api/children/match: the same matching service, through the same access layer."""

from __future__ import annotations

import pytest
from django.test import Client

from joinedup.governance.models import AuditEvent, Role
from tests import factories as f
from tests.people.test_matching import (
    Trained,
    _child_people,
    load_linked,
    query_of,
    train_area,
    viewer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def trained() -> Trained:
    return train_area()


def test_match_returns_visible_candidates_and_hidden_count(
    client: Client, trained: Trained
) -> None:
    child_of = load_linked(trained)
    people = _child_people(trained)
    person, other = people[2], people[7]
    viewer = viewer_of(child_of[person.person_id])
    client.force_login(viewer)

    response = client.post("/api/children/match", query_of(person), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["candidates"][0]["child_id"] == child_of[person.person_id].child_id
    assert body["candidates"][0]["evidence"]
    assert body["hidden_matches"] == 0 and body["hidden_message"] == ""

    response = client.post("/api/children/match", query_of(other), content_type="application/json")
    body = response.json()
    assert child_of[other.person_id].child_id not in {c["child_id"] for c in body["candidates"]}
    assert body["hidden_matches"] >= 1 and "safeguarding hub" in body["hidden_message"]
    assert AuditEvent.objects.filter(action="children.match", actor=viewer).count() == 2


def test_match_needs_a_name_dob_or_identifier(client: Client) -> None:
    client.force_login(f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency()))
    response = client.post("/api/children/match", {"sex": "F"}, content_type="application/json")
    assert response.status_code == 400
    assert "at least a name" in response.json()["detail"]
    response = client.post(
        "/api/children/match",
        {"given_name": "Ann", "purpose": "marketing"},
        content_type="application/json",
    )
    assert response.status_code == 400


def test_match_before_any_link_run_says_so(client: Client) -> None:
    client.force_login(f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency()))
    response = client.post(
        "/api/children/match", {"given_name": "Ann"}, content_type="application/json"
    )
    assert response.status_code == 503
    assert "joinedup link" in response.json()["detail"]


def test_match_needs_sign_in(client: Client) -> None:
    response = client.post(
        "/api/children/match", {"given_name": "Ann"}, content_type="application/json"
    )
    assert response.status_code == 401

""" "Is this child known?" on the referral form: the htmx fragment and the panel on the page,
against a trained link model (trained once for the module, as in tests/api/test_matching_api)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from joinedup.governance.models import AuditEvent
from tests.people.test_matching import (
    Trained,
    _child_people,
    load_linked,
    train_area,
    viewer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def trained() -> Trained:
    return train_area()


def typed(person: Any, **changes: str) -> dict[str, str]:
    """Section 1 of the referral form as the browser posts it."""
    dob = person.date_of_birth
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth_0": str(dob.day),
        "date_of_birth_1": str(dob.month),
        "date_of_birth_2": str(dob.year),
        "sex": person.sex,
    }
    data.update(changes)
    return data


def test_the_panel_offers_the_child_the_sender_works_with(trained: Trained) -> None:
    child_of = load_linked(trained)
    person = _child_people(trained)[2]
    child = child_of[person.person_id]
    viewer = viewer_of(child)
    client = Client()
    client.force_login(viewer)

    response = client.post("/referrals/match/", typed(person))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body  # a fragment for htmx to swap in
    assert f'name="child_id" type="radio" value="{child.child_id}"' in body
    assert "Very likely" in body and "same date of birth" in body
    assert child.full_name in body
    assert "None of these, or I am not sure" in body
    event = AuditEvent.objects.get(action="children.match", actor=viewer)
    assert event.detail["results"][0] == child.child_id

    # The choice survives the next keystroke's re-render.
    again = client.post("/referrals/match/", typed(person, child_id=child.child_id))
    assert f'value="{child.child_id}" checked' in again.content.decode()


def test_a_likely_match_the_sender_may_not_see_is_only_counted(trained: Trained) -> None:
    child_of = load_linked(trained)
    people = _child_people(trained)
    client = Client()
    client.force_login(viewer_of(child_of[people[0].person_id]))
    hidden = child_of[people[5].person_id]

    body = client.post("/referrals/match/", typed(people[5])).content.decode()
    assert hidden.child_id not in body
    assert "A possible match exists that you cannot see; ask the safeguarding hub." in body


def test_a_half_typed_date_still_matches_on_the_rest(trained: Trained) -> None:
    child_of = load_linked(trained)
    person = _child_people(trained)[4]
    child = child_of[person.person_id]
    client = Client()
    client.force_login(viewer_of(child))
    body = client.post("/referrals/match/", typed(person, date_of_birth_2="20")).content.decode()
    assert child.child_id in body


def test_too_little_typed_and_no_model_yet() -> None:
    from tests import factories as f

    client = Client()
    client.force_login(f.staff(agency_=f.agency()))
    hint = client.post("/referrals/match/", {"sex": "F"}).content.decode()
    assert 'data-state="empty"' in hint and "Type the child's name" in hint
    assert not AuditEvent.objects.filter(action="children.match").exists()

    body = client.post("/referrals/match/", {"given_name": "Ann"}).content.decode()
    assert 'data-state="unavailable"' in body and "Matching is not available yet" in body
    assert client.get("/referrals/match/").status_code == 405


def test_the_form_page_keeps_the_match_and_the_choice_after_an_error(trained: Trained) -> None:
    child_of = load_linked(trained)
    person = _child_people(trained)[2]
    child = child_of[person.person_id]
    client = Client()
    client.force_login(viewer_of(child))
    page = client.post(
        "/referrals/new/", {**typed(person), "child_id": child.child_id, "intent": "send"}
    ).content.decode()
    assert "There is a problem" in page
    assert f'value="{child.child_id}" checked' in page
    assert 'hx-post="/referrals/match/"' in page and 'hx-trigger="keyup changed delay:400ms' in page

"""Making a referral asks "is this child known?" with the real-time match; sending links the
referral to the child the person index is sure of, without showing a child the sender may not
see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from joinedup.governance.models import AgencyType, AuditEvent, Role
from joinedup.people.models import Child, SourceRecord
from joinedup.referrals.models import Referral
from tests import factories as f
from tests.people.test_matching import Trained, _child_people, load_linked, train_area, viewer_of

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def trained() -> Trained:
    return train_area()


def _body(person: Any, agency_id: int, **changes: Any) -> dict[str, Any]:
    body = {
        "details": {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth.isoformat(),
            "sex": person.sex,
        },
        "to_agency_id": agency_id,
        "level": 2,
        "needs": ["eha.health"],
        "reason": "Concern about weight.",
        "consent": "given",
    }
    body.update(changes)
    return body


def test_create_shows_the_match_and_send_links_the_certain_child(
    client: Client, trained: Trained
) -> None:
    child_of = load_linked(trained)
    people = _child_people(trained)
    known, hidden = people[2], people[7]
    sender = viewer_of(child_of[known.person_id])
    early_help = f.agency(AgencyType.EARLY_HELP)
    f.staff(Role.EARLY_HELP_PRACTITIONER, early_help)
    client.force_login(sender)

    response = client.post(
        "/api/referrals", _body(known, early_help.pk), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    match = response.json()["match"]
    assert match["candidates"][0]["child_id"] == child_of[known.person_id].child_id
    assert match["candidates"][0]["evidence"] and match["unavailable"] == ""

    response = client.post(
        "/api/referrals", _body(hidden, early_help.pk), content_type="application/json"
    )
    match = response.json()["match"]
    hidden_child = child_of[hidden.person_id]
    assert hidden_child.child_id not in {c["child_id"] for c in match["candidates"]}
    assert match["hidden_matches"] >= 1 and "safeguarding hub" in match["hidden_message"]
    assert AuditEvent.objects.filter(action="children.match", actor=sender).count() == 2

    # Sending without choosing: the index is certain, so the referral joins that child, and
    # the sender is still not shown who it is.
    ref = response.json()["referral"]["reference"]
    children = Child.objects.count()
    sent = client.post(f"/api/referrals/{ref}/send", {}, content_type="application/json")
    assert sent.status_code == 200, sent.content
    assert sent.json()["child_id"] is None
    assert Referral.objects.get(reference=ref).child == hidden_child
    assert Child.objects.count() == children
    assert not SourceRecord.objects.filter(record_id=ref).exists()
    audit = AuditEvent.objects.get(action="referrals.send", object_ref=ref)
    assert audit.detail["child"] == "matched"

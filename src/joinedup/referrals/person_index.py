"""Which child a sent referral is about, and the referral's entry in the child's chronology.

When sending, the child is (in order): the one the sender chose from the match (a child they
may see); else the server-side match's single candidate with probability >= 0.99 (the same
threshold `joinedup link` merges at, `linkage.thresholds.MATCH_THRESHOLD`; two such
candidates — twins — are not guessed between); else a new child in the person index, with a
source record of the referring agency whose record id is the referral's reference, as an
import adds a record the linkage has not seen (people.linking). The next link run treats that
record like any other, and may propose a merge for review.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from joinedup.access.referrals import referral_chosen_child, referral_index_child
from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType, default_sensitivity
from joinedup.governance.models import StaffUser
from joinedup.linkage.thresholds import MATCH_THRESHOLD
from joinedup.needs.selectors import area_vocabulary
from joinedup.people.linking import identifiers_for
from joinedup.people.models import Child, LinkRun, SourceRecord
from joinedup.referrals.models import Referral


def _query(referral: Referral) -> dict[str, str]:
    query = {
        "given_name": referral.given_name,
        "family_name": referral.family_name,
        "date_of_birth": referral.date_of_birth.isoformat() if referral.date_of_birth else "",
        "sex": referral.sex,
        "postcode": referral.postcode,
        "address": referral.address,
        "nhs_number": referral.nhs_number,
        "upn": referral.upn,
    }
    return {k: v for k, v in query.items() if v}


def strong_match(referral: Referral) -> Child | None:
    """The one child the person index is all but certain these details describe, or None."""
    # The system-wide index behind people.matching.child_match (which filters to what a viewer
    # may see); the candidate is linked, never shown.
    from joinedup.people.matching import _candidate_index

    run = LinkRun.objects.exclude(model_json="").order_by("-started_at", "-pk").first()
    query = _query(referral)
    if run is None or not query:
        return None
    found = _candidate_index(run).match(query, top=2)
    strong = [c for c in found if c.match_probability >= MATCH_THRESHOLD]
    if len(strong) != 1:
        return None
    return referral_index_child(strong[0].cluster_id)


def child_for_send(referral: Referral, *, actor: StaffUser, purpose: str) -> tuple[Child, str]:
    """(the child, how: "chosen" | "matched" | "new"); ValidationError when a new child cannot
    be added to the index from these details."""
    if referral.child is not None:
        chosen = referral_chosen_child(actor, referral.child.child_id, purpose=purpose)
        if chosen is None:
            raise ValidationError(
                {"child_id": "You can no longer see the child you chose: choose again."}
            )
        return chosen, "chosen"
    matched = strong_match(referral)
    if matched is not None:
        return matched, "matched"
    if not (referral.given_name and referral.family_name):
        raise ValidationError(
            {
                "given_name": "This child is not in the person index: enter their first and last "
                "name so they can be added."
            }
        )
    child = Child(
        given_name=referral.given_name,
        family_name=referral.family_name,
        date_of_birth=referral.date_of_birth,
        sex=referral.sex or "U",
    )
    child.full_clean()
    child.save()
    record = SourceRecord(
        agency_id=referral.from_agency_id,
        record_id=referral.reference,
        child=child,
        given_name=referral.given_name,
        family_name=referral.family_name,
        date_of_birth=referral.date_of_birth.isoformat() if referral.date_of_birth else "",
        sex=referral.sex,
        postcode=referral.postcode,
        address=referral.address,
        nhs_number=referral.nhs_number,
        upn=referral.upn,
        raw={"referral": referral.reference},
    )
    record.full_clean()
    record.save()
    for identifier in identifiers_for(child, record):
        identifier.save()
    return child, "new"


def referral_event(referral: Referral, child: Child) -> Event:
    """The referral in the child's chronology: who referred, to whom, at what level. No free
    text (reasons and views stay on the referral, behind its own access rules)."""
    vocabulary = area_vocabulary()
    level = referral.level
    assert referral.sent_at is not None
    payload: dict[str, Any] = {
        "reference": referral.reference,
        "level": level,
        "level_label": vocabulary.level_label(level),
        "needs": list(referral.needs),
        "to_agency": referral.to_agency.name,
    }
    event = Event(
        child=child,
        event_type=EventType.REFERRAL,
        occurred_at=referral.sent_at,
        recorded_at=referral.sent_at,
        agency_id=referral.from_agency_id,
        sensitivity=default_sensitivity(EventType.REFERRAL),
        summary=f"Referral to {referral.to_agency.name}: {vocabulary.level_label(level)}"[:500],
        payload=payload,
        source_record=SourceRecord.objects.filter(
            agency_id=referral.from_agency_id, record_id=referral.reference
        ).first(),
    )
    event.full_clean()
    event.save()
    return event

"""Who may read and write assessments: the access matrix, forbidden == missing, audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from joinedup.access.assessments import (
    access_assessment_by_id,
    assessment_list_for_child,
    assessments_attachable,
)
from joinedup.access.children import access_child_by_id
from joinedup.access.errors import ChildNotFound
from joinedup.assessments.errors import AssessmentNotFound
from joinedup.assessments.services import assessment_create
from joinedup.chronology.vocabulary import EventType
from joinedup.governance.models import AuditEvent, Purpose, Role
from joinedup.referrals.models import Referral, ReferralStatus
from tests import factories as f
from tests.assessments.factories import ap_answers, area

pytestmark = pytest.mark.django_db


@pytest.fixture
def a() -> dict[str, Any]:
    data = area()
    data["done"] = assessment_create(
        actor=data["ehp"],
        purpose=Purpose.EARLY_HELP,
        child_id=data["child"].child_id,
        form_id="ap-profile",
        answers=ap_answers(),
        complete=True,
    )
    data["draft"] = assessment_create(
        actor=data["ehp"],
        purpose=Purpose.EARLY_HELP,
        child_id=data["child"].child_id,
        form_id="ap-profile",
        answers={"interests": "Music"},
    )
    return data


def _reads(viewer: Any, reference: str, purpose: str) -> str | None:
    try:
        return access_assessment_by_id(viewer, reference, purpose=purpose).via
    except AssessmentNotFound:
        return None


def test_own_agency_reads_drafts_and_completed(a: dict) -> None:
    assert _reads(a["ehp"], a["done"].reference, Purpose.EARLY_HELP) == "own_agency"
    access = access_assessment_by_id(a["ehp"], a["draft"].reference, purpose=Purpose.EARLY_HELP)
    assert access.may_edit and access.via == "own_agency"


def test_other_agency_needs_an_agreement_covering_assessments_for_its_purpose(a: dict) -> None:
    dsl = a["dsl"]
    assert _reads(dsl, a["done"].reference, Purpose.SAFEGUARDING) is None
    f.agreement([a["early_help"], a["school"]], event_types=[EventType.REFERRAL])
    assert _reads(dsl, a["done"].reference, Purpose.SAFEGUARDING) is None  # not assessments
    f.agreement(
        [a["early_help"], a["school"]],
        event_types=[EventType.ASSESSMENT],
        purposes=[Purpose.EDUCATION],
    )
    assert _reads(dsl, a["done"].reference, Purpose.SAFEGUARDING) is None  # other purpose
    assert _reads(dsl, a["done"].reference, Purpose.EDUCATION) == "agreement"
    access = access_assessment_by_id(dsl, a["done"].reference, purpose=Purpose.EDUCATION)
    assert not access.may_edit
    # Another agency's draft is never shared.
    assert _reads(dsl, a["draft"].reference, Purpose.EDUCATION) is None
    listed = assessment_list_for_child(
        access=access_child_by_id(dsl, a["child"].child_id, purpose=Purpose.EDUCATION)
    )
    assert [x.reference for x in listed] == [a["done"].reference]


def _referral(a: dict, status: str, to_agency: Any) -> Referral:
    r = Referral.objects.create(
        reference=f"R-{status[:8].upper():X<8}",
        child=a["child"],
        from_agency=a["early_help"],
        created_by=a["ehp"],
        to_agency=to_agency,
        status=status,
    )
    r.attachments.add(a["done"])
    return r


@pytest.mark.parametrize(
    ("status", "reads"),
    [
        (ReferralStatus.DRAFT, False),
        (ReferralStatus.SENT, True),
        (ReferralStatus.ACKNOWLEDGED, True),
        (ReferralStatus.ACCEPTED, True),
        (ReferralStatus.DECLINED, False),
        (ReferralStatus.CLOSED, False),
    ],
)
def test_the_receiver_of_a_live_referral_reads_what_it_attaches(
    a: dict, status: str, reads: bool
) -> None:
    cams = f.agency("health", name="CAMHS")
    nurse = f.staff(Role.SCHOOL_NURSE, cams)  # no involvement with the child at all
    _referral(a, status, cams)
    assert _reads(nurse, a["done"].reference, Purpose.HEALTH_CARE) == (
        "referral" if reads else None
    )
    # The draft is never attached, and never read through the referral.
    assert _reads(nurse, a["draft"].reference, Purpose.HEALTH_CARE) is None


def test_no_relationship_is_404_with_the_same_body_as_missing_and_both_are_audited(
    a: dict, client: Client
) -> None:
    client.force_login(a["stranger"])
    before = AuditEvent.objects.filter(outcome="denied", action="assessments.view").count()
    forbidden = client.get(f"/assessments/{a['done'].reference}/")
    missing = client.get("/assessments/A-NOTHERE2/")
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content
    api_forbidden = client.get(f"/api/assessments/{a['done'].reference}")
    api_missing = client.get("/api/assessments/A-NOTHERE2")
    assert api_forbidden.status_code == api_missing.status_code == 404
    assert api_forbidden.content == api_missing.content
    denied = AuditEvent.objects.filter(outcome="denied", action="assessments.view")
    assert denied.count() == before + 4
    assert denied.filter(object_ref=a["done"].reference, child_ref=a["child"].child_id).count() == 2


def test_an_allowed_read_is_audited(a: dict, client: Client) -> None:
    client.force_login(a["ehp"])
    response = client.get(f"/assessments/{a['done'].reference}/")
    assert response.status_code == 200
    entry = AuditEvent.objects.filter(
        action="assessments.view", outcome="allowed", object_ref=a["done"].reference
    ).latest("sequence")
    assert entry.actor_id == a["ehp"].pk and entry.detail == {"via": "own_agency"}
    assert entry.child_ref == a["child"].child_id


def test_a_teacher_cannot_record_and_the_refusal_is_audited(a: dict) -> None:
    with pytest.raises(ChildNotFound):
        assessment_create(
            actor=a["teacher"],
            purpose=Purpose.EDUCATION,
            child_id=a["child"].child_id,
            form_id="ap-profile",
            answers={},
        )
    assert AuditEvent.objects.filter(
        actor=a["teacher"], action="assessments.create", outcome="denied"
    ).exists()


def test_no_relationship_cannot_record(a: dict) -> None:
    with pytest.raises(ChildNotFound):
        assessment_create(
            actor=a["stranger"],
            purpose=Purpose.EARLY_HELP,
            child_id=a["child"].child_id,
            form_id="ap-profile",
            answers={},
        )


def test_only_the_own_agency_edits_a_draft(a: dict) -> None:
    from joinedup.assessments.services import assessment_update

    f.agreement([a["early_help"], a["school"]], event_types=[EventType.ASSESSMENT])
    with pytest.raises(AssessmentNotFound):
        assessment_update(
            actor=a["dsl"], purpose=Purpose.SAFEGUARDING, reference=a["draft"].reference, answers={}
        )
    with pytest.raises(ValidationError, match="is completed"):
        assessment_update(
            actor=a["ehp"], purpose=Purpose.EARLY_HELP, reference=a["done"].reference, answers={}
        )


def test_attachable_is_the_senders_own_completed_assessments(a: dict) -> None:
    got = assessments_attachable(
        viewer=a["ehp"], purpose=Purpose.EARLY_HELP, child_id=a["child"].child_id
    )
    assert got == [a["done"]]
    f.agreement([a["early_help"], a["school"]], event_types=[EventType.ASSESSMENT])
    assert (
        assessments_attachable(
            viewer=a["dsl"], purpose=Purpose.SAFEGUARDING, child_id=a["child"].child_id
        )
        == []
    )
    assert (
        assessments_attachable(
            viewer=a["stranger"], purpose=Purpose.EARLY_HELP, child_id=a["child"].child_id
        )
        == []
    )

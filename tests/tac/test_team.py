"""Opening a team, its members and the relationship membership gives, the lead professional."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.access.children import access_child_by_id
from joinedup.access.errors import ChildNotFound
from joinedup.access.relationships import relationship_for
from joinedup.governance.models import AuditEvent, Purpose
from joinedup.notifications.models import Notification
from joinedup.people.models import Involvement
from joinedup.tac.errors import TacNotFound
from joinedup.tac.models import TacMember
from joinedup.tac.services import tac_lead_set, tac_member_add, tac_member_remove, tac_open
from tests import factories as f
from tests.tac.factories import SAFEGUARDING, add, area, open_tac

pytestmark = pytest.mark.django_db


@pytest.fixture
def a() -> dict:
    return area()


def test_opener_becomes_the_first_member_and_the_open_is_audited(a: dict) -> None:
    tac = open_tac(a, lead=False)
    assert tac.reference.startswith("TAC-") and len(tac.reference) == 12
    member = TacMember.objects.get(tac=tac)
    assert member.worker == a["ehp"] and member.agency == a["early_help"]
    assert tac.level == 2 and tac.lead_professional is None
    entry = AuditEvent.objects.get(action="tac.open")
    assert entry.child_ref == a["child"].child_id and entry.object_ref == tac.reference


def test_opening_with_the_opener_as_lead_flags_their_involvement(a: dict) -> None:
    tac = open_tac(a)
    assert tac.lead_professional == a["ehp"] and tac.lead_agency == a["early_help"]
    lead = Involvement.objects.get(child=a["child"], is_lead_professional=True)
    assert lead.worker == a["ehp"]
    assert lead.description == f"Team around the child {tac.reference}"


def test_open_needs_a_relationship_with_the_child(a: dict) -> None:
    with pytest.raises(ChildNotFound):
        open_tac(a, by="stranger")


def test_open_needs_a_role_that_works_in_a_team_and_the_refusal_is_audited(a: dict) -> None:
    with pytest.raises(ChildNotFound):
        tac_open(
            actor=a["teacher"],
            purpose=Purpose.EDUCATION,
            child_id=a["child"].child_id,
            level=2,
        )
    assert AuditEvent.objects.filter(action="tac.open", outcome="denied").count() == 1


def test_open_says_every_problem_at_once(a: dict) -> None:
    open_tac(a)
    with pytest.raises(ValidationError) as exc:
        tac_open(
            actor=a["dsl"],
            purpose=SAFEGUARDING,
            child_id=a["child"].child_id,
            level=7,
            referral_reference="R-NOTHERE2",
        )
    errors = exc.value.message_dict
    assert errors["level"] == [
        "Choose a level of need: 1 (universal), 2 (early help), 3 (targeted), 4 (specialist)."
    ]
    assert "already has an open team around the child" in errors["child_id"][0]
    assert errors["referral_reference"] == ["R-NOTHERE2 is not a sent referral about this child."]


def test_member_from_another_agency_gains_a_relationship(a: dict) -> None:
    tac = open_tac(a)
    nurse = a["nurse"]
    assert relationship_for(nurse, a["child"].pk) is None
    member = add(a, tac, "nurse", role="School nurse")
    assert member.involvement_created
    assert member.involvement.description == f"Team around the child {tac.reference}"
    assert relationship_for(nurse, a["child"].pk) == "involvement"
    assert access_child_by_id(nurse, a["child"].child_id, purpose=SAFEGUARDING).child == a["child"]
    note = Notification.objects.get(recipient=nurse)
    assert tac.reference in note.subject and "Maisie" not in note.subject + note.body
    assert AuditEvent.objects.filter(action="tac.member_add", object_ref=tac.reference).exists()


def test_removal_ends_the_relationship_membership_gave(a: dict) -> None:
    tac = open_tac(a)
    member = add(a, tac, "nurse")
    tac_member_remove(
        actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, member_id=member.pk
    )
    assert relationship_for(a["nurse"], a["child"].pk) is None
    with pytest.raises(ChildNotFound):
        access_child_by_id(a["nurse"], a["child"].child_id, purpose=SAFEGUARDING)
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()


def test_removal_ends_an_older_membership_involvement_yesterday(a: dict) -> None:
    tac = open_tac(a)
    member = add(a, tac, "nurse")
    started = timezone.localdate() - timedelta(days=30)
    Involvement.objects.filter(pk=member.involvement_id).update(started_on=started)
    tac_member_remove(
        actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, member_id=member.pk
    )
    involvement = Involvement.objects.get(pk=member.involvement_id)
    assert involvement.ended_on == timezone.localdate() - timedelta(days=1)
    assert relationship_for(a["nurse"], a["child"].pk) is None


def test_removal_keeps_an_involvement_that_predates_the_team(a: dict) -> None:
    before = f.involvement(a["child"], a["health"], worker=a["nurse"], description="Health plan")
    tac = open_tac(a)
    member = add(a, tac, "nurse")
    assert member.involvement == before and not member.involvement_created
    tac_member_remove(
        actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, member_id=member.pk
    )
    before.refresh_from_db()
    assert before.ended_on is None
    assert relationship_for(a["nurse"], a["child"].pk) == "involvement"


def test_member_add_rules(a: dict) -> None:
    tac = open_tac(a)
    ref = tac.reference
    with pytest.raises(ValidationError) as exc:
        tac_member_add(
            actor=a["ehp"],
            purpose=SAFEGUARDING,
            reference=ref,
            agency_id=a["school"].pk,
            worker_id=a["nurse"].pk,
            role_in_team="x" * 121,
        )
    assert exc.value.message_dict == {
        "worker_id": [f"{a['nurse'].display_name} does not work for Brookfield Primary School."],
        "role_in_team": ["Role in the team must be 120 characters or fewer."],
    }
    with pytest.raises(ValidationError) as exc:
        tac_member_add(
            actor=a["ehp"],
            purpose=SAFEGUARDING,
            reference=ref,
            agency_id=a["school"].pk,
            worker_id=a["teacher"].pk,
            role_in_team="",
        )
    assert "a role that cannot work in a team around the child" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        add(a, tac, "ehp")
    assert exc.value.message_dict["worker_id"] == [
        f"{a['ehp'].display_name} is already a member of this team."
    ]


def test_an_agency_can_join_without_a_named_worker(a: dict) -> None:
    tac = open_tac(a)
    member = tac_member_add(
        actor=a["ehp"],
        purpose=SAFEGUARDING,
        reference=tac.reference,
        agency_id=a["health"].pk,
        role_in_team="Health",
    )
    assert member.worker is None and member.involvement.worker is None
    assert relationship_for(a["nurse_colleague"], a["child"].pk) == "involvement"
    with pytest.raises(ValidationError) as exc:
        tac_member_add(
            actor=a["ehp"],
            purpose=SAFEGUARDING,
            reference=tac.reference,
            agency_id=a["health"].pk,
            role_in_team="Health",
        )
    assert exc.value.message_dict == {"agency_id": ["Community Health is already in this team."]}


def test_someone_outside_the_team_cannot_add_members(a: dict) -> None:
    tac = open_tac(a)
    with pytest.raises(TacNotFound):
        add(a, tac, "nurse", by="stranger")
    denied = AuditEvent.objects.get(action="tac.member_add", outcome="denied")
    assert denied.object_ref == tac.reference
    assert not TacMember.objects.filter(worker=a["nurse"]).exists()


def test_lead_professional_flag_moves_between_involvements(a: dict) -> None:
    old = f.involvement(a["child"], a["social_care"], worker=a["social_worker"], lead=True)
    tac = open_tac(a)
    assert not Involvement.objects.get(pk=old.pk).is_lead_professional
    first = Involvement.objects.get(child=a["child"], is_lead_professional=True)
    assert first.worker == a["ehp"]
    nurse = add(a, tac, "nurse")
    tac_lead_set(
        actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, worker_id=a["nurse"].pk
    )
    leads = Involvement.objects.filter(child=a["child"], is_lead_professional=True)
    assert [i.pk for i in leads] == [nurse.involvement_id]
    tac.refresh_from_db()
    assert tac.lead_professional == a["nurse"] and tac.lead_agency == a["health"]
    entry = AuditEvent.objects.get(action="tac.lead_set")
    assert entry.detail == {"previous": a["ehp"].pk, "lead": a["nurse"].pk}


def test_lead_must_be_a_current_named_member(a: dict) -> None:
    tac = open_tac(a)
    with pytest.raises(ValidationError) as exc:
        tac_lead_set(
            actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, worker_id=a["nurse"].pk
        )
    assert exc.value.message_dict == {
        "worker_id": [
            "The lead professional must be a current member of the team with a named worker."
        ]
    }
    with pytest.raises(ValidationError) as exc:
        tac_lead_set(
            actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, worker_id=a["ehp"].pk
        )
    assert "is already the lead professional" in str(exc.value)


def test_the_lead_and_the_last_member_cannot_simply_leave(a: dict) -> None:
    tac = open_tac(a)
    lead = TacMember.objects.get(tac=tac, worker=a["ehp"])
    with pytest.raises(ValidationError) as exc:
        tac_member_remove(
            actor=a["ehp"], purpose=SAFEGUARDING, reference=tac.reference, member_id=lead.pk
        )
    assert "set another lead professional before they leave" in str(exc.value)
    other = open_tac(area(), lead=False)
    only = TacMember.objects.get(tac=other)
    with pytest.raises(ValidationError) as exc:
        tac_member_remove(
            actor=only.worker, purpose=SAFEGUARDING, reference=other.reference, member_id=only.pk
        )
    assert exc.value.message_dict == {
        "member_id": ["A team needs at least one member: close the team instead."]
    }

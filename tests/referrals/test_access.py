"""Who sees a referral: the sending side, the receiving team once it is sent, nobody else (404,
the same as a referral that does not exist, audited). Accepting gives the receiving team its
relationship with the child; declining does not."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from joinedup.access.children import access_child_by_id
from joinedup.access.errors import ChildNotFound
from joinedup.access.referrals import (
    access_referral_by_id,
    referral_child_id_for,
    referral_list,
    referral_received_q,
    referral_sent_q,
    referral_sides,
)
from joinedup.governance.models import AuditEvent, Role
from joinedup.people.models import Involvement
from joinedup.referrals import services
from joinedup.referrals.errors import ReferralNotAllowed, ReferralNotFound
from joinedup.referrals.models import Referral, ReferralStatus
from tests import factories as f
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db
S = ReferralStatus


def _viewers(a: rf.Area) -> dict[str, tuple]:
    return {
        "sender": (a.dsl, rf.SAFEGUARDING),
        "sender's colleague": (a.colleague, rf.SAFEGUARDING),
        "teacher at the sending school": (a.teacher, "education"),
        "receiving worker": (a.worker, rf.EARLY_HELP),
        "receiving manager": (a.manager, rf.SAFEGUARDING),
        "receiving agency, other team": (a.outsider, rf.EARLY_HELP),
        "unrelated agency": (a.officer, rf.SAFEGUARDING),
    }


# viewer -> status -> (side, actions) or None for 404.
SENDER_DRAFT = ("sender", {"edit", "send"})
RECEIVER_LIVE = ("receiver", {"acknowledge", "accept", "decline"})
EXPECTED = {
    "sender": {
        S.DRAFT: SENDER_DRAFT,
        S.SENT: ("sender", set()),
        S.DECLINED: ("sender", {"close", "alternative_taken_up"}),
    },
    "sender's colleague": {
        S.DRAFT: SENDER_DRAFT,
        S.SENT: ("sender", set()),
        S.DECLINED: ("sender", {"close", "alternative_taken_up"}),
    },
    "teacher at the sending school": {S.DRAFT: None, S.SENT: None, S.DECLINED: None},
    "receiving worker": {S.DRAFT: None, S.SENT: RECEIVER_LIVE, S.DECLINED: ("receiver", set())},
    "receiving manager": {S.DRAFT: None, S.SENT: RECEIVER_LIVE, S.DECLINED: ("receiver", set())},
    "receiving agency, other team": {S.DRAFT: None, S.SENT: None, S.DECLINED: None},
    "unrelated agency": {S.DRAFT: None, S.SENT: None, S.DECLINED: None},
}


@pytest.mark.parametrize("status", [S.DRAFT, S.SENT, S.DECLINED])
@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_access_matrix(who: str, status: str) -> None:
    a = rf.area()
    referral = rf.in_status(a, status)
    viewer, purpose = _viewers(a)[who]
    expected = EXPECTED[who][status]
    if expected is None:
        with pytest.raises(ReferralNotFound) as forbidden:
            access_referral_by_id(viewer, referral.reference, purpose=purpose)
        with pytest.raises(ReferralNotFound) as missing:
            access_referral_by_id(viewer, "R-NOTHERE2", purpose=purpose)
        assert str(forbidden.value) == str(missing.value) == "No referral found."
        denied = list(AuditEvent.objects.filter(action="referrals.view", outcome="denied"))
        assert [d.object_ref for d in denied] == [referral.reference, "R-NOTHERE2"]
        assert denied[0].detail["reason"] != "missing" and denied[1].detail["reason"] == "missing"
        # The list agrees: it is in neither of this viewer's boxes.
        assert not Referral.objects.filter(referral_sent_q(viewer) | referral_received_q(viewer))
        return
    access = access_referral_by_id(viewer, referral.reference, purpose=purpose)
    assert (access.side, set(access.actions)) == expected
    view = AuditEvent.objects.get(action="referrals.view", outcome="allowed")
    assert (view.actor, view.object_ref, view.child_ref) == (
        viewer,
        referral.reference,
        referral.child.child_id if referral.child else "",
    )
    box = "sent" if access.side == "sender" else "received"
    assert referral_list(viewer=viewer, purpose=purpose, box=box) == [referral]


def test_a_purpose_outside_the_role_is_refused_like_a_missing_referral() -> None:
    a = rf.area()
    r = rf.in_status(a, S.SENT)
    with pytest.raises(ReferralNotFound):
        access_referral_by_id(a.worker, r.reference, purpose="education")


def test_querysets_and_single_checks_agree() -> None:
    a = rf.area()
    referrals = [rf.in_status(a, s) for s in S.values]
    to_agency = rf.draft(a, to_team_id=None)
    services.referral_send(actor=a.dsl, purpose=rf.SAFEGUARDING, reference=to_agency.reference)
    referrals.append(Referral.objects.get(pk=to_agency.pk))
    for viewer, _ in _viewers(a).values():
        sent = set(Referral.objects.filter(referral_sent_q(viewer)))
        received = set(Referral.objects.filter(referral_received_q(viewer)))
        for r in referrals:
            assert referral_sides(viewer, r) == (r in sent, r in received), (viewer, r.status)
    # Sent to the agency with no team: every receiver in the agency, whatever their team.
    assert referral_sides(a.outsider, referrals[-1]) == (False, True)


def test_a_teacher_cannot_make_referrals() -> None:
    a = rf.area()
    with pytest.raises(ReferralNotAllowed, match="designated safeguarding lead"):
        services.referral_create(
            actor=a.teacher, purpose="education", **rf.complete_fields(a, child_id="")
        )
    assert not Referral.objects.exists()


def test_accepting_gives_the_receiving_team_the_child_and_declining_does_not() -> None:
    a = rf.area()
    sent = rf.in_status(a, S.SENT)
    # A live referral shows the receiving team what the sender typed, not the child's record.
    access = access_referral_by_id(a.worker, sent.reference, purpose=rf.EARLY_HELP)
    assert access.referral.given_name == "Maya" and referral_child_id_for(access) is None
    with pytest.raises(ChildNotFound):
        access_child_by_id(a.worker, a.child.child_id, purpose=rf.EARLY_HELP)

    accepted = services.referral_accept(
        actor=a.worker, purpose=rf.EARLY_HELP, reference=sent.reference, worker_id=a.worker.pk
    )
    involvement = Involvement.objects.get(pk=accepted.involvement_id)
    assert (involvement.agency, involvement.team, involvement.worker) == (
        a.early_help,
        a.team,
        a.worker,
    )
    assert involvement.description == f"Accepted referral {sent.reference}"
    assert involvement.level == sent.level  # the level of need the referral was accepted at
    assert access_child_by_id(a.worker, a.child.child_id, purpose=rf.EARLY_HELP).child == a.child
    assert access_child_by_id(a.manager, a.child.child_id, purpose=rf.EARLY_HELP)
    access = access_referral_by_id(a.worker, sent.reference, purpose=rf.EARLY_HELP)
    assert referral_child_id_for(access) == a.child.child_id

    other_child = f.child()
    f.involvement(other_child, a.school)
    declined_draft = rf.draft(a, child_id=other_child.child_id)
    services.referral_send(actor=a.dsl, purpose=rf.SAFEGUARDING, reference=declined_draft.reference)
    declined = services.referral_decline(
        actor=a.worker,
        purpose=rf.EARLY_HELP,
        reference=declined_draft.reference,
        reason="Not our area.",
        alternative="Family hub drop-in.",
    )
    assert declined.involvement is None
    assert not Involvement.objects.filter(child=other_child, agency=a.early_help).exists()
    with pytest.raises(ChildNotFound):
        access_child_by_id(a.worker, other_child.child_id, purpose=rf.EARLY_HELP)


def test_accept_names_a_worker_of_the_receiving_team_only() -> None:
    a = rf.area()
    r = rf.in_status(a, S.SENT)
    with pytest.raises(ValidationError) as error:
        services.referral_accept(
            actor=a.worker, purpose=rf.EARLY_HELP, reference=r.reference, worker_id=a.outsider.pk
        )
    assert "Family Support North" in error.value.message_dict["worker_id"][0]
    assert not Involvement.objects.filter(agency=a.early_help).exists()


def test_closing_an_accepted_referral_ends_its_involvement() -> None:
    a = rf.area()
    r = rf.in_status(a, S.CLOSED)
    assert Involvement.objects.get(pk=r.involvement_id).ended_on is not None


def test_lists_are_filtered_by_status_and_audited() -> None:
    a = rf.area()
    sent = rf.in_status(a, S.SENT)
    declined = rf.in_status(a, S.DECLINED)
    rf.in_status(a, S.DRAFT)
    assert referral_list(
        viewer=a.worker, purpose=rf.EARLY_HELP, box="received", statuses=[S.DECLINED]
    ) == [declined]
    assert set(referral_list(viewer=a.worker, purpose=rf.EARLY_HELP, box="received")) == {
        sent,
        declined,
    }
    assert len(referral_list(viewer=a.dsl, purpose=rf.SAFEGUARDING, box="sent")) == 3
    assert referral_list(viewer=a.teacher, purpose="education", box="sent") == []
    audit = AuditEvent.objects.filter(action="referrals.list").first()
    assert audit is not None and audit.detail["results"] == [declined.reference]
    another = f.staff(Role.EARLY_HELP_PRACTITIONER, a.early_help)  # no team
    assert referral_list(viewer=another, purpose=rf.EARLY_HELP, box="received") == []

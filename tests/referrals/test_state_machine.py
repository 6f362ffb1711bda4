"""Every referral transition, legal and illegal: the full status x verb x side matrix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from joinedup.governance.models import AuditEvent
from joinedup.referrals import services
from joinedup.referrals.errors import ReferralNotFound, TransitionRefused
from joinedup.referrals.models import Referral, ReferralStatus, ReferralTransition
from joinedup.referrals.rules import ALLOWED, RECEIVER, SENDER, VERBS
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db

S = ReferralStatus


def _do(verb: str, actor: Any, purpose: str, reference: str) -> Referral:
    calls: dict[str, Callable[[], Referral]] = {
        "edit": lambda: services.referral_update(
            actor=actor, purpose=purpose, reference=reference, reason="More detail."
        ),
        "send": lambda: services.referral_send(actor=actor, purpose=purpose, reference=reference),
        "acknowledge": lambda: services.referral_acknowledge(
            actor=actor, purpose=purpose, reference=reference
        ),
        "accept": lambda: services.referral_accept(
            actor=actor, purpose=purpose, reference=reference
        ),
        "decline": lambda: services.referral_decline(
            actor=actor,
            purpose=purpose,
            reference=reference,
            reason="Not our service.",
            alternative="Youth club.",
        ),
        "close": lambda: services.referral_close(
            actor=actor, purpose=purpose, reference=reference, outcome="nfa", note="Done."
        ),
        "alternative_taken_up": lambda: services.referral_alternative_taken_up(
            actor=actor, purpose=purpose, reference=reference, note="Family joined the club."
        ),
    }
    return calls[verb]()


# The expected next status of every legal (status, verb, side); everything else is refused.
LEGAL = {
    (S.DRAFT, "edit", SENDER): S.DRAFT,
    (S.DRAFT, "send", SENDER): S.SENT,
    (S.SENT, "acknowledge", RECEIVER): S.ACKNOWLEDGED,
    (S.SENT, "accept", RECEIVER): S.ACCEPTED,
    (S.SENT, "decline", RECEIVER): S.DECLINED,
    (S.ACKNOWLEDGED, "accept", RECEIVER): S.ACCEPTED,
    (S.ACKNOWLEDGED, "decline", RECEIVER): S.DECLINED,
    (S.ACCEPTED, "close", RECEIVER): S.CLOSED,
    (S.DECLINED, "close", SENDER): S.CLOSED,
    (S.DECLINED, "alternative_taken_up", SENDER): S.DECLINED,
}


def test_the_table_is_the_one_documented() -> None:
    assert {
        S.DRAFT: {S.SENT},
        S.SENT: {S.ACKNOWLEDGED, S.ACCEPTED, S.DECLINED},
        S.ACKNOWLEDGED: {S.ACCEPTED, S.DECLINED},
        S.ACCEPTED: {S.CLOSED},
        S.DECLINED: {S.CLOSED},
        S.CLOSED: set(),
    } == ALLOWED
    moves = {(s, to) for (s, _, _), to in LEGAL.items() if to != s}
    assert moves == {(s, to) for s, targets in ALLOWED.items() for to in targets}


@pytest.mark.parametrize("side", [SENDER, RECEIVER])
@pytest.mark.parametrize("verb", sorted(VERBS))
@pytest.mark.parametrize("status", list(S.values))
def test_transition_matrix(status: str, verb: str, side: str) -> None:
    a = rf.area()
    referral = rf.in_status(a, status)
    actor, purpose = (a.dsl, rf.SAFEGUARDING) if side == SENDER else (a.worker, rf.EARLY_HELP)
    transitions = ReferralTransition.objects.filter(referral=referral).count()
    action = "referrals.update" if verb == "edit" else f"referrals.{verb}"
    audits = AuditEvent.objects.filter(action=action, outcome="allowed").count()
    expected = LEGAL.get((status, verb, side))

    if expected is not None:
        done = _do(verb, actor, purpose, referral.reference)
        done.refresh_from_db()
        assert done.status == expected
        if verb != "edit":
            last = ReferralTransition.objects.filter(referral=referral).last()
            assert last is not None
            assert (last.from_status, last.to_status, last.actor) == (status, expected, actor)
            assert ReferralTransition.objects.filter(referral=referral).count() == transitions + 1
        assert AuditEvent.objects.filter(action=action, outcome="allowed").count() == audits + 1
        return

    if side == RECEIVER and status == S.DRAFT:
        # A draft is the sender's alone: the receiving team cannot even see it.
        with pytest.raises(ReferralNotFound):
            _do(verb, actor, purpose, referral.reference)
    else:
        with pytest.raises(TransitionRefused) as refused:
            _do(verb, actor, purpose, referral.reference)
        message = refused.value.messages[0]
        assert message.startswith(f"Referral {referral.reference}")
        assert f"is {S(status).label.lower()}:" in message or "already" in message
        assert "only" in message or "already" in message
    referral.refresh_from_db()
    assert referral.status == status
    assert ReferralTransition.objects.filter(referral=referral).count() == transitions
    denied = AuditEvent.objects.filter(action=action, outcome="denied").last()
    assert denied is not None and denied.object_ref == referral.reference


def test_refusal_messages_say_what_is_allowed() -> None:
    a = rf.area()
    declined = rf.in_status(a, S.DECLINED)
    with pytest.raises(TransitionRefused) as refused:
        services.referral_accept(
            actor=a.worker, purpose=rf.EARLY_HELP, reference=declined.reference
        )
    assert refused.value.messages == [
        f"Referral {declined.reference} is declined: only a sent or acknowledged referral can "
        "be accepted."
    ]
    sent = rf.in_status(a, S.SENT)
    with pytest.raises(TransitionRefused) as refused:
        services.referral_accept(actor=a.dsl, purpose=rf.SAFEGUARDING, reference=sent.reference)
    assert refused.value.messages == [
        f"Referral {sent.reference} is sent: only the receiving team can accept it."
    ]
    closed = rf.in_status(a, S.CLOSED)
    with pytest.raises(TransitionRefused) as refused:
        services.referral_close(
            actor=a.worker,
            purpose=rf.EARLY_HELP,
            reference=closed.reference,
            outcome="nfa",
            note="x",
        )
    assert refused.value.messages == [
        f"Referral {closed.reference} is closed: only an accepted or declined referral can be "
        "closed."
    ]


def test_accept_straight_from_sent_records_the_acknowledgement() -> None:
    a = rf.area()
    r = rf.in_status(a, S.ACCEPTED)
    assert r.acknowledged_at is not None and r.acknowledged_by == a.worker
    assert r.decided_by == a.worker


def test_alternative_is_taken_up_once() -> None:
    a = rf.area()
    r = rf.in_status(a, S.DECLINED)
    services.referral_alternative_taken_up(
        actor=a.dsl, purpose=rf.SAFEGUARDING, reference=r.reference, note="Joined the club."
    )
    with pytest.raises(TransitionRefused, match="already been recorded"):
        services.referral_alternative_taken_up(
            actor=a.dsl, purpose=rf.SAFEGUARDING, reference=r.reference, note="Again."
        )


def test_you_cannot_accept_your_own_referral_within_your_agency() -> None:
    a = rf.area()
    # An early help worker refers to their agency's other team; a member of that team who
    # made the referral may not accept it for the team.
    sender = a.outsider
    r = services.referral_create(
        actor=sender, purpose=rf.EARLY_HELP, **rf.complete_fields(a, child_id="")
    )
    services.referral_update(
        actor=sender, purpose=rf.EARLY_HELP, reference=r.reference, to_team_id=a.team.pk
    )
    services.referral_send(actor=sender, purpose=rf.EARLY_HELP, reference=r.reference)
    services.referral_acknowledge(actor=a.worker, purpose=rf.EARLY_HELP, reference=r.reference)
    with pytest.raises(TransitionRefused, match="only the receiving team can accept it"):
        services.referral_accept(actor=sender, purpose=rf.EARLY_HELP, reference=r.reference)


@pytest.mark.parametrize(
    ("verb", "kwargs", "field"),
    [
        ("decline", {"reason": "", "alternative": "Youth club."}, "reason"),
        ("decline", {"reason": "Not ours.", "alternative": " "}, "alternative"),
        ("close", {"outcome": "nothing", "note": "x"}, "outcome"),
    ],
)
def test_answers_need_their_reasons(verb: str, kwargs: dict, field: str) -> None:
    a = rf.area()
    r = rf.in_status(a, S.SENT if verb == "decline" else S.ACCEPTED)
    call = services.referral_decline if verb == "decline" else services.referral_close
    with pytest.raises(ValidationError) as error:
        call(actor=a.worker, purpose=rf.EARLY_HELP, reference=r.reference, **kwargs)
    assert field in error.value.message_dict
    r.refresh_from_db()
    assert r.status == (S.SENT if verb == "decline" else S.ACCEPTED)

"""The one shape of a guarded write (`joinedup.access.writes`): the change and its audit entry
commit together; a refusal rolls the change back and keeps its denial; a write cannot hide in a
caller's transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from joinedup.access.children import access_child_by_id
from joinedup.access.errors import AccessRefused, ChildNotFound
from joinedup.access.writes import Guard, Refused, audit_denied, guarded_write, writes_together
from joinedup.governance.models import Agency, AgencyType, AuditEvent, Purpose, Role, StaffUser
from joinedup.referrals import services
from joinedup.referrals.errors import ReferralNotFound
from joinedup.referrals.models import ReferralStatus
from tests import factories as f
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


class Gone(Exception):
    pass


def _guard(refuse: str = "") -> Guard[str]:
    def open_(actor: StaffUser, purpose: str) -> str:
        if refuse:
            raise Refused(refuse)
        return "target"

    return Guard(open_, Gone, object_type="thing", object_ref="T-1", child_ref="C-1")


def _actor() -> StaffUser:
    return f.staff(Role.SOCIAL_WORKER, f.agency(AgencyType.SOCIAL_CARE))


def _write(actor: StaffUser, *, audit: bool = True, refuse_after: str = "") -> None:
    with guarded_write(_guard(), actor=actor, action="things.make", purpose="safeguarding") as w:
        assert w.target == "target"
        Agency.objects.create(code="made", name="Made", agency_type=AgencyType.VOLUNTARY)
        if audit:
            w.audit(object_type="thing", object_ref="T-1", detail={"made": True})
        if refuse_after:
            w.refuse(refuse_after, error=AccessRefused("No."))


def test_the_change_and_its_audit_entry_commit_together() -> None:
    actor = _actor()
    _write(actor)
    assert Agency.objects.filter(code="made").exists()
    entry = AuditEvent.objects.get(action="things.make")
    assert entry.outcome == "allowed" and entry.purpose == "safeguarding"
    assert entry.detail == {"made": True}


def test_a_refusal_by_the_guard_is_audited_and_raises_its_not_found() -> None:
    actor = _actor()
    with (
        pytest.raises(Gone),
        guarded_write(
            _guard(refuse="no_relationship"),
            actor=actor,
            action="things.make",
            purpose="safeguarding",
        ),
    ):
        raise AssertionError("the body never runs")
    denial = AuditEvent.objects.get(action="things.make")
    assert denial.outcome == "denied" and denial.detail == {"reason": "no_relationship"}
    assert (denial.child_ref, denial.object_type, denial.object_ref) == ("C-1", "thing", "T-1")


def test_a_refusal_in_the_body_rolls_the_change_back_and_keeps_the_denial() -> None:
    actor = _actor()
    with pytest.raises(AccessRefused):
        _write(actor, refuse_after="too_late")
    assert not Agency.objects.filter(code="made").exists()
    entries = AuditEvent.objects.filter(action="things.make")
    assert [(e.outcome, e.detail) for e in entries] == [("denied", {"reason": "too_late"})]


def test_a_write_without_its_audit_entry_is_an_error_and_changes_nothing() -> None:
    with pytest.raises(RuntimeError, match="wrote no audit entry"):
        _write(_actor(), audit=False)
    assert not Agency.objects.filter(code="made").exists()


def test_a_guarded_read_refused_inside_a_write_is_audited_after_the_rollback() -> None:
    actor = _actor()
    stranger = f.child()
    with (
        pytest.raises(ChildNotFound),
        guarded_write(
            _guard(), actor=actor, action="things.make", purpose=Purpose.SAFEGUARDING
        ) as w,
    ):
        Agency.objects.create(code="made", name="Made", agency_type=AgencyType.VOLUNTARY)
        w.audit(object_type="thing")
        access_child_by_id(actor, stranger.child_id, purpose=Purpose.SAFEGUARDING)
    assert not Agency.objects.filter(code="made").exists()
    assert [(e.action, e.outcome) for e in AuditEvent.objects.order_by("sequence")] == [
        ("children.view", "denied")
    ]


def test_a_write_cannot_hide_in_a_callers_transaction() -> None:
    actor = _actor()
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        _write(actor)


def test_writes_together_are_all_or_none_and_keep_their_denials() -> None:
    actor = _actor()
    with pytest.raises(AccessRefused), writes_together():
        _write(actor)
        with guarded_write(_guard(), actor=actor, action="things.check", purpose="") as w:
            w.refuse("second_thoughts", error=AccessRefused("No."))
    assert not Agency.objects.filter(code="made").exists()
    assert [(e.action, e.outcome) for e in AuditEvent.objects.all()] == [("things.check", "denied")]


def test_audit_denied_outside_a_write_commits_on_its_own() -> None:
    actor = _actor()
    audit_denied(
        actor=actor,
        action="things.view",
        reason="role",
        child_ref="C-" + "X" * 40,
        object_ref="R" * 200,
        purpose="p" * 40,
        detail={"route": "test"},
    )
    entry = AuditEvent.objects.get(action="things.view")
    assert entry.outcome == "denied" and entry.detail == {"route": "test", "reason": "role"}
    assert (len(entry.child_ref), len(entry.object_ref), len(entry.purpose)) == (20, 120, 20)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        audit_denied(actor=actor, action="things.view", reason="role")


@pytest.mark.parametrize("who", ["outsider", "missing"])
def test_a_forbidden_referral_and_a_missing_one_are_refused_alike(who: Any) -> None:
    a = rf.area()
    referral = rf.in_status(a, ReferralStatus.SENT)
    reference = referral.reference if who == "outsider" else "R-NOTHERE2"
    with pytest.raises(ReferralNotFound):
        services.referral_acknowledge(actor=a.outsider, purpose=rf.EARLY_HELP, reference=reference)
    denial = AuditEvent.objects.get(action="referrals.acknowledge")
    assert denial.outcome == "denied" and denial.object_ref == reference
    assert denial.detail == {"reason": "no_relationship" if who == "outsider" else "missing"}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT

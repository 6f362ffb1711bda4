"""Break-glass: a written reason, a role that allows it, an expiry, and an audit entry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.access.break_glass import break_glass_grant
from joinedup.access.children import access_child_by_id
from joinedup.access.errors import AccessRefused, ChildNotFound
from joinedup.governance.models import AgencyType, AuditEvent, BreakGlassAccess, Purpose, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

REASON = "Police called: child reported missing from home overnight."


def test_grant_opens_the_record_and_is_audited() -> None:
    dsl = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency(AgencyType.SCHOOL))
    child = f.child()
    with pytest.raises(ChildNotFound):
        access_child_by_id(dsl, child.child_id, purpose=Purpose.SAFEGUARDING)
    grant = break_glass_grant(
        actor=dsl, child_id=child.child_id.lower(), reason=REASON, purpose=Purpose.SAFEGUARDING
    )
    access = access_child_by_id(dsl, child.child_id, purpose=Purpose.SAFEGUARDING)
    assert access.relationship == "break_glass"
    entry = AuditEvent.objects.get(action="break_glass.grant")
    assert entry.detail["reason"] == REASON and entry.child_ref == child.child_id
    assert grant.expires_at - grant.granted_at == timedelta(hours=4)


def test_grant_expires() -> None:
    dsl = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency(AgencyType.SCHOOL))
    child = f.child()
    grant = break_glass_grant(
        actor=dsl, child_id=child.child_id, reason=REASON, purpose=Purpose.SAFEGUARDING
    )
    BreakGlassAccess.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ChildNotFound):
        access_child_by_id(dsl, child.child_id, purpose=Purpose.SAFEGUARDING)


@pytest.mark.parametrize(
    ("role", "reason", "purpose", "message"),
    [
        (Role.TEACHER, REASON, Purpose.EDUCATION, "Your role cannot use break-glass access"),
        (Role.DATA_ANALYST, REASON, Purpose.SAFEGUARDING, "Your role cannot use break-glass"),
        (Role.DESIGNATED_SAFEGUARDING_LEAD, "urgent", Purpose.SAFEGUARDING, "at least 20"),
        (Role.DESIGNATED_SAFEGUARDING_LEAD, REASON, Purpose.HEALTH_CARE, "purpose your role"),
    ],
)
def test_refusals_say_why_and_are_audited(
    role: str, reason: str, purpose: str, message: str
) -> None:
    staff = f.staff(role, f.agency(AgencyType.SCHOOL))
    child = f.child()
    with pytest.raises(AccessRefused, match=message):
        break_glass_grant(actor=staff, child_id=child.child_id, reason=reason, purpose=purpose)
    assert not BreakGlassAccess.objects.exists()
    assert AuditEvent.objects.get(action="break_glass.grant").outcome == "denied"


def test_unknown_child_id() -> None:
    dsl = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency(AgencyType.SCHOOL))
    with pytest.raises(AccessRefused, match="No child has that id"):
        break_glass_grant(
            actor=dsl, child_id="C-22222222", reason=REASON, purpose=Purpose.SAFEGUARDING
        )


def test_ig_reviews_a_grant_and_it_is_audited() -> None:
    from joinedup.access.break_glass import break_glass_review

    dsl = f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, f.agency(AgencyType.SCHOOL))
    ig = f.staff(Role.INFORMATION_GOVERNANCE_OFFICER, f.agency(AgencyType.SOCIAL_CARE))
    grant = break_glass_grant(
        actor=dsl, child_id=f.child().child_id, reason=REASON, purpose=Purpose.SAFEGUARDING
    )
    with pytest.raises(AccessRefused, match="Say why"):
        break_glass_review(actor=ig, grant_id=grant.pk, outcome="not_justified")
    with pytest.raises(AccessRefused, match="cannot review emergency access"):
        break_glass_review(actor=dsl, grant_id=grant.pk, outcome="justified")
    reviewed = break_glass_review(actor=ig, grant_id=grant.pk, outcome="justified")
    assert reviewed.reviewed_by == ig and reviewed.review_outcome == "Justified"
    assert AuditEvent.objects.filter(action="break_glass.review", actor=ig).count() == 1
    with pytest.raises(AccessRefused, match="already reviewed"):
        break_glass_review(actor=ig, grant_id=grant.pk, outcome="justified")

"""Sharing agreements record their lawful basis, and are validated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.chronology.vocabulary import EventType
from joinedup.governance.models import Article6Basis, SharingAgreement

pytestmark = pytest.mark.django_db


def _agreement(**kw: object) -> SharingAgreement:
    fields: dict = dict(
        code="a",
        title="A",
        purposes=["safeguarding"],
        article_6_basis=Article6Basis.PUBLIC_TASK,
        article_9_condition="",
        event_types=[EventType.ATTENDANCE_SUMMARY],
        fields=["summary"],
        retention="6 years",
        starts_at=timezone.now(),
        review_at=timezone.localdate() + timedelta(days=3 * 365),
    )
    fields.update(kw)
    return SharingAgreement(**fields)


def test_valid_agreement() -> None:
    _agreement().full_clean()


def test_special_category_needs_an_article_9_condition() -> None:
    with pytest.raises(ValidationError) as info:
        _agreement(event_types=[EventType.HEALTH_CONTACT]).full_clean()
    assert "Art. 9 / DPA 2018 Sch. 1 condition" in info.value.message_dict["article_9_condition"][0]


def test_unknown_purpose_and_event_type_are_named() -> None:
    with pytest.raises(ValidationError) as info:
        _agreement(purposes=["marketing"], event_types=["gossip"]).full_clean()
    assert info.value.message_dict["purposes"] == ["Unknown purpose(s): marketing."]
    assert info.value.message_dict["event_types"] == ["Unknown event type(s): gossip."]


def test_end_must_follow_start() -> None:
    now = timezone.now()
    with pytest.raises(ValidationError, match="end must be after the start"):
        _agreement(starts_at=now, ends_at=now - timedelta(days=1)).full_clean()


def test_is_live_window() -> None:
    now = timezone.now()
    agreement = _agreement(
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(seconds=1), status="live"
    )
    assert agreement.is_live(now)
    assert not agreement.is_live(now + timedelta(seconds=1))
    assert not agreement.is_live(now - timedelta(days=2))


@pytest.mark.parametrize("status", ["draft", "approved", "ended"])
def test_only_a_live_agreement_shares(status: str) -> None:
    now = timezone.now()
    agreement = _agreement(starts_at=now - timedelta(days=1), status=status)
    assert not agreement.is_live(now)

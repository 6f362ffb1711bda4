"""Writing assessments and measures: drafts, completion, chronology events, audit, baselines."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from joinedup.assessments.models import Assessment, AssessmentStatus, MeasureScore
from joinedup.assessments.services import (
    assessment_complete,
    assessment_create,
    assessment_update,
    measure_record,
)
from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType
from joinedup.governance.models import AuditEvent, Purpose
from tests.assessments.factories import ap_answers, area, eha_answers

pytestmark = pytest.mark.django_db
EH = Purpose.EARLY_HELP


@pytest.fixture
def a() -> dict[str, Any]:
    return area()


def _create(a: dict, **kw: Any) -> Assessment:
    kw.setdefault("form_id", "eha-360")
    kw.setdefault("answers", {})
    return assessment_create(actor=a["ehp"], purpose=EH, child_id=a["child"].child_id, **kw)


def test_a_draft_then_completion_writes_one_chronology_event_without_free_text(a: dict) -> None:
    draft = _create(a, answers={"reason": "Attendance"})
    assert draft.status == AssessmentStatus.DRAFT and draft.reference.startswith("A-")
    assert (draft.agency, draft.team, draft.author) == (a["early_help"], a["eh_team"], a["ehp"])
    assert not Event.objects.filter(event_type=EventType.ASSESSMENT).exists()
    with pytest.raises(ValidationError) as exc:
        assessment_complete(actor=a["ehp"], purpose=EH, reference=draft.reference)
    assert "child_views" in exc.value.message_dict
    assert Assessment.objects.get(pk=draft.pk).status == AssessmentStatus.DRAFT  # unchanged
    done = assessment_complete(
        actor=a["ehp"], purpose=EH, reference=draft.reference, answers=eha_answers()
    )
    assert done.status == AssessmentStatus.COMPLETED and done.level == 2
    event = Event.objects.get(event_type=EventType.ASSESSMENT)
    assert event.agency == a["early_help"] and event.child == a["child"]
    assert event.summary == "Early help assessment (360) completed"
    assert event.payload == {"reference": done.reference, "form": "eha-360", "level": 2}
    actions = list(
        AuditEvent.objects.filter(object_ref=done.reference, outcome="allowed")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == ["assessments.create", "assessments.complete"]


def test_create_and_complete_at_once_is_all_or_nothing(a: dict) -> None:
    with pytest.raises(ValidationError):
        _create(a, answers=eha_answers(level=None), complete=True)
    assert not Assessment.objects.exists() and not Event.objects.exists()
    assert not AuditEvent.objects.filter(action="assessments.create").exists()


def test_a_draft_rejects_wrong_types_and_unknown_forms(a: dict) -> None:
    with pytest.raises(ValidationError) as exc:
        _create(a, answers={"eha_health_now": 12})
    assert exc.value.message_dict == {
        "eha_health_now": ["Health: how things are now: must be a whole number from 1 to 10"]
    }
    with pytest.raises(ValidationError, match="not one of the area's forms"):
        _create(a, form_id="nope")


def test_update_saves_partial_answers(a: dict) -> None:
    draft = _create(a)
    updated = assessment_update(
        actor=a["ehp"], purpose=EH, reference=draft.reference, answers={"level": 3}
    )
    assert updated.answers == {"level": 3} and updated.level == 3
    assert AuditEvent.objects.filter(action="assessments.update", outcome="allowed").count() == 1


def test_a_review_names_its_baseline(a: dict) -> None:
    baseline = _create(a, form_id="ap-profile", answers=ap_answers(), complete=True)
    review = _create(a, form_id="ap-profile", answers={}, baseline_ref=baseline.reference)
    assert review.baseline == baseline
    with pytest.raises(ValidationError, match="is not compared with a baseline"):
        _create(a, form_id="eha-360", baseline_ref=baseline.reference)
    draft = _create(a, form_id="ap-profile")
    with pytest.raises(ValidationError, match="must be a completed Alternative provision"):
        _create(a, form_id="ap-profile", baseline_ref=draft.reference)


def _sdq(**kw: int) -> dict[str, int]:
    s = {"emotional": 6, "conduct": 4, "hyperactivity": 7, "peer": 3, "prosocial": 5, "total": 20}
    s.update(kw)
    return s


def test_a_measure_is_banded_on_the_server_and_added_to_the_chronology(a: dict) -> None:
    m = measure_record(
        actor=a["ehp"],
        purpose=EH,
        child_id=a["child"].child_id,
        instrument_id="sdq-parent",
        scores={**_sdq(), "total": "20"},
        administered_on=date(2026, 3, 1),
    )
    assert m.bands["total"] == "Abnormal" and m.bands["prosocial"] == "Abnormal"
    assert m.scores["total"] == 20
    event = Event.objects.get(event_type=EventType.ASSESSMENT)
    assert event.summary == "SDQ (parent, 4-17) recorded" and event.agency == a["early_help"]
    assert AuditEvent.objects.filter(action="measures.record", object_ref=str(m.pk)).exists()


def test_a_measure_with_wrong_scores_writes_nothing(a: dict) -> None:
    with pytest.raises(ValidationError) as exc:
        measure_record(
            actor=a["ehp"],
            purpose=EH,
            child_id=a["child"].child_id,
            instrument_id="sdq-parent",
            scores=_sdq(total=21),
            administered_on=date.today() + timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"total", "administered_on"}
    assert "today or earlier" in exc.value.message_dict["administered_on"][0]
    assert not MeasureScore.objects.exists() and not Event.objects.exists()

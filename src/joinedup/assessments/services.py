"""Writing assessments and standardised measures: the check, the write, the chronology event
and the audit entry in one transaction. Pages and the API both call these."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.access.assessments import (
    AssessmentAccess,
    access_assessment_by_id,
    assessment_guard,
    recording_guard,
)
from joinedup.access.errors import ChildNotFound
from joinedup.access.writes import GuardedWrite, guarded_write
from joinedup.assessments.answers import clean_answers
from joinedup.assessments.definitions import FormDefinition
from joinedup.assessments.errors import AssessmentNotFound
from joinedup.assessments.instruments import score_measure
from joinedup.assessments.library import assessment_form, measure_instrument
from joinedup.assessments.models import Assessment, AssessmentStatus, MeasureScore
from joinedup.chronology.models import Event
from joinedup.chronology.vocabulary import EventType, Sensitivity
from joinedup.governance.models import StaffUser
from joinedup.needs.selectors import area_vocabulary
from joinedup.people.models import CHILD_ID_ALPHABET

__all__ = [
    "assessment_complete",
    "assessment_create",
    "assessment_update",
    "measure_record",
]


def _new_reference() -> str:
    while True:
        ref = "A-" + "".join(secrets.choice(CHILD_ID_ALPHABET) for _ in range(8))
        if not Assessment.objects.filter(reference=ref).exists():
            return ref


def _agency_id(actor: StaffUser) -> int:
    if actor.agency_id is None:  # recording_guard refuses staff of no agency
        raise ChildNotFound()
    return actor.agency_id


def _clean(form: FormDefinition, answers: Any, *, complete: bool) -> dict[str, Any]:
    clean, errors = clean_answers(
        form, answers or {}, vocabulary=area_vocabulary(), complete=complete
    )
    if errors:
        raise ValidationError(errors)
    return clean


def _level(form: FormDefinition, clean: dict[str, Any]) -> int | None:
    return next((clean.get(q.id) for q in form.questions if q.type == "level"), None)


def _baseline(
    actor: StaffUser, purpose: str, form: FormDefinition, child_pk: int, ref: str
) -> Assessment | None:
    if not ref:
        return None
    if not form.allows_baseline:
        raise ValidationError({"baseline": f"{form.title} is not compared with a baseline."})
    try:
        baseline = access_assessment_by_id(actor, ref, purpose=purpose).assessment
    except AssessmentNotFound:
        raise ValidationError({"baseline": f"No assessment {ref[:20]} that you can see."}) from None
    if (
        baseline.child_id != child_pk
        or baseline.form != form.id
        or baseline.status != AssessmentStatus.COMPLETED
    ):
        raise ValidationError(
            {"baseline": f"The baseline must be a completed {form.title} for the same child."}
        )
    return baseline


def _chronology_add(event: Event) -> None:
    event.full_clean()
    event.save()


def _complete_event(actor: StaffUser, a: Assessment, form: FormDefinition) -> None:
    _chronology_add(
        Event(
            child=a.child,
            event_type=EventType.ASSESSMENT,
            occurred_at=a.completed_at or timezone.now(),
            agency=a.agency,
            sensitivity=Sensitivity.SENSITIVE,
            summary=form.event_summary,  # from the definition: never free text
            payload={"reference": a.reference, "form": a.form, "level": a.level},
        )
    )


def assessment_create(
    *,
    actor: StaffUser,
    purpose: str,
    child_id: str,
    form_id: str,
    answers: dict[str, Any] | None = None,
    baseline_ref: str = "",
    complete: bool = False,
) -> Assessment:
    """A draft (partial answers allowed), or with complete=True a completed assessment."""
    with guarded_write(
        recording_guard(child_id), actor=actor, action="assessments.create", purpose=purpose
    ) as write:
        child = write.target.child
        form = assessment_form(form_id)
        if form is None:
            raise ValidationError({"form": f"'{form_id[:60]}' is not one of the area's forms."})
        clean = _clean(form, answers, complete=complete)
        now = timezone.now()
        a = Assessment(
            reference=_new_reference(),
            child=child,
            form=form.id,
            form_version=form.version,
            agency_id=_agency_id(actor),
            team_id=actor.team_id,
            author=actor,
            answers=clean,
            level=_level(form, clean),
            baseline=_baseline(actor, purpose, form, child.pk, baseline_ref),
            created_at=now,
            updated_at=now,
        )
        if complete:
            a.status, a.completed_at = AssessmentStatus.COMPLETED, now
        a.full_clean()
        a.save()
        write.audit(
            child_ref=child.child_id,
            object_type="assessment",
            object_ref=a.reference,
            detail={"form": form.id, "version": form.version, "status": a.status},
        )
        if complete:
            _complete_event(actor, a, form)
            write.audit(
                action="assessments.complete",
                child_ref=child.child_id,
                object_type="assessment",
                object_ref=a.reference,
            )
    return a


def _audit_change(write: GuardedWrite[AssessmentAccess]) -> None:
    """A draft's change: the entry names how the actor came to it (`via`)."""
    a = write.target.assessment
    write.audit(
        child_ref=a.child.child_id,
        object_type="assessment",
        object_ref=a.reference,
        detail={"via": write.target.via},
    )


def assessment_update(
    *,
    actor: StaffUser,
    purpose: str,
    reference: str,
    answers: dict[str, Any],
    baseline_ref: str | None = None,
) -> Assessment:
    """Save a draft's answers (partial allowed). Drafts only; the author's agency only."""
    with guarded_write(
        assessment_guard(reference), actor=actor, action="assessments.update", purpose=purpose
    ) as write:
        a = write.target.assessment
        form = assessment_form(a.form)
        if form is None:
            raise ValidationError({"form": f"The form '{a.form}' is no longer configured."})
        a.answers = _clean(form, answers, complete=False)
        a.level = _level(form, a.answers)
        if baseline_ref is not None:
            a.baseline = _baseline(actor, purpose, form, a.child_id, baseline_ref)
        a.updated_at = timezone.now()
        a.full_clean()
        a.save()
        _audit_change(write)
    return a


def assessment_complete(
    *,
    actor: StaffUser,
    purpose: str,
    reference: str,
    answers: dict[str, Any] | None = None,
) -> Assessment:
    """Check every required answer, mark the draft completed and add it to the chronology."""
    with guarded_write(
        assessment_guard(reference), actor=actor, action="assessments.complete", purpose=purpose
    ) as write:
        a = write.target.assessment
        form = assessment_form(a.form)
        if form is None:
            raise ValidationError({"form": f"The form '{a.form}' is no longer configured."})
        a.answers = _clean(form, a.answers if answers is None else answers, complete=True)
        a.level = _level(form, a.answers)
        a.status = AssessmentStatus.COMPLETED
        a.completed_at = a.updated_at = timezone.now()
        a.full_clean()
        a.save()
        _complete_event(actor, a, form)
        _audit_change(write)
    return a


def _administered_on(value: date | str | None, child_dob: date | None) -> date:
    if value in (None, ""):
        raise ValidationError({"administered_on": "Enter the date the measure was completed."})
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(
            {"administered_on": "The date the measure was completed must be a real date."}
        ) from None
    if day > timezone.localdate():
        raise ValidationError(
            {"administered_on": "The date the measure was completed must be today or earlier."}
        )
    if child_dob and day < child_dob:
        raise ValidationError(
            {"administered_on": "The date the measure was completed is before the child's birth."}
        )
    return day


def measure_record(
    *,
    actor: StaffUser,
    purpose: str,
    child_id: str,
    instrument_id: str,
    scores: dict[str, Any],
    administered_on: date | str | None,
    assessment_ref: str = "",
) -> MeasureScore:
    """Scores as worked out on the licensed form; the bands are worked out here, never sent."""
    with guarded_write(
        recording_guard(child_id), actor=actor, action="measures.record", purpose=purpose
    ) as write:
        child = write.target.child
        instrument = measure_instrument(instrument_id)
        if instrument is None:
            raise ValidationError(
                {"instrument": f"'{instrument_id[:40]}' is not one of the area's measures."}
            )
        errors: dict[str, str] = {}
        clean, bands, score_errors = score_measure(instrument, scores)
        errors.update(score_errors)
        try:
            day = _administered_on(administered_on, child.date_of_birth)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
        if errors:
            raise ValidationError(errors)
        assessment = None
        if assessment_ref:
            assessment = access_assessment_by_id(actor, assessment_ref, purpose=purpose).assessment
            if assessment.child_id != child.pk:
                raise ValidationError({"assessment": "That assessment is about another child."})
        m = MeasureScore(
            child=child,
            instrument=instrument.id,
            instrument_version=instrument.version,
            scores=clean,
            bands=bands,
            administered_on=day,
            agency_id=_agency_id(actor),
            recorded_by=actor,
            assessment=assessment,
        )
        m.full_clean()
        m.save()
        _chronology_add(
            Event(
                child=child,
                event_type=EventType.ASSESSMENT,
                occurred_at=timezone.now(),
                agency_id=_agency_id(actor),
                sensitivity=Sensitivity.SENSITIVE,
                summary=f"{instrument.title} recorded",
                payload={"instrument": instrument.id, "scores": clean, "bands": bands},
            )
        )
        write.audit(
            child_ref=child.child_id,
            object_type="measure",
            object_ref=str(m.pk),
            detail={"instrument": instrument.id, "bands": bands},
        )
    return m

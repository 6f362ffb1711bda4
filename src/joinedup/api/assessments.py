"""The assessments API: the same access layer, services and audit as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from joinedup.access.assessments import (
    access_assessment_by_id,
    assessment_list_for_child,
    measure_list_for_child,
)
from joinedup.access.children import access_child_by_id
from joinedup.api import auth
from joinedup.api.schemas.assessments import (
    AssessmentIn,
    AssessmentOut,
    FieldErrorsOut,
    MeasureIn,
    MeasureOut,
)
from joinedup.api.schemas.errors import ErrorOut
from joinedup.assessments.services import (
    assessment_complete,
    assessment_create,
    assessment_update,
    measure_record,
)

router = Router(tags=["assessments"])


def _assessment(a: Any) -> dict[str, Any]:
    return {
        "reference": a.reference,
        "child_id": a.child.child_id,
        "form": a.form,
        "form_version": a.form_version,
        "agency": a.agency.name,
        "author": a.author.display_name,
        "status": a.status,
        "level": a.level,
        "answers": a.answers,
        "baseline": a.baseline.reference if a.baseline_id else None,
        "created_at": a.created_at,
        "completed_at": a.completed_at,
    }


def _measure(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "child_id": m.child.child_id,
        "instrument": m.instrument,
        "instrument_version": m.instrument_version,
        "administered_on": m.administered_on,
        "agency": m.agency.name,
        "scores": m.scores,
        "bands": m.bands,
    }


def _invalid(exc: ValidationError) -> tuple[int, dict[str, Any]]:
    if hasattr(exc, "error_dict"):
        errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
    else:
        errors = {"__all__": " ".join(exc.messages)}
    return 422, {"detail": "The request has problems: see errors.", "errors": errors}


@router.post(
    "/measures",
    response={201: MeasureOut, 400: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut},
    summary="Record a standardised measure",
    operation_id="joinedup_assessments_api_measures_record",
)
def measures_record(request: HttpRequest, body: MeasureIn) -> Any:
    """Scores as worked out on the licensed form (SDQ, SWEMWBS, Outcomes Star). The bands are
    worked out by the server from the area's instrument definitions; any sent are ignored."""
    viewer = auth.viewer(request)
    try:
        m = measure_record(
            actor=viewer,
            purpose=auth.purpose(request, body.purpose),
            child_id=body.child_id,
            instrument_id=body.instrument,
            scores=body.scores,
            administered_on=body.administered_on,
            assessment_ref=body.assessment,
        )
    except ValidationError as exc:
        return _invalid(exc)
    return 201, _measure(m)


@router.get(
    "",
    response={200: dict[str, Any], 400: ErrorOut, 404: ErrorOut},
    summary="A child's assessments and measures",
    operation_id="joinedup_assessments_api_assessments_for_child",
)
def assessments_for_child(request: HttpRequest, child_id: str, purpose: str | None = None) -> Any:
    """The assessments and measures of this child you may read (own agency; shared by a
    live agreement covering assessments; attached to a referral your team received)."""
    viewer = auth.viewer(request)
    access = access_child_by_id(viewer, child_id, purpose=auth.purpose(request, purpose))
    return {
        "child_id": access.child.child_id,
        "assessments": [_assessment(a) for a in assessment_list_for_child(access=access)],
        "measures": [_measure(m) for m in measure_list_for_child(access=access)],
    }


@router.post(
    "",
    response={
        200: AssessmentOut,
        201: AssessmentOut,
        400: ErrorOut,
        404: ErrorOut,
        422: FieldErrorsOut,
    },
    summary="Create, save or complete an assessment",
    operation_id="joinedup_assessments_api_assessments_write",
)
def assessments_write(request: HttpRequest, body: AssessmentIn) -> Any:
    """Without `reference`: a new assessment of `child_id` on `form` (a draft, or completed
    when `complete` is true). With `reference`: save the draft's answers, or complete it."""
    viewer = auth.viewer(request)
    purpose = auth.purpose(request, body.purpose)
    try:
        if not body.reference:
            a = assessment_create(
                actor=viewer,
                purpose=purpose,
                child_id=body.child_id,
                form_id=body.form,
                answers=body.answers,
                baseline_ref=body.baseline,
                complete=body.complete,
            )
            return 201, _assessment(a)
        if body.complete:
            a = assessment_complete(
                actor=viewer,
                purpose=purpose,
                reference=body.reference,
                answers=body.answers or None,
            )
        else:
            a = assessment_update(
                actor=viewer, purpose=purpose, reference=body.reference, answers=body.answers
            )
        return 200, _assessment(a)
    except ValidationError as exc:
        return _invalid(exc)


@router.get(
    "/{reference}",
    response={200: AssessmentOut, 400: ErrorOut, 404: ErrorOut},
    summary="One assessment",
    operation_id="joinedup_assessments_api_assessments_detail",
)
def assessments_detail(request: HttpRequest, reference: str, purpose: str | None = None) -> Any:
    """One assessment, with its answers. 404 for one you may not read, as for a missing one."""
    viewer = auth.viewer(request)
    access = access_assessment_by_id(viewer, reference, purpose=auth.purpose(request, purpose))
    return _assessment(access.assessment)

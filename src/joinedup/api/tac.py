"""The team around the child over the API: the same access layer, services and audit as the
pages. A team you may not see and one that does not exist both answer 404; bad input answers
422 with a message per field."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router

from joinedup.access.tac import access_tac_by_id
from joinedup.api import auth
from joinedup.api.schemas.errors import ErrorOut
from joinedup.api.schemas.tac import (
    ActionOut,
    ActionUpdateIn,
    MeetingIn,
    TacErrorOut,
    TacOpenIn,
    TacOut,
)
from joinedup.governance.models import StaffUser
from joinedup.tac.selectors import ActionRow, tac_detail
from joinedup.tac.services import tac_action_update, tac_meeting_record, tac_open

router = Router(tags=["tac"])

NOT_FOUND = {"detail": "Not found."}


def _person(user: StaffUser | None) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        "id": user.pk,
        "name": user.display_name,
        "agency": user.agency.name if user.agency_id and user.agency else None,
    }


def _action(row: ActionRow) -> dict[str, Any]:
    a = row.action
    return {
        "id": a.pk,
        "description": a.description,
        "owner": _person(a.owner),
        "due_on": a.due_on,
        "status": a.status,
        "is_overdue": row.is_overdue,
        "completion_note": a.completion_note,
        "meeting_id": a.meeting_id,
    }


def _tac_out(viewer: StaffUser, reference: str, purpose: str) -> dict[str, Any]:
    access = access_tac_by_id(viewer, reference, purpose=purpose)
    d = tac_detail(access=access)
    tac = d.tac
    return {
        "reference": tac.reference,
        "child_id": tac.child.child_id,
        "level": tac.level,
        "level_label": d.level_label,
        "lead_professional": _person(tac.lead_professional),
        "opened_on": tac.opened_on,
        "closed_on": tac.closed_on,
        "close_reason": tac.close_reason,
        "referral": tac.referral.reference if tac.referral else None,
        "members": [
            {
                "id": m.pk,
                "agency": m.agency.name,
                "worker": _person(m.worker),
                "role_in_team": m.role_in_team,
                "joined_on": m.joined_on,
                "is_lead_professional": bool(
                    m.worker_id and m.worker_id == tac.lead_professional_id
                ),
            }
            for m in d.current_members
        ],
        "actions": [_action(r) for r in d.actions],
        "meetings": [
            {
                "id": m.pk,
                "held_on": m.held_on,
                "attendees": [_person(a) for a in m.attendees.all()],
                "others_present": m.others_present,
                "child_attended": m.child_attended,
                "child_views": m.child_views,
                "notes": m.notes,
                "decisions": m.decisions,
                "action_ids": [a.pk for a in m.actions.all()],
                "recorded_by": _person(m.recorded_by),
                "recorded_at": m.recorded_at,
            }
            for m in d.meetings
        ],
        "level_history": [
            {
                "from_level": r.change.from_level,
                "to_level": r.change.to_level,
                "direction": r.change.direction,
                "reason": r.change.reason,
                "referral": r.change.referral.reference if r.change.referral else None,
                "changed_by": _person(r.change.changed_by),
                "changed_at": r.change.changed_at,
            }
            for r in d.level_history
        ],
    }


def _fail(exc: Exception) -> tuple[int, dict[str, Any]]:
    if isinstance(exc, Http404):
        return 404, NOT_FOUND
    assert isinstance(exc, ValidationError)
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return 422, {"detail": " ".join(m for ms in errors.values() for m in ms), "errors": errors}


@router.get(
    "/{reference}",
    response={200: TacOut, 400: ErrorOut, 404: ErrorOut},
    summary="A team around the child",
    operation_id="joinedup_tac_api_tac_get",
)
def tac_get(request: HttpRequest, reference: str, purpose: str | None = None) -> Any:
    """Level, lead professional, members, action plan, meetings and level history, for a
    current member or a colleague in their team (and able to open the child). Audited."""
    viewer = auth.viewer(request)
    try:
        return _tac_out(viewer, reference, auth.purpose(request, purpose))
    except Http404 as exc:
        return _fail(exc)


@router.post(
    "",
    response={201: TacOut, 400: ErrorOut, 404: ErrorOut, 422: TacErrorOut},
    summary="Open a team around the child",
    operation_id="joinedup_tac_api_tac_post",
)
def tac_post(request: HttpRequest, body: TacOpenIn) -> Any:
    """Open a team around a child you work with; you become its first member. 404 for a
    child you may not see or that does not exist."""
    viewer = auth.viewer(request)
    purpose = auth.purpose(request, body.purpose)
    try:
        tac = tac_open(
            actor=viewer,
            purpose=purpose,
            child_id=body.child_id,
            level=body.level,
            lead_professional_id=body.lead_professional_id,
            referral_reference=body.referral_reference,
        )
        return 201, _tac_out(viewer, tac.reference, purpose)
    except (Http404, ValidationError) as exc:
        return _fail(exc)


@router.post(
    "/{reference}/meetings",
    response={201: TacOut, 400: ErrorOut, 404: ErrorOut, 422: TacErrorOut},
    summary="Record a team around the child meeting",
    operation_id="joinedup_tac_api_tac_meeting_post",
)
def tac_meeting_post(request: HttpRequest, reference: str, body: MeetingIn) -> Any:
    """Attendees and action owners must be current members; due dates on or after the
    meeting. Every problem is reported at once (errors keyed by field, e.g.
    `actions[1].due_on`); nothing is written unless all is well."""
    viewer = auth.viewer(request)
    purpose = auth.purpose(request, body.purpose)
    try:
        tac_meeting_record(
            actor=viewer,
            purpose=purpose,
            reference=reference,
            held_on=body.held_on,
            attendee_ids=body.attendee_ids,
            others_present=body.others_present,
            child_attended=body.child_attended,
            child_views=body.child_views,
            notes=body.notes,
            decisions=body.decisions,
            actions=[a.dict() for a in body.actions],
        )
        return 201, _tac_out(viewer, reference, purpose)
    except (Http404, ValidationError) as exc:
        return _fail(exc)


@router.post(
    "/actions/{action_id}",
    response={200: ActionOut, 400: ErrorOut, 404: ErrorOut, 422: TacErrorOut},
    summary="Update an action",
    operation_id="joinedup_tac_api_tac_action_post",
)
def tac_action_post(request: HttpRequest, action_id: int, body: ActionUpdateIn) -> Any:
    """The owner or the lead professional marks an action done, cancelled or open again
    (done and cancelled need a note)."""
    viewer = auth.viewer(request)
    purpose = auth.purpose(request, body.purpose)
    try:
        action = tac_action_update(
            actor=viewer, purpose=purpose, action_id=action_id, status=body.status, note=body.note
        )
        out = _tac_out(viewer, action.tac.reference, purpose)
    except (Http404, ValidationError) as exc:
        return _fail(exc)
    return next(a for a in out["actions"] if a["id"] == action.pk)

"""The referrals API: the same access layer, services and audit as the pages.

A referral you may not see and one that does not exist both answer 404 with the same body.
Bad input answers 422 naming each field; a change the referral's status (or your side of it)
does not allow answers 409 saying what is allowed; a role that does not make referrals, 403.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from joinedup.access.referrals import (
    ReferralAccess,
    access_referral_by_id,
    referral_child_id_for,
    referral_list,
)
from joinedup.api import auth
from joinedup.api.schemas.errors import ErrorOut
from joinedup.api.schemas.referrals import (
    AcceptIn,
    CloseIn,
    DeclineIn,
    FieldErrorsOut,
    ListParams,
    NoteIn,
    PurposeIn,
    ReferralCreatedOut,
    ReferralEditIn,
    ReferralIn,
    ReferralOut,
    ReferralSummaryOut,
)
from joinedup.governance.models import StaffUser
from joinedup.needs.selectors import area_vocabulary
from joinedup.people.matching import NoLinkModel, child_match
from joinedup.referrals import services
from joinedup.referrals.choices import ReferralStatus
from joinedup.referrals.errors import ReferralNotAllowed, ReferralNotFound, TransitionRefused
from joinedup.referrals.selectors import (
    referral_attachment_refs,
    referral_history,
    referral_needs,
)

if TYPE_CHECKING:
    from joinedup.referrals.models import Referral

router = Router(tags=["referrals"])

NOT_FOUND = "Not found."
ERRORS: dict[int | tuple[int, ...], Any] = {
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: FieldErrorsOut,
}
DETAIL_FIELDS = (
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "upn",
    "reason",
    "what_tried",
    "child_views",
    "family_views",
    "consent",
    "sharing_basis",
    "sharing_reason",
    "acknowledged_at",
    "decided_at",
    "decline_reason",
    "alternative",
    "alternative_taken_up_at",
    "alternative_note",
    "closed_at",
    "outcome",
    "outcome_note",
)
_HANDLED = (ReferralNotFound, ReferralNotAllowed, ValidationError)


def _failure(exc: Exception) -> tuple[int, dict[str, Any]]:
    if isinstance(exc, ReferralNotFound):
        return 404, {"detail": NOT_FOUND}
    if isinstance(exc, ReferralNotAllowed):
        return 403, {"detail": str(exc)}
    if isinstance(exc, TransitionRefused):
        return 409, {"detail": exc.messages[0]}
    assert isinstance(exc, ValidationError)
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    first = next(iter(errors.values()))[0]
    return 422, {"detail": f"Please correct the referral: {first}", "errors": errors}


def _named(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _summary(r: Referral) -> dict[str, Any]:
    return {
        "reference": r.reference,
        "status": r.status,
        "given_name": r.given_name,
        "family_name": r.family_name,
        "date_of_birth": r.date_of_birth,
        "from_agency": _named(r.from_agency),
        "to_agency": _named(r.to_agency),
        "to_team": _named(r.to_team),
        "level": r.level,
        "level_label": area_vocabulary().level_label(r.level),
        "sender_term": r.sender_term,
        "created_at": r.created_at,
        "sent_at": r.sent_at,
        "acknowledge_by": r.acknowledge_by,
        "re_referral_of": r.re_referral_of.reference if r.re_referral_of else None,
    }


def _detail(access: ReferralAccess) -> dict[str, Any]:
    r = access.referral
    out = _summary(r)
    out.update({name: getattr(r, name) for name in DETAIL_FIELDS})
    out.update(
        side=access.side,
        actions=sorted(access.actions),
        child_id=referral_child_id_for(access),
        from_team=_named(r.from_team),
        to_service=_named(r.to_service),
        alternative_service=_named(r.alternative_service),
        needs=[vars(n) for n in referral_needs(access=access)],
        attachments=referral_attachment_refs(access=access),
        history=[
            {
                "from_status": t.from_status,
                "to_status": t.to_status,
                "actor": t.actor.display_name,
                "at": t.at,
                "note": t.note,
            }
            for t in referral_history(access=access)
        ],
    )
    return out


def _opened(viewer: StaffUser, reference: str, purpose: str) -> dict[str, Any]:
    return _detail(access_referral_by_id(viewer, reference, purpose=purpose))


def _match(viewer: StaffUser, details: dict[str, Any], purpose: str) -> dict[str, Any]:
    person = {k: v.isoformat() if isinstance(v, date) else v for k, v in details.items() if v}
    none: dict[str, Any] = {"candidates": [], "hidden_matches": 0, "hidden_message": ""}
    try:
        result = child_match(viewer=viewer, person=person, purpose=purpose)
    except (ValueError, NoLinkModel) as exc:
        return {**none, "unavailable": str(exc)}
    return {
        "candidates": [
            {"child_id": c.child_id, "probability": c.probability, "evidence": c.evidence}
            for c in result.candidates
        ],
        "hidden_matches": result.hidden_matches,
        "hidden_message": result.hidden_message,
        "unavailable": "",
    }


@router.post(
    "",
    response={201: ReferralCreatedOut, **ERRORS},
    summary="Start a referral",
    operation_id="joinedup_referrals_api_referrals_create",
)
def referrals_create(request: HttpRequest, body: ReferralIn) -> Any:
    """Save a draft referral and answer "is this child known?": the children you may see who
    might be the child described (choose one as `child_id` when editing), and a count of likely
    matches you may not see. Gaps are allowed until you send it."""
    viewer = auth.viewer(request)
    purpose = auth.purpose(request, body.purpose)
    fields = body.dict(exclude={"purpose"})
    try:
        referral = services.referral_create(actor=viewer, purpose=purpose, **fields)
    except _HANDLED as exc:
        return _failure(exc)
    match = _match(viewer, fields["details"], purpose)
    return 201, {"referral": _opened(viewer, referral.reference, purpose), "match": match}


@router.get(
    "",
    response={200: list[ReferralSummaryOut], 400: ErrorOut},
    summary="Referrals",
    operation_id="joinedup_referrals_api_referrals_list",
)
def referrals_list(request: HttpRequest, params: Query[ListParams]) -> Any:
    """Referrals your team has received (`box=received`) or your team or agency has sent
    (`box=sent`), newest first, optionally only some statuses (`status=sent,acknowledged`)."""
    viewer = auth.viewer(request)
    if params.box not in {"sent", "received"}:
        raise HttpError(400, "box must be 'sent' or 'received'.")
    statuses = [s.strip() for s in params.status.split(",") if s.strip()]
    unknown = sorted(set(statuses) - set(ReferralStatus.values))
    if unknown:
        allowed = ", ".join(ReferralStatus.values)
        raise HttpError(400, f"Unknown status {', '.join(unknown)}: use {allowed}.")
    if not 1 <= params.limit <= 200 or params.offset < 0:
        raise HttpError(400, "limit must be 1 to 200 and offset 0 or more.")
    found = referral_list(
        viewer=viewer,
        purpose=auth.purpose(request, params.purpose),
        box=params.box,
        statuses=statuses or None,
        limit=params.limit,
        offset=params.offset,
    )
    return [_summary(r) for r in found]


@router.get(
    "/{reference}",
    response={200: ReferralOut, **ERRORS},
    summary="A referral",
    operation_id="joinedup_referrals_api_referrals_detail",
)
def referrals_detail(request: HttpRequest, reference: str, purpose: str | None = None) -> Any:
    """The referral as sent, its history, and what you may do with it now (`actions`)."""
    viewer = auth.viewer(request)
    try:
        return _opened(viewer, reference, auth.purpose(request, purpose))
    except _HANDLED as exc:
        return _failure(exc)


def _act(request: HttpRequest, reference: str, body: Schema, verb: str) -> Any:
    viewer = auth.viewer(request)
    purpose = auth.purpose(request, getattr(body, "purpose", None))
    fields = body.dict(exclude={"purpose"})
    service = getattr(services, f"referral_{verb}")
    if verb == "update":
        fields = {k: v for k, v in fields.items() if v is not None}
        dob = (fields.get("details") or {}).get("date_of_birth")
        if isinstance(dob, str) and dob:
            with suppress(ValueError):  # else the service names the field and the format
                fields["details"]["date_of_birth"] = date.fromisoformat(dob)
    try:
        service(actor=viewer, purpose=purpose, reference=reference, **fields)
        return _opened(viewer, reference, purpose)
    except _HANDLED as exc:
        return _failure(exc)


VERB_RESPONSES: dict[int | tuple[int, ...], Any] = {200: ReferralOut, **ERRORS}


@router.post(
    "/{reference}/edit",
    response=VERB_RESPONSES,
    summary="Change a draft referral",
    operation_id="joinedup_referrals_api_referrals_edit",
)
def referrals_edit(request: HttpRequest, reference: str, body: ReferralEditIn) -> Any:
    """Only the fields you give change (the sender only, while it is a draft)."""
    return _act(request, reference, body, "update")


@router.post(
    "/{reference}/send",
    response=VERB_RESPONSES,
    summary="Send a referral",
    operation_id="joinedup_referrals_api_referrals_send",
)
def referrals_send(request: HttpRequest, reference: str, body: PurposeIn) -> Any:
    """Send a complete draft; 422 names every missing field at once."""
    return _act(request, reference, body, "send")


@router.post(
    "/{reference}/acknowledge",
    response=VERB_RESPONSES,
    summary="Acknowledge a referral",
    operation_id="joinedup_referrals_api_referrals_acknowledge",
)
def referrals_acknowledge(request: HttpRequest, reference: str, body: NoteIn) -> Any:
    return _act(request, reference, body, "acknowledge")


@router.post(
    "/{reference}/accept",
    response=VERB_RESPONSES,
    summary="Accept a referral",
    operation_id="joinedup_referrals_api_referrals_accept",
)
def referrals_accept(request: HttpRequest, reference: str, body: AcceptIn) -> Any:
    """Accepting gives your team (and the worker named) an involvement with the child."""
    return _act(request, reference, body, "accept")


@router.post(
    "/{reference}/decline",
    response=VERB_RESPONSES,
    summary="Decline a referral",
    operation_id="joinedup_referrals_api_referrals_decline",
)
def referrals_decline(request: HttpRequest, reference: str, body: DeclineIn) -> Any:
    """Say why, and suggest an alternative (both required)."""
    return _act(request, reference, body, "decline")


@router.post(
    "/{reference}/close",
    response=VERB_RESPONSES,
    summary="Close a referral",
    operation_id="joinedup_referrals_api_referrals_close",
)
def referrals_close(request: HttpRequest, reference: str, body: CloseIn) -> Any:
    return _act(request, reference, body, "close")


@router.post(
    "/{reference}/alternative-taken-up",
    response=VERB_RESPONSES,
    summary="Record the alternative taken up",
    operation_id="joinedup_referrals_api_referrals_alternative_taken_up",
)
def referrals_alternative_taken_up(request: HttpRequest, reference: str, body: NoteIn) -> Any:
    return _act(request, reference, body, "alternative_taken_up")

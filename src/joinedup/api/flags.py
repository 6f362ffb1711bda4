"""A child's early-warning flags over the API: the same selector, checks and audit as the
child page and the worklist item page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from joinedup.access.children import access_child_by_id
from joinedup.access.errors import AccessRefused
from joinedup.api import auth
from joinedup.api.schemas.errors import ErrorOut
from joinedup.api.schemas.flags import (
    ChildFlagsOut,
    FlagDecisionErrorOut,
    FlagDecisionIn,
    FlagDecisionOut,
)
from joinedup.indicators.flag_decisions import flag_decision_record
from joinedup.indicators.selectors import DecisionView, FlagExplanation, child_flag_panel

router = Router(tags=["flags"])


def _decision(d: DecisionView) -> dict[str, Any]:
    return {
        "decision": d.decision,
        "reason": d.reason,
        "decided_by": d.decided_by,
        "agency": d.agency,
        "decided_at": d.decided_at,
        "flag_ids": list(d.flag_ids),
    }


def _flag(e: FlagExplanation) -> dict[str, Any]:
    out = {k: v for k, v in vars(e).items() if k not in {"trend_svg", "decisions", "items"}}
    out["trend"] = [{"end": p.end, "value": p.value} for p in e.trend]
    out["items"] = [{"date": i.date, "what": i.what} for i in e.items]
    out["decisions"] = [_decision(d) for d in e.decisions]
    return out


@router.get(
    "/{child_id}/flags",
    response={200: ChildFlagsOut, 400: ErrorOut, 404: ErrorOut},
    summary="A child's early-warning flags",
    operation_id="joinedup_indicators_api_child_flags",
)
def child_flags(request: HttpRequest, child_id: str, purpose: str | None = None) -> dict:
    """Each open flag you may see, explained: value against threshold, window, source, data
    date, what would clear it and its trend; cleared flags; and the decisions recorded
    (on each flag, and all together). No score. 404 as for the child's record."""
    viewer = auth.viewer(request)
    access = access_child_by_id(viewer, child_id, purpose=auth.purpose(request, purpose))
    panel = child_flag_panel(viewer=viewer, access=access)
    return {
        "child_id": access.child.child_id,
        "purpose": access.purpose,
        "open": [_flag(e) for e in panel.open],
        "cleared": [_flag(e) for e in panel.cleared],
        "decisions": [_decision(d) for d in panel.decisions],
        "withheld": panel.withheld,
    }


@router.post(
    "/{child_id}/flags/decisions",
    response={
        201: FlagDecisionOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: FlagDecisionErrorOut,
    },
    summary="Record a decision on a child's open flags",
    operation_id="joinedup_indicators_api_child_flags_decide",
)
def child_flags_decide(request: HttpRequest, child_id: str, body: FlagDecisionIn) -> Any:
    """As the worklist's decision form: `decision` is no_action, monitor, offer_support or
    refer, with a `reason`; it covers every open flag of the child you can see. Needs a
    relationship with the child (404 without, as for the record) and a role that decides on
    flags (403 with the reason otherwise, audited as a denial); 422 names each field that is
    wrong. Nothing is referred automatically."""
    viewer = auth.viewer(request)
    purpose = auth.purpose(request, body.purpose)
    try:
        record = flag_decision_record(
            actor=viewer,
            child_id=child_id,
            decision=body.decision,
            reason=body.reason,
            purpose=purpose,
        )
    except AccessRefused as exc:
        return 403, {"detail": str(exc)}
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return 422, {"detail": " ".join(m for ms in errors.values() for m in ms), "errors": errors}
    return 201, {
        "decision": record.decision,
        "reason": record.reason,
        "decided_by": record.decided_by.display_name,
        "agency": record.agency.name,
        "decided_at": record.decided_at,
        "flag_ids": sorted(f.pk for f in record.flags.all()),
    }

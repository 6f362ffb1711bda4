"""A child's early-warning flags over the API: the same selector, checks and audit as the
child page and the worklist item page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from joinedup.access.children import access_child_by_id
from joinedup.api.children import _purpose, _viewer
from joinedup.api.schemas import ErrorOut
from joinedup.indicators.schemas import ChildFlagsOut
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
)
def child_flags(request: HttpRequest, child_id: str, purpose: str | None = None) -> dict:
    """Each open flag you may see, explained: value against threshold, window, source, data
    date, what would clear it and its trend; cleared flags; and the decisions recorded
    (on each flag, and all together). No score. 404 as for the child's record."""
    viewer = _viewer(request)
    access = access_child_by_id(viewer, child_id, purpose=_purpose(viewer, purpose))
    panel = child_flag_panel(viewer=viewer, access=access)
    return {
        "child_id": access.child.child_id,
        "purpose": access.purpose,
        "open": [_flag(e) for e in panel.open],
        "cleared": [_flag(e) for e in panel.cleared],
        "decisions": [_decision(d) for d in panel.decisions],
        "withheld": panel.withheld,
    }

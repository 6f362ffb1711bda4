"""A child over the API: find one, and read their record, through the access layer (audited)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from joinedup.access.children import access_child_by_id, child_search, visible_events
from joinedup.api import auth
from joinedup.api.schemas.children import ChildRecordOut, ChildSummaryOut, SearchParams
from joinedup.api.schemas.errors import ErrorOut
from joinedup.people.selectors import child_profile

router = Router(tags=["children"])


@router.get("/", response={200: list[ChildSummaryOut], 400: ErrorOut}, summary="Find a child")
def children_search(request: HttpRequest, params: Query[SearchParams]) -> list[ChildSummaryOut]:
    """Children you may see whose name or date of birth matches. Give at least one."""
    viewer = auth.viewer(request)
    if not params.name.strip() and params.date_of_birth is None:
        raise HttpError(400, "Give a name or a date_of_birth (YYYY-MM-DD) to search.")
    results = child_search(
        viewer,
        purpose=auth.purpose(request, params.purpose),
        name=params.name[:100],
        date_of_birth=params.date_of_birth,
    )
    return [ChildSummaryOut.from_orm(c) for c in results]


@router.get(
    "/{child_id}",
    response={200: ChildRecordOut, 400: ErrorOut, 404: ErrorOut},
    summary="A child's record",
)
def children_detail(request: HttpRequest, child_id: str, purpose: str | None = None) -> dict:
    """Identity, who is involved and the chronology you may see, with a count of what is
    withheld and under which agreement you could see it."""
    viewer = auth.viewer(request)
    access = access_child_by_id(viewer, child_id, purpose=auth.purpose(request, purpose))
    profile = child_profile(access=access)
    chronology = visible_events(viewer, access)
    return {
        "child": access.child,
        "purpose": access.purpose,
        "relationship": access.relationship,
        "identifiers": profile.identifiers,
        "involvements": [
            {
                "agency": i.agency.name,
                "team": i.team.name if i.team else None,
                "worker": i.worker.display_name if i.worker else None,
                "description": i.description,
                "started_on": i.started_on,
                "is_lead_professional": i.is_lead_professional,
                "level": i.level,
            }
            for i in profile.involvements
        ],
        "events": [
            {
                "id": v.event.pk,
                "event_type": v.event.event_type,
                "occurred_at": v.event.occurred_at,
                "recording_agency": v.event.agency.name,
                "sensitivity": v.event.sensitivity,
                "summary": v.summary,
                "payload": v.payload,
                "shared_under": v.shared_under,
            }
            for v in chronology.events
        ],
        "withheld": [
            {
                "reason": w.reason,
                "count": w.count,
                "agreements": list(w.agreements),
                "purposes": list(w.purposes),
            }
            for w in chronology.withheld
        ],
    }

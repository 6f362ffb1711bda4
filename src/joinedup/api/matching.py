"""Is this child known? Over the API: the same matching, checks and audit as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from joinedup.api import auth
from joinedup.api.schemas.errors import ErrorOut
from joinedup.api.schemas.matching import MatchIn, MatchOut
from joinedup.people.matching import NoLinkModel, child_match

router = Router(tags=["children"])


@router.post(
    "/match",
    response={200: MatchOut, 400: ErrorOut, 503: ErrorOut},
    summary="Is this child known?",
)
def children_match(request: HttpRequest, body: MatchIn) -> dict:
    """Children you may see who might be the person described, most likely first, with the
    evidence. A likely match to a child you may not see is only counted (`hidden_matches`):
    ask the safeguarding hub. Give at least a name, a date of birth or an identifier."""
    viewer = auth.viewer(request)
    purpose = auth.purpose(request, body.purpose)
    person = body.dict(exclude={"purpose"}, exclude_none=True)
    try:
        result = child_match(viewer=viewer, person=person, purpose=purpose)
    except ValueError as exc:
        raise HttpError(400, str(exc)) from exc
    except NoLinkModel as exc:
        raise HttpError(503, str(exc)) from exc
    return {
        "candidates": [
            {"child_id": c.child_id, "probability": c.probability, "evidence": c.evidence}
            for c in result.candidates
        ],
        "hidden_matches": result.hidden_matches,
        "hidden_message": result.hidden_message,
    }

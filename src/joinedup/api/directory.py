"""The directory API: the same selector, role check and audit as the search page."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from joinedup.api import auth
from joinedup.api.schemas.directory import ServiceOut, ServiceSearchParams
from joinedup.api.schemas.errors import ErrorOut
from joinedup.directory.selectors import (
    AGE_MAX,
    TEXT_MAX,
    ServiceHit,
    may_search_directory,
    service_search,
)

router = Router(tags=["directory"])


def _age(raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > AGE_MAX:
        raise HttpError(422, f"age must be a whole number from 0 to {AGE_MAX}, not {raw!r}.")
    return int(raw)


def _out(hit: ServiceHit) -> dict:
    s = hit.service
    return {
        "id": s.pk,
        "oruk_id": s.oruk_id,
        "name": s.name,
        "description": s.description,
        "organisation": hit.organisation_name,
        "status": s.status,
        "min_age": s.min_age,
        "max_age": s.max_age,
        "taxonomy": list(s.taxonomy),
        "last_reviewed_on": hit.last_reviewed_on,
        "review_date_flag": hit.review_date_flag,
        "is_stale": hit.is_stale,
        "receives_referrals": hit.receives_referrals,
        "agency": s.agency.code if s.agency else None,
        "team": s.team.code if s.team else None,
        "telephone": s.telephone,
        "email": s.email,
        "url": s.url,
        "locations": list(s.locations.all()),
    }


@router.get(
    "/services",
    response={200: list[ServiceOut], 404: ErrorOut, 422: ErrorOut},
    summary="Search the service directory",
    operation_id="joinedup_directory_api_services_search",
)
def services_search(request: HttpRequest, params: Query[ServiceSearchParams]) -> list[dict]:
    """Services whose name, description, organisation or category hold every word of `text`,
    open to a child of `age` (0-25); active ones only unless `include_inactive`. Each says
    whether it is stale (not reviewed in 12 months) and whether referrals go through joinedup.
    Audited. 404 for a role that may not search the directory."""
    viewer = auth.viewer(request)
    if not may_search_directory(viewer):
        raise Http404()
    if len(params.text) > TEXT_MAX:
        raise HttpError(422, f"text must be {TEXT_MAX} characters or fewer.")
    hits = service_search(
        viewer=viewer,
        text=params.text,
        age=_age(params.age),
        include_inactive=params.include_inactive,
    )
    return [_out(h) for h in hits]

"""The NinjaAPI: session sign-in, the 404 for a child you may not see, and the routers.

The routes that once lived in the domain apps keep the operationId they had there
(`joinedup_<app>_api_<function>`, given as `operation_id=`): client code generated from the
OpenAPI document names its methods by them, and tests/api/openapi.snapshot.json pins them.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from joinedup.access.errors import ChildNotFound
from joinedup.api.assessments import router as assessments_router
from joinedup.api.children import router as children_router
from joinedup.api.directory import router as directory_router
from joinedup.api.flags import router as flags_router
from joinedup.api.matching import router as matching_router
from joinedup.api.referrals import router as referrals_router
from joinedup.api.tac import router as tac_router

api = NinjaAPI(
    title="joinedup API",
    version="1",
    description=(
        "Children's records across agencies, through the same access layer as the pages: "
        "role, legitimate relationship and a live sharing agreement, every read audited. "
        "A child you may not see and a child that does not exist both answer 404."
    ),
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=login_required,
)


@api.exception_handler(ChildNotFound)
def _child_not_found(request: HttpRequest, exc: ChildNotFound) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


api.add_router("/children", matching_router)
api.add_router("/children", children_router)
api.add_router("/children", flags_router)
api.add_router("/referrals", referrals_router)
api.add_router("/assessments", assessments_router)
api.add_router("/tac", tac_router)
api.add_router("/directory", directory_router)

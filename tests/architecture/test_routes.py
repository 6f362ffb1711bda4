"""Every URL and API route is guarded: login first, then 404 for a child you may not see,
and an audit entry for a child you may. A new route cannot be forgotten: each must be listed
below, or this test fails.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from joinedup.governance.models import AgencyType, AuditEvent, Role
from tests import factories as f

pytestmark = pytest.mark.django_db

# Routes open without sign-in, and why.
OPEN = {
    "healthz": "load-balancer health check; no data",
    "sign-in/": "the sign-in page itself",
}
# The rest of the sign-in flow, open without a session and holding no child data: single
# sign-on (404 for an unknown provider), the second factor (back to sign-in without a
# password first) and a set-password link (404 unless the link is good). Tests in tests/signin.
SIGN_IN_FLOW = {
    "sign-in/oidc/<slug:provider>/",
    "sign-in/oidc/<slug:provider>/callback/",
    "sign-in/second-factor/",
    "sign-in/second-factor/set-up/",
    "sign-in/second-factor/recovery-codes/",
    "sign-in/set-password/<slug:uidb64>/<slug:token>/",
}
# Routes that read or write one child's data: {child_id} is filled in.
CHILD_ROUTES = {
    "children/<child_id:child_id>/",
    "api/children/<child_id>",
    "api/children/<child_id>/flags",
    "worklist/<child_id:child_id>/",  # the child's flags and the decision form
}
# What an allowed read of each child route audits, besides "children.view".
CHILD_ROUTE_AUDITS = {
    "children/<child_id:child_id>/": {
        "events.list",
        "flags.list",
        "assessments.list",
        "measures.list",
    },
    "api/children/<child_id>": {"events.list"},
    "api/children/<child_id>/flags": {"flags.list"},
    "worklist/<child_id:child_id>/": {"flags.list"},
}
# Routes that need sign-in but hold no single child's record (or filter by the access layer).
SIGNED_IN = {
    "",
    "sign-out/",
    "purpose/",
    "access-history/",
    "agreements/<slug:code>/",
    "children/",
    # Worklists: filtered by the access layer (involvement scope; the front door's triage list
    # shows the minimum and needs TRIAGE_UNKNOWN); every list audited.
    "worklist/",
    "worklist/unknown/",
    "break-glass/",
    "break-glass/<int:grant_id>/review/",
    "api/",
    "api/children/",
    "api/children/match",  # filters through the access layer; hidden matches only counted
    "api/openapi.json",
    "api/docs",
    # Data analysts only (404 for other roles); reading quarantined rows is audited.
    "imports/",
    "imports/new/",
    "imports/jobs/<slug:key>/",
    "imports/jobs/<slug:key>/progress/",
    "imports/<int:run_id>/",
    "imports/<int:run_id>/quarantined.csv",
    # Data analysts only (404 for other roles); identity fields only, every view audited.
    "linkage/review/",
    "linkage/review/<int:item_id>/",
    "linkage/decisions/<int:decision_id>/",
    "linkage/children/<child_id:child_id>/",
    # Data analysts only (404 for other roles); a run's thresholds and model, no child data.
    "linkage/runs/",
    "linkage/runs/<int:run_id>/",
    # Analysts and team managers only (404 for others); aggregates only, each view audited.
    "indicators/report/",
}
# API routes that only answer POST (the others only answer GET).
POST_ONLY = {"api/children/match"}

# Each later app classifies its own routes in tests/architecture/routes/<app>.py, with the
# same names (OPEN, SIGNED_IN, CHILD_ROUTES, CHILD_ROUTE_AUDITS, POST_ONLY), each optional.
for _info in pkgutil.iter_modules([str(__import__("pathlib").Path(__file__).with_name("routes"))]):
    _module = importlib.import_module(f"tests.architecture.routes.{_info.name}")
    OPEN |= getattr(_module, "OPEN", {})
    SIGNED_IN |= getattr(_module, "SIGNED_IN", set())
    CHILD_ROUTES |= getattr(_module, "CHILD_ROUTES", set())
    CHILD_ROUTE_AUDITS |= getattr(_module, "CHILD_ROUTE_AUDITS", {})
    POST_ONLY |= getattr(_module, "POST_ONLY", set())


def _walk(patterns: list, prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _routes() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns)))


# A value of each page path converter's shape (joinedup/web/converters.py), none of them issued.
SHAPES = {
    "referral_ref": "R-NOTHING1",
    "assessment_ref": "A-NOTHING1",
    "tac_ref": "TAC-NOTHING1",
    "referral_verb": "send",
}


def _concrete(route: str, child_id: str) -> str:
    route = route.replace("<slug:code>", "any-agreement").replace("<slug:key>", "0" * 32)
    route = route.replace("<child_id:child_id>", child_id).replace("<child_id>", child_id)
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(\w+):\w+>", lambda m: SHAPES.get(m[1], m[0]), route)
    return "/" + re.sub(r"<(?:str:|slug:)?\w+>", "X-NOTHING1", route)


def test_every_route_is_classified() -> None:
    unclassified = set(_routes()) - set(OPEN) - SIGN_IN_FLOW - CHILD_ROUTES - SIGNED_IN
    assert not unclassified, f"Classify these new routes in {__file__}: {sorted(unclassified)}"
    vanished = (set(OPEN) | SIGN_IN_FLOW | CHILD_ROUTES | SIGNED_IN) - set(_routes())
    assert not vanished, f"Listed routes that no longer exist: {sorted(vanished)}"


@pytest.mark.parametrize("route", sorted(CHILD_ROUTES | SIGNED_IN))
@pytest.mark.parametrize("method", ["get", "post"])
def test_route_requires_sign_in(client: Client, route: str, method: str) -> None:
    response = getattr(client, method)(_concrete(route, "C-23456789"))
    if route.startswith("api/") and route not in {"api/", "api/openapi.json", "api/docs"}:
        # 405 for a method the route lacks: it answers before, and reveals nothing.
        assert response.status_code in {401, 405}
        assert b"child" not in response.content.lower()
    elif route == "api/":
        assert response.status_code in {302, 401, 404}
        assert b"child" not in response.content.lower()
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


@pytest.fixture
def child_and_staff() -> dict:
    school = f.agency(AgencyType.SCHOOL)
    other = f.agency(AgencyType.SCHOOL)
    child = f.child()
    f.involvement(child, school)
    f.event(child, school)
    return {
        "child": child,
        "allowed": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, school),
        "stranger": f.staff(Role.DESIGNATED_SAFEGUARDING_LEAD, other),
    }


@pytest.mark.parametrize("route", sorted(CHILD_ROUTES))
def test_child_route_is_404_without_a_relationship(
    client: Client, child_and_staff: dict, route: str
) -> None:
    client.force_login(child_and_staff["stranger"])
    before = AuditEvent.objects.filter(outcome="denied").count()
    forbidden = client.get(_concrete(route, child_and_staff["child"].child_id))
    missing = client.get(_concrete(route, "C-MISSING2"))
    assert forbidden.status_code == 404
    assert missing.status_code == 404
    assert forbidden.content == missing.content
    assert AuditEvent.objects.filter(outcome="denied").count() == before + 2


@pytest.mark.parametrize("route", sorted(CHILD_ROUTES))
def test_child_route_is_audited_when_allowed(
    client: Client, child_and_staff: dict, route: str
) -> None:
    viewer = child_and_staff["allowed"]
    child = child_and_staff["child"]
    client.force_login(viewer)
    response = client.get(_concrete(route, child.child_id))
    assert response.status_code == 200
    actions = set(
        AuditEvent.objects.filter(
            actor=viewer, child_ref=child.child_id, outcome="allowed"
        ).values_list("action", flat=True)
    )
    assert {"children.view"} | CHILD_ROUTE_AUDITS[route] <= actions


@pytest.mark.parametrize("route", sorted(SIGN_IN_FLOW))
@pytest.mark.parametrize("method", ["get", "post"])
def test_the_sign_in_flow_lets_no_one_in(client: Client, route: str, method: str) -> None:
    response = getattr(client, method)(_concrete(route, "C-23456789"))
    assert response.status_code in {302, 404}
    if response.status_code == 302:
        assert response["Location"].startswith("/sign-in/")
    assert client.get("/").status_code == 302
    assert not AuditEvent.objects.exclude(child_ref="").exists()


@pytest.mark.parametrize("route", sorted(OPEN))
def test_open_routes_hold_no_child_data(client: Client, route: str) -> None:
    response = client.get(_concrete(route, "C-23456789"))
    assert response.status_code == 200
    assert AuditEvent.objects.count() == 0

"""Who is asking, and under which purpose: every router starts here.

The API signs in with the pages' session (`django_auth` on the NinjaAPI), so `request.auth`
is the signed-in member of staff. A purpose is one the caller names, or their role's default.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError

from joinedup.access.policy import allowed_purposes, default_purpose
from joinedup.governance.models import StaffUser


def viewer(request: HttpRequest) -> StaffUser:
    """The member of staff the request is signed in as."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, StaffUser)
    return user


def purpose(request: HttpRequest, given: str | None) -> str:
    """The purpose the request works under: `given` (from the query or the body) if the
    viewer's role works under it, their role's default if none is given. Any other purpose
    answers 400 naming the ones the role may use."""
    role = viewer(request).role
    if given is None or given == "":
        return default_purpose(role) or ""
    if given not in allowed_purposes(role):
        allowed = ", ".join(allowed_purposes(role)) or "none"
        raise HttpError(400, f"purpose {given!r} is not one your role works under ({allowed}).")
    return given

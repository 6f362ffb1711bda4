"""Sign-in required everywhere, and a 12-hour absolute session lifetime."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "joinedup_signed_in_at"

# Paths that need no sign-in. The API answers 401 itself (see joinedup.api). The area's
# public pages (footer links) and the page the idle sign-out lands on are open too.
_OPEN_PREFIXES = (
    "/sign-in/",
    "/static/",
    "/api/",
    "/healthz",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/signed-out/",
)


class SessionLifetimeMiddleware:
    """End a session 12 hours after sign-in, however active (idle expiry is the cookie age)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            limit = settings.SESSION_ABSOLUTE_LIFETIME_SECONDS
            if signed_in_at is None or time.time() - float(signed_in_at) > limit:
                logout(request)
        return self.get_response(request)


class LoginRequiredMiddleware:
    """Deny by default: every page needs a signed-in user unless listed as open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)

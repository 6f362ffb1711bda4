"""Sign-in required everywhere, and a 12-hour absolute session lifetime."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

SIGNED_IN_AT = "joinedup_signed_in_at"
# How the session was signed in: "oidc" (the identity provider did any second factor) or
# "password". Set only by the sign-in views.
SIGN_IN_METHOD = "joinedup_sign_in_method"

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


# The only paths a session still owing its second factor may reach.
_SECOND_FACTOR_PATHS = ("/sign-in/second-factor/", "/sign-out/", "/static/", "/healthz")


class SecondFactorMiddleware:
    """With REQUIRE_SECOND_FACTOR, a session not signed in through an identity provider reaches
    nothing but the second-factor pages until django-otp has verified a device for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.REQUIRE_SECOND_FACTOR
            and request.user.is_authenticated
            and request.session.get(SIGN_IN_METHOD) != "oidc"
            and not request.user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(_SECOND_FACTOR_PATHS)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Second factor required."}, status=401)
            return redirect("second-factor")
        return self.get_response(request)

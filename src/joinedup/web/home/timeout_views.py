"""The idle sign-out and its warning (timeout.js): staying signed in, and the page a person
lands on when the time ran out (WCAG 2.2.1 Timing Adjustable; the GOV.UK timeout pattern)."""

from __future__ import annotations

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from joinedup.web.context import staff


@require_POST
def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": sign-in required and CSRF-checked (middleware); answering renews the
    session (SESSION_SAVE_EVERY_REQUEST). The 12-hour limit still applies."""
    staff(request)
    request.session.modified = True
    return HttpResponse(status=204)


@require_http_methods(["GET", "POST"])
def signed_out_page(request: HttpRequest) -> HttpResponse:
    """POST (timeout.js, CSRF-checked): sign out, whether or not the session has already
    expired; then GET: say why. Open, so it answers after the session has gone."""
    if request.method == "POST":
        logout(request)
        return redirect("signed-out")
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "home/signed_out.html", {})

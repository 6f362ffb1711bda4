"""The area's public pages, open without signing in and linked from every page's footer: the
accessibility statement, the privacy notice and the cookies page. Each area supplies its own
statement and notice as a file (settings ACCESSIBILITY_STATEMENT_FILE, PRIVACY_NOTICE_FILE)."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from joinedup.web.context import page_context
from joinedup.web.public.texts import AreaTextError, area_text

logger = logging.getLogger(__name__)

# When the shipped accessibility statement was written and the software last tested by its
# developers (axe-core in Chromium on the browser journeys, and by hand). An area's own testing
# date is ACCESSIBILITY_TESTED_ON.
STATEMENT_PREPARED_ON = date(2026, 12, 5)


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    """The signed-in person keeps their navigation; anyone else sees the page alone."""
    if request.user.is_authenticated:
        return page_context(request, "", **extra)
    return extra


def _page(request: HttpRequest, template: str, file: str, title: str, **extra: Any) -> HttpResponse:
    try:
        text = area_text(file, request)
    except AreaTextError as exc:
        # Checked at start-up (web.checks); this is a file changed or removed since.
        logger.error("The %s cannot be shown: %s", title.lower(), exc)
        return render(
            request, "public/unavailable.html", _context(request, title=title), status=503
        )
    return render(request, template, _context(request, area_text=text, **extra))


def accessibility_statement_page(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "public/accessibility.html",
        settings.ACCESSIBILITY_STATEMENT_FILE,
        "Accessibility statement",
        prepared_on=STATEMENT_PREPARED_ON,
        tested_on=settings.ACCESSIBILITY_TESTED_ON,
        idle_minutes=settings.SESSION_COOKIE_AGE // 60,
        warning_minutes=settings.SESSION_TIMEOUT_WARNING_SECONDS // 60,
    )


def privacy_notice_page(request: HttpRequest) -> HttpResponse:
    return _page(request, "public/privacy.html", settings.PRIVACY_NOTICE_FILE, "Privacy notice")


def cookies_page(request: HttpRequest) -> HttpResponse:
    """Every cookie the service sets, named from the settings that name them."""
    return render(
        request,
        "public/cookies.html",
        _context(
            request,
            session_cookie=settings.SESSION_COOKIE_NAME,
            idle_minutes=settings.SESSION_COOKIE_AGE // 60,
            csrf_cookie=settings.CSRF_COOKIE_NAME,
            csrf_days=settings.CSRF_COOKIE_AGE // (24 * 60 * 60),
        ),
    )

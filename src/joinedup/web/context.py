"""What every page needs: the area's name, banner, footer and help contact (a context
processor), the viewer's current purpose and the service navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from joinedup.access.flags import may_triage
from joinedup.access.policy import Action, allowed_purposes, default_purpose, role_allows
from joinedup.governance.models import Purpose, StaffUser
from joinedup.notifications.selectors import unread_count

PURPOSE_SESSION_KEY = "joinedup_purpose"


def area_pages(request: HttpRequest) -> dict[str, Any]:
    """On every page: what the area says about itself (settings, from the environment); for a
    signed-in person, the idle sign-out and its warning, in seconds, for timeout.js."""
    context: dict[str, Any] = {
        "service_name": settings.SERVICE_NAME,
        "phase_banner": settings.PHASE_BANNER,
        "organisation": settings.ORGANISATION,
        "footer_text": settings.FOOTER_TEXT,
        "footer_links": settings.FOOTER_LINKS,
        "help_contact": settings.HELP_CONTACT,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        idle = int(settings.SESSION_COOKIE_AGE)
        context["session_timeout"] = {
            "idle_seconds": idle,
            "warning_seconds": min(int(settings.SESSION_TIMEOUT_WARNING_SECONDS), idle),
        }
    return context


def staff(request: HttpRequest) -> StaffUser:
    user = request.user
    assert isinstance(user, StaffUser), "LoginRequiredMiddleware guarantees a signed-in user"
    return user


def current_purpose(request: HttpRequest) -> str:
    """The purpose the viewer is working under: their choice if their role allows it."""
    viewer = staff(request)
    chosen = request.session.get(PURPOSE_SESSION_KEY)
    if chosen in allowed_purposes(viewer.role):
        return str(chosen)
    return default_purpose(viewer.role) or ""


def page_context(request: HttpRequest, active: str, **extra: Any) -> dict[str, Any]:
    viewer = staff(request)
    items = [("home", "Home", reverse("home"))]
    if role_allows(viewer.role, Action.SEARCH_CHILDREN):
        items.append(("search", "Find a child", reverse("child-search")))
    if role_allows(viewer.role, Action.VIEW_CHILD):
        items.append(("worklist", "Worklist", reverse("worklist")))
    casework = {Action.MAKE_REFERRALS, Action.RECEIVE_REFERRALS, Action.WORK_IN_TAC}
    if any(role_allows(viewer.role, a) for a in casework):
        items.append(("attention", "Nobody gripping it", reverse("worklist-attention")))
    if role_allows(viewer.role, Action.MAKE_REFERRALS) or role_allows(
        viewer.role, Action.RECEIVE_REFERRALS
    ):
        items.append(("referrals", "Referrals", reverse("referral-list")))
    if role_allows(viewer.role, Action.SEARCH_DIRECTORY):
        items.append(("directory", "Service directory", reverse("directory-search")))
    if may_triage(viewer, current_purpose(request)):
        items.append(("worklist-unknown", "Unknown to services", reverse("worklist-unknown")))
    if role_allows(viewer.role, Action.BREAK_GLASS):
        items.append(("break-glass", "Emergency access", reverse("break-glass")))
    if role_allows(viewer.role, Action.REVIEW_LINKS):
        items.append(("link-review", "Linkage review", reverse("link-review")))
    if role_allows(viewer.role, Action.IMPORT_EXTRACTS):
        items.append(("imports", "Imports", reverse("import-list")))
    if role_allows(viewer.role, Action.VIEW_INDICATOR_REPORT):
        items.append(("indicator-report", "Indicator report", reverse("indicator-report")))
    if role_allows(viewer.role, Action.VIEW_REFERRAL_REPORT):
        items.append(("referral-report", "Referral report", reverse("referral-report")))
    if role_allows(viewer.role, Action.ADMINISTER_AREA):
        items.append(("admin-agencies", "Agencies and teams", reverse("admin-agencies")))
        items.append(("admin-staff", "Staff", reverse("admin-staff")))
    if role_allows(viewer.role, Action.MANAGE_AGREEMENTS):
        items.append(
            ("governance-agreements", "Sharing agreements", reverse("governance-agreements"))
        )
    if role_allows(viewer.role, Action.VIEW_AUDIT):
        items.append(("governance-audit", "Audit search", reverse("governance-audit")))
    unread = unread_count(viewer)
    items.append(
        (
            "notifications",
            f"Notifications ({unread})" if unread else "Notifications",
            reverse("notification-list"),
        )
    )
    items.append(("history", "Your access history", reverse("access-history")))
    purpose = current_purpose(request)
    return {
        "nav_items": [
            {"href": href, "text": text, "active": key == active} for key, text, href in items
        ],
        "purpose": purpose,
        "purpose_label": Purpose(purpose).label if purpose else "",
        "purpose_choices": [(p, Purpose(p).label) for p in allowed_purposes(viewer.role)],
        **extra,
    }

"""Reads of governance data: a staff member's own access history, agreements, index counts."""

from __future__ import annotations

from django.db.models import QuerySet

from joinedup.governance.models import AuditEvent, BreakGlassAccess, SharingAgreement, StaffUser


def audit_event_list_for_actor(*, viewer: StaffUser, limit: int = 200) -> QuerySet[AuditEvent]:
    """A staff member's own access history: what they opened, searched and were refused."""
    return AuditEvent.objects.filter(actor=viewer).order_by("-sequence")[:limit]


def break_glass_list(*, viewer: StaffUser) -> QuerySet[BreakGlassAccess]:
    return BreakGlassAccess.objects.filter(staff=viewer).order_by("-granted_at")


def break_glass_awaiting_review_list(*, viewer: StaffUser) -> QuerySet[BreakGlassAccess]:
    from joinedup.access.policy import Action, role_allows

    if not role_allows(viewer.role, Action.REVIEW_BREAK_GLASS):
        return BreakGlassAccess.objects.none()
    return BreakGlassAccess.objects.filter(reviewed_at__isnull=True).select_related(
        "staff", "staff__agency"
    )


def sharing_agreement_list(*, viewer: StaffUser) -> QuerySet[SharingAgreement]:
    return SharingAgreement.objects.prefetch_related("parties").order_by("review_at")


def agency_staff_counts(*, viewer: StaffUser) -> list[tuple[str, str, int]]:
    """For administrators: each agency, its type and how many staff accounts it has."""
    from django.db.models import Count

    from joinedup.governance.models import Agency

    return [
        (a.name, a.get_agency_type_display(), a.staff_count)
        for a in Agency.objects.annotate(staff_count=Count("staff")).order_by("name")
    ]

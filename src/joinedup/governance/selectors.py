"""Reads of governance data: a staff member's own access history, agreements, index counts."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from joinedup.governance.models import (
    Agency,
    AuditEvent,
    BreakGlassAccess,
    SharingAgreement,
    StaffUser,
    Team,
)


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


# --- administering the area (administrator) and agreements' life (information governance) --


def agency_list(*, viewer: StaffUser, status: str = "") -> QuerySet[Agency]:
    """Agencies with their open teams and active staff counted; `status` "active" or "ended"."""
    from django.db.models import Count, Q

    agencies = Agency.objects.annotate(
        active_staff=Count("staff", filter=Q(staff__is_active=True), distinct=True),
        team_count=Count("teams", distinct=True),
    ).order_by("name")
    if status == "active":
        agencies = agencies.filter(ended_on__isnull=True)
    elif status == "ended":
        agencies = agencies.filter(ended_on__isnull=False)
    return agencies


def agency_get(*, viewer: StaffUser, agency_id: int) -> Agency | None:
    return Agency.objects.filter(pk=agency_id).first()


def team_list(*, viewer: StaffUser, agency_id: int) -> QuerySet[Team]:
    from django.db.models import Count, Q

    return (
        Team.objects.filter(agency_id=agency_id)
        .annotate(active_staff=Count("members", filter=Q(members__is_active=True)))
        .order_by("ended_on", "name")
    )


def team_get(*, viewer: StaffUser, agency_id: int, team_id: int) -> Team | None:
    return Team.objects.filter(pk=team_id, agency_id=agency_id).select_related("agency").first()


def teams_by_agency(*, viewer: StaffUser) -> QuerySet[Team]:
    """Every open team of every open agency, for the staff forms' choices."""
    return Team.objects.filter(ended_on__isnull=True, agency__ended_on__isnull=True).select_related(
        "agency"
    )


def staff_list(
    *,
    viewer: StaffUser,
    text: str = "",
    agency_id: int | None = None,
    role: str = "",
    status: str = "",
) -> QuerySet[StaffUser]:
    """Staff at area scale: search by name, username or email; filter by agency, role and
    active/disabled. Ordered for paging (family name, given name, id)."""
    from django.db.models import Q, Value
    from django.db.models.functions import Concat

    staff = StaffUser.objects.select_related("agency", "team")
    if text:
        staff = staff.annotate(full=Concat("first_name", Value(" "), "last_name")).filter(
            Q(full__icontains=text)
            | Q(username__icontains=text)
            | Q(email__icontains=text)
            | Q(staff_number=text)
        )
    if agency_id is not None:
        staff = staff.filter(agency_id=agency_id)
    if role:
        staff = staff.filter(role=role)
    if status == "active":
        staff = staff.filter(is_active=True)
    elif status == "disabled":
        staff = staff.filter(is_active=False)
    return staff.order_by("last_name", "first_name", "pk")


def staff_get(*, viewer: StaffUser, staff_id: int) -> StaffUser | None:
    return StaffUser.objects.select_related("agency", "team").filter(pk=staff_id).first()


def sharing_agreement_get(*, viewer: StaffUser, code: str) -> SharingAgreement | None:
    return (
        SharingAgreement.objects.prefetch_related("parties")
        .select_related("approved_by")
        .filter(code=code)
        .first()
    )


REVIEW_WARNING_DAYS = 30


def agreements_review_due(
    *, viewer: StaffUser, today: date, within_days: int = REVIEW_WARNING_DAYS
) -> QuerySet[SharingAgreement]:
    """Agreements not ended whose review date has passed or falls within `within_days`."""
    from datetime import timedelta

    from joinedup.governance.models import AgreementStatus

    return (
        SharingAgreement.objects.exclude(status=AgreementStatus.ENDED)
        .filter(review_at__lte=today + timedelta(days=within_days))
        .order_by("review_at", "title")
    )

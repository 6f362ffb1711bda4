"""Reads of the service directory. No child data: a search is audited (who searched for what),
never tied to a child."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.access.policy import Action, role_allows
from joinedup.directory.models import DirectoryImport, Service, ServiceStatus
from joinedup.governance.models import StaffUser

__all__ = [
    "AGE_MAX",
    "ServiceHit",
    "directory_import_list",
    "may_manage_directory",
    "may_search_directory",
    "review_due_since",
    "service_by_id",
    "service_search",
]

# Ages a search may ask about: children's services run to 25 (SEND, care leavers).
AGE_MAX = 25
TEXT_MAX = 200


def review_due_since(today: date) -> date:
    """The oldest review date that is not stale: the same day twelve months ago (28 February
    for 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


@dataclass(frozen=True)
class ServiceHit:
    service: Service
    is_stale: bool  # no review date, or last reviewed more than 12 months ago
    last_reviewed_on: date | None
    review_date_flag: str  # why the file's review date was not taken (blank when it was)
    organisation_name: str
    receives_referrals: bool  # referrals can be made through joinedup (service.agency is set)

    @property
    def is_active(self) -> bool:
        return self.service.status == ServiceStatus.ACTIVE


def may_search_directory(viewer: StaffUser) -> bool:
    return role_allows(viewer.role, Action.SEARCH_DIRECTORY)


def may_manage_directory(viewer: StaffUser) -> bool:
    return role_allows(viewer.role, Action.MANAGE_DIRECTORY)


def _hit(service: Service, due_since: date) -> ServiceHit:
    reviewed = service.last_reviewed_on
    return ServiceHit(
        service=service,
        is_stale=reviewed is None or reviewed < due_since,
        last_reviewed_on=reviewed,
        review_date_flag=service.review_date_flag,
        organisation_name=service.organisation.name,
        receives_referrals=service.agency_id is not None,
    )


def _matching(text: str, age: int | None, include_inactive: bool) -> QuerySet[Service]:
    services = Service.objects.select_related("organisation", "agency", "team").prefetch_related(
        "locations"
    )
    if not include_inactive:
        services = services.filter(status=ServiceStatus.ACTIVE)
    for word in text.split():
        services = services.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(taxonomy__icontains=word)
        )
    if age is not None:
        services = services.filter(Q(min_age__isnull=True) | Q(min_age__lte=age)).filter(
            Q(max_age__isnull=True) | Q(max_age__gte=age)
        )
    return services.order_by("name", "pk")


def service_search(
    *,
    viewer: StaffUser,
    text: str = "",
    age: int | None = None,
    include_inactive: bool = False,
    limit: int = 50,
) -> list[ServiceHit]:
    """Services whose name, description, organisation or taxonomy hold every word of `text`,
    open to a child of `age`; active ones only unless `include_inactive`. Audited
    (`directory.search`). [] for a role without SEARCH_DIRECTORY."""
    if not may_search_directory(viewer):
        return []
    text = " ".join(text.split())[:TEXT_MAX]
    if age is not None and not 0 <= age <= AGE_MAX:
        raise ValueError(f"age must be from 0 to {AGE_MAX}, not {age}")
    services = list(_matching(text, age, include_inactive)[: max(0, limit)])
    due_since = review_due_since(timezone.localdate())
    audit_record(
        actor=viewer,
        action="directory.search",
        object_type="directory",
        detail={
            "text": text,
            "age": age,
            "include_inactive": include_inactive,
            "results": len(services),
        },
    )
    return [_hit(s, due_since) for s in services]


def service_by_id(service_id: int) -> Service | None:
    return (
        Service.objects.select_related("organisation", "agency", "team")
        .filter(pk=service_id)
        .first()
    )


def directory_import_list(*, viewer: StaffUser, limit: int = 20) -> list[DirectoryImport]:
    if not may_manage_directory(viewer):
        return []
    return list(DirectoryImport.objects.select_related("imported_by")[:limit])

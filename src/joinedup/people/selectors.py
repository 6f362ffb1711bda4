"""Reads of a child's identity, household and involvements. Each takes a `ChildAccess`, the
proof (from `joinedup.access.children.access_child_by_id`) that the read was allowed and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from joinedup.access.children import ChildAccess
from joinedup.access.relationships import open_involvement_q
from joinedup.people.models import (
    HouseholdMembership,
    Identifier,
    Involvement,
    Relationship,
    SourceRecord,
)


@dataclass(frozen=True)
class ChildProfile:
    child_id: str
    full_name: str
    date_of_birth: date | None
    sex: str
    identifiers: list[Identifier]
    households: list[HouseholdMembership]
    relationships: list[Relationship]
    involvements: list[Involvement]
    source_record_count: int


def child_profile(*, access: ChildAccess) -> ChildProfile:
    child = access.child
    today = timezone.localdate()
    involvements = list(
        Involvement.objects.filter(child=child)
        .filter(open_involvement_q(today=today))
        .select_related("agency", "team", "worker")
        .order_by("-is_lead_professional", "agency__name", "started_on")
    )
    # Households and people who matter as they are now (a file may say when one ended).
    current = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    return ChildProfile(
        child_id=child.child_id,
        full_name=child.full_name,
        date_of_birth=child.date_of_birth,
        sex=child.get_sex_display(),
        identifiers=list(Identifier.objects.filter(child=child).order_by("scheme", "value")),
        households=list(
            HouseholdMembership.objects.filter(child=child)
            .filter(current)
            .select_related("household")
            .order_by("-started_on")
        ),
        relationships=list(
            Relationship.objects.filter(child=child).filter(current).select_related("related_child")
        ),
        involvements=involvements,
        source_record_count=SourceRecord.objects.filter(child=child).count(),
    )


@dataclass(frozen=True)
class AgencyRecordCount:
    agency_name: str
    records: int
    linked: int


def person_index_summary() -> tuple[int, list[AgencyRecordCount]]:
    """Counts only (no person's data): how big the index is and what each agency supplied."""
    from django.db.models import Count

    from joinedup.people.models import Child

    rows = (
        SourceRecord.objects.values("agency__name")
        .annotate(records=Count("id"), linked=Count("child_id"))
        .order_by("agency__name")
    )
    return Child.objects.count(), [
        AgencyRecordCount(r["agency__name"], r["records"], r["linked"]) for r in rows
    ]

"""Which sharing agreements let a viewer's agency see another agency's events, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from joinedup.governance.models import AgreementStatus, SharingAgreement


@dataclass(frozen=True)
class Cover:
    """What one live agreement lets the viewer's agency see from one recording agency."""

    agreement_id: int
    agreement_code: str
    agreement_title: str
    recording_agency_id: int
    event_types: frozenset[str]
    purposes: frozenset[str]
    fields: frozenset[str]


def live_agreements_q(at: datetime | None = None) -> Q:
    at = at or timezone.now()
    return Q(status=AgreementStatus.LIVE, starts_at__lte=at) & (
        Q(ends_at__isnull=True) | Q(ends_at__gt=at)
    )


def covers_for_agency(agency_id: int | None, at: datetime | None = None) -> list[Cover]:
    """Every (agreement, other party) pair that includes this agency, live now."""
    if agency_id is None:
        return []
    agreements = (
        SharingAgreement.objects.filter(live_agreements_q(at), parties__id=agency_id)
        .prefetch_related("parties")
        .distinct()
    )
    covers = []
    for agreement in agreements:
        for party in agreement.parties.all():
            covers.append(
                Cover(
                    agreement_id=agreement.pk,
                    agreement_code=agreement.code,
                    agreement_title=agreement.title,
                    recording_agency_id=party.pk,
                    event_types=frozenset(agreement.event_types),
                    purposes=frozenset(agreement.purposes),
                    fields=frozenset(agreement.fields or ()),
                )
            )
    return covers

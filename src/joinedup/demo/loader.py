"""Load a generated synthetic area straight into the database.

The fast path (`joinedup demo-data load` without `--via-import`, and some tests): source records
are joined to children by the generator's ground truth instead of through import and record
linkage (`demo/through_import.py` is the real path, used by `make demo`). Everything else —
agencies, teams, logins, sharing agreements, involvements, events — is real data through the
real models, and each agency's load is audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from joinedup.access.audit import audit_record
from joinedup.chronology.models import Event
from joinedup.demo.area_setup import demo_setup
from joinedup.demo.caselists import allocations
from joinedup.demo.generator import Area
from joinedup.governance.models import Agency, StaffUser, Team
from joinedup.linkage.identifiers import InvalidIdentifier, check_nhs_number, check_upn
from joinedup.people.models import (
    Child,
    Household,
    HouseholdMembership,
    Identifier,
    IdentifierScheme,
    Involvement,
    Relationship,
    RelationshipType,
    SourceRecord,
)

LA_CODE = "local-authority"


@dataclass(frozen=True)
class LoadSummary:
    children: int
    source_records: int
    events: int
    involvements: int
    staff: list[StaffUser]
    quarantined: int = 0
    casework: Any = None  # demo.casework.CaseworkSummary, when the casework was made


def _identifier(child: Child, scheme: str, value: str) -> Identifier | None:
    if not value:
        return None
    check = (
        check_nhs_number
        if scheme == IdentifierScheme.NHS_NUMBER
        else (check_upn if scheme in (IdentifierScheme.UPN, IdentifierScheme.FORMER_UPN) else None)
    )
    is_temporary = is_test = False
    if check is not None:
        try:
            result = check(value)
        except InvalidIdentifier:
            return None
        value, is_temporary, is_test = result.value, result.is_temporary, result.is_test
    return Identifier(
        child=child, scheme=scheme, value=value, is_temporary=is_temporary, is_test_range=is_test
    )


def _setup(area: Area) -> tuple[dict[str, Agency], dict[tuple[str, str], Team], list[StaffUser]]:
    """Agencies (plus the council), teams, demo logins and sharing agreements: the demo's area
    files applied through `joinedup area apply`'s service (demo/area_setup.py)."""
    if Agency.objects.exists():
        raise ValueError("The database already holds an area. Start from an empty database.")
    staff = demo_setup(area)
    by_code = {a.code: a for a in Agency.objects.all()}
    teams = {(t.agency.code, t.code): t for t in Team.objects.select_related("agency")}
    return by_code, teams, staff


def _families(area: Area, children: dict[str, Child]) -> None:
    """Households, memberships and the people who matter (siblings, parents, carers)."""
    households = {
        h.household_id: Household(reference=h.household_id, address=h.address, postcode=h.postcode)
        for h in area.households
    }
    Household.objects.bulk_create(households.values(), batch_size=2000)
    memberships = {(p.household_id, children[p.person_id].pk) for p in area.people}
    HouseholdMembership.objects.bulk_create(
        [
            HouseholdMembership(household=households[h], child_id=child_pk)
            for h, child_pk in sorted(memberships)
        ],
        batch_size=2000,
    )

    relationships: list[Relationship] = []
    adults_by_household = {h.household_id: h.adults for h in area.households}
    for person in area.people:
        child = children[person.person_id]
        for sibling_id in person.sibling_ids:
            if sibling_id in children and children[sibling_id] != child:
                relationships.append(
                    Relationship(
                        child=child,
                        relationship_type=RelationshipType.SIBLING,
                        related_child=children[sibling_id],
                        description="Twin" if sibling_id == person.twin_of else "",
                    )
                )
        for name, kind in adults_by_household.get(person.household_id, []):
            relationships.append(
                Relationship(
                    child=child,
                    relationship_type=kind,
                    person_name=name,
                )
            )
    Relationship.objects.bulk_create(relationships, batch_size=2000)


def _truth_identifiers(area: Area, children: dict[str, Child]) -> None:
    identifiers: list[Identifier] = []
    for person in area.people:
        for scheme, value in (
            (IdentifierScheme.NHS_NUMBER, person.nhs_number),
            (IdentifierScheme.UPN, person.upn),
            (IdentifierScheme.FORMER_UPN, person.former_upn),
            (IdentifierScheme.LA_CHILD_ID, person.la_child_id),
        ):
            identifier = _identifier(children[person.person_id], scheme, value)
            if identifier is not None:
                identifiers.append(identifier)
    Identifier.objects.bulk_create(identifiers, batch_size=2000, ignore_conflicts=True)


def _involvements(
    area: Area,
    children: dict[str, Child],
    by_code: dict[str, Agency],
    teams: dict[tuple[str, str], Team],
    staff: list[StaffUser],
    allocate_cases: int,
) -> int:
    """Each agency's involvement with a child; some social care cases get a named worker
    (`demo.caselists.allocations`, which the case list files follow too)."""
    by_username = {s.username: s for s in staff}
    involvements = []
    for allocation in allocations(area, allocate_cases):
        inv = allocation.involvement
        agency = by_code[inv.agency_code]
        team = teams.get((agency.code, allocation.team_code)) if allocation.team_code else None
        worker = by_username[allocation.worker] if allocation.worker else None
        involvements.append(
            Involvement(
                child=children[inv.person_id],
                agency=agency,
                team=team,
                worker=worker,
                description=inv.description[:200],
                started_on=inv.started_on,
                ended_on=inv.ended_on,
                is_lead_professional=worker is not None,
                level=inv.level,
            )
        )
    Involvement.objects.bulk_create(involvements, batch_size=2000)
    return len(involvements)


@transaction.atomic
def area_load(area: Area, *, allocate_cases: int = 25) -> LoadSummary:
    """Create the whole area in one transaction: all of it, or (on any error) none of it."""
    by_code, teams, staff = _setup(area)

    children: dict[str, Child] = {}
    for person in area.people:
        children[person.person_id] = Child(
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            sex=person.sex,
        )
    Child.objects.bulk_create(children.values(), batch_size=2000)

    _families(area, children)
    _truth_identifiers(area, children)

    records: dict[tuple[str, str], SourceRecord] = {}
    per_agency: dict[str, int] = defaultdict(int)
    for row in area.records:
        records[(row.agency_code, row.record_id)] = SourceRecord(
            agency=by_code[row.agency_code],
            record_id=row.record_id,
            child=children[row.person_id],
            given_name=row.given_name,
            middle_names=row.middle_names,
            family_name=row.family_name,
            date_of_birth=row.date_of_birth,
            sex=row.sex,
            postcode=row.postcode,
            address=row.address,
            nhs_number=row.nhs_number,
            upn=row.upn,
            former_upn=row.former_upn,
            la_child_id=row.la_child_id,
        )
        per_agency[row.agency_code] += 1
    SourceRecord.objects.bulk_create(records.values(), batch_size=2000)

    events = [
        Event(
            child=children[e.person_id],
            event_type=e.event_type,
            occurred_at=e.occurred_at,
            agency=by_code[e.agency_code],
            sensitivity=e.sensitivity,
            summary=e.summary[:500],
            payload=e.payload,
            source_record=records.get((e.agency_code, e.record_id)),
        )
        for e in area.events
    ]
    Event.objects.bulk_create(events, batch_size=2000)

    involvement_count = _involvements(area, children, by_code, teams, staff, allocate_cases)

    for agency_code, count in sorted(per_agency.items()):
        audit_record(
            actor=None,
            action="source_records.load",
            object_type="agency",
            object_ref=agency_code,
            detail={"records": count, "linked_by": "generator ground truth (demo)"},
        )
    audit_record(
        actor=None,
        action="children.load",
        detail={
            "children": len(children),
            "events": len(events),
            "seed": area.seed,
            "reference_date": area.reference_date.isoformat(),
        },
    )
    return LoadSummary(len(children), len(records), len(events), involvement_count, staff)

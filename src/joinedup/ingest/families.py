"""Loading households and relationships from agencies' extracts.

A household is the agency's own (agency, reference); a member is the agency's record of a
child, and the membership's `child` follows that record (`people.record_follow`), as does a
relationship's `child` (its `source_record`) and `related_child` (its `related_record`). A row
for a membership or relationship already held updates its changed fields (audited); the record
(and a related record) must exist, else the row is quarantined with the reason.
"""

from __future__ import annotations

from typing import Any

from joinedup.access.audit import audit_record
from joinedup.governance.models import Agency
from joinedup.ingest.adapters import Problem, Row
from joinedup.ingest.adapters.families import HouseholdRow, RelationshipRow
from joinedup.ingest.loading import Loader
from joinedup.people.models import Household, HouseholdMembership, Relationship, SourceRecord

__all__ = ["HouseholdLoader", "RelationshipLoader"]


def _missing(agency_code: str, record_id: str, column: str = "record_id") -> Problem:
    return Problem(
        column,
        f"{record_id!r}: {agency_code} holds no record with this id; import the agency's "
        "person list first",
    )


class _FamilyLoader(Loader):
    def records(self, keys: set[tuple[int, str]]) -> dict[tuple[int, str], SourceRecord]:
        """Records by (agency pk, record id)."""
        found: dict[tuple[int, str], SourceRecord] = {}
        for agency_pk in {a for a, _ in keys}:
            ids = [r for a, r in keys if a == agency_pk]
            for record in SourceRecord.objects.filter(agency_id=agency_pk, record_id__in=ids):
                found[(agency_pk, record.record_id)] = record
        return found

    def audit(self, action: str, item: Any, detail: dict[str, Any]) -> None:
        audit_record(
            actor=self.run.actor,
            action=action,
            child_ref=item.child.child_id if item.child is not None else "",
            object_type=action.split(".")[0].rstrip("s"),
            object_ref=str(item.pk),
            detail={"run": self.run.pk, **detail},
        )


class HouseholdLoader(_FamilyLoader):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first_row_of: dict[tuple[str, str], int] = {}
        self.address_of: dict[str, tuple[int, str, str]] = {}

    def accept(self, row_number: int, row: Row, item: HouseholdRow) -> None:
        problems = []
        first = self.first_row_of.get((item.reference, item.record_id))
        if first is not None:
            problems.append(
                Problem("record_id", f"{item.record_id!r} is in this household at row {first} too")
            )
        where = self.address_of.setdefault(
            item.reference, (row_number, item.address, item.postcode)
        )
        if (where[1], where[2]) != (item.address, item.postcode):
            problems.append(
                Problem(
                    "address/postcode",
                    f"differ from row {where[0]}'s for household {item.reference!r}: "
                    "one household, one address",
                )
            )
        if problems:
            self.reject(row_number, row, problems)
            return
        self.first_row_of[(item.reference, item.record_id)] = row_number
        self.pending.append((row_number, row, item))

    def flush(self) -> None:
        if not self.pending:
            return
        agency = self.run.agency
        records = self.records({(agency.pk, item.record_id) for _, _, item in self.pending})
        homes = {
            h.reference: h
            for h in Household.objects.filter(
                agency=agency, reference__in={item.reference for _, _, item in self.pending}
            )
        }
        for row_number, row, item in self.pending:
            record = records.get((agency.pk, item.record_id))
            if record is None:
                self.reject(row_number, row, [_missing(agency.code, item.record_id)])
                continue
            self.run.rows_loaded += 1
            home = homes.get(item.reference)
            changed = False
            if home is None:
                home = Household(
                    agency=agency,
                    reference=item.reference,
                    address=item.address,
                    postcode=item.postcode,
                )
                home.full_clean()
                home.save()
                homes[item.reference] = home
            elif (home.address, home.postcode) != (item.address, item.postcode):
                home.address, home.postcode = item.address, item.postcode
                home.save(update_fields=["address", "postcode"])
                changed = True
            member = (
                HouseholdMembership.objects.filter(household=home, source_record=record)
                .select_related("child")
                .first()
            )
            if member is None:
                HouseholdMembership.objects.create(
                    household=home,
                    source_record=record,
                    child_id=record.child_id,
                    started_on=item.started_on,
                    ended_on=item.ended_on,
                )
                self.run.rows_new += 1
                continue
            diff = {
                name: (getattr(member, name), getattr(item, name))
                for name in ("started_on", "ended_on")
                if getattr(member, name) != getattr(item, name)
            }
            if diff:
                member.started_on, member.ended_on = item.started_on, item.ended_on
                member.save(update_fields=["started_on", "ended_on"])
                self.audit(
                    "households.update",
                    member,
                    {
                        "household": home.reference,
                        "record": f"{agency.code}:{record.record_id}",
                        "changed": diff,
                    },
                )
            self.run.rows_changed += bool(diff) or changed
        self.pending = []


class RelationshipLoader(_FamilyLoader):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first_row_of: dict[tuple[str, str, str], int] = {}
        self.agencies = {a.code: a for a in Agency.objects.all()}

    def accept(self, row_number: int, row: Row, item: RelationshipRow) -> None:
        key = (item.record_id, item.relationship_type, item.related)
        problems = []
        if (first := self.first_row_of.get(key)) is not None:
            problems.append(Problem("record_id", f"repeats the relationship of row {first}"))
        if item.related_agency and item.related_agency not in self.agencies:
            problems.append(
                Problem("related_agency", f"no agency has the code {item.related_agency!r}")
            )
        if problems:
            self.reject(row_number, row, problems)
            return
        self.first_row_of[key] = row_number
        self.pending.append((row_number, row, item))

    def flush(self) -> None:
        if not self.pending:
            return
        agency = self.run.agency
        related_agency = {
            id(item): self.agencies[item.related_agency] if item.related_agency else agency
            for _, _, item in self.pending
        }
        keys = {(agency.pk, item.record_id) for _, _, item in self.pending}
        keys |= {
            (related_agency[id(item)].pk, item.related_record_id)
            for _, _, item in self.pending
            if item.related_record_id
        }
        records = self.records(keys)
        for row_number, row, item in self.pending:
            record = records.get((agency.pk, item.record_id))
            other = related_agency[id(item)]
            related = (
                records.get((other.pk, item.related_record_id)) if item.related_record_id else None
            )
            problems = [] if record is not None else [_missing(agency.code, item.record_id)]
            if item.related_record_id and related is None:
                problems.append(_missing(other.code, item.related_record_id, "related_record_id"))
            if problems:
                self.reject(row_number, row, problems)
                continue
            assert record is not None
            self.run.rows_loaded += 1
            held = (
                Relationship.objects.filter(
                    source_record=record,
                    relationship_type=item.relationship_type,
                    related_record=related,
                    **({} if related else {"person_name__iexact": item.person_name}),
                )
                .select_related("child")
                .first()
            )
            if held is None:
                new = Relationship(
                    child_id=record.child_id,
                    source_record=record,
                    relationship_type=item.relationship_type,
                    related_record=related,
                    related_child_id=related.child_id if related else None,
                    person_name=item.person_name,
                    description=item.description,
                    started_on=item.started_on,
                    ended_on=item.ended_on,
                )
                new.full_clean()
                new.save()
                self.run.rows_new += 1
                continue
            names = ("person_name", "description", "started_on", "ended_on")
            diff = {
                n: (getattr(held, n), getattr(item, n))
                for n in names
                if getattr(held, n) != getattr(item, n)
            }
            if diff:
                for name, (_, value) in diff.items():
                    setattr(held, name, value)
                held.save(update_fields=list(diff))
                self.audit(
                    "relationships.update",
                    held,
                    {"record": f"{agency.code}:{record.record_id}", "changed": diff},
                )
                self.run.rows_changed += 1
        self.pending = []

"""Merging two children and splitting a record off a child: the person index changes a
reviewed link decision makes, and their exact reversal.

Nothing here checks who is asking: these are called only by `joinedup.access.link_review`,
which checks the role, records the decision and writes the audit entry in the same
transaction. Each change returns what it did (`applied`, stored on the decision) so that it
can be undone precisely.

- Merge: the younger child is merged into the older (created first; ties the smaller key), as
  ADR 0003 makes the oldest child keep a contested cluster. The survivor keeps its id; the
  merged id stays valid and leads to the survivor (`Child.merged_into`). Records, events,
  involvements, households and relationships move to the survivor.
- Split: the record gets a new child (a new id) with its own events, the involvements, household
  memberships and relationships imported from it (`people.record_follow`), and the other
  involvements of its agency when no other record of that agency stays with the old child.
Identifiers are derived from source records, so they are rebuilt for every child touched.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from joinedup.chronology.models import Event
from joinedup.people.linking import child_identity, identifiers_for
from joinedup.people.models import (
    Child,
    HouseholdMembership,
    Identifier,
    Involvement,
    Relationship,
    SourceRecord,
)
from joinedup.people.record_follow import records_followed

# A child's identity, as stored before a split changed it.
_IDENTITY = ("given_name", "family_name", "date_of_birth", "sex")


class IndexChangeConflict(Exception):
    """The index has changed since the decision, so undoing it would not restore it."""


def merge_survivor(a: Child, b: Child) -> tuple[Child, Child]:
    """(survivor, merged): the older child survives."""
    return (a, b) if (a.created_at, a.pk) <= (b.created_at, b.pk) else (b, a)


def identifiers_rebuild(children: list[Child]) -> None:
    """Re-derive each child's identifiers from the source records it now holds."""
    Identifier.objects.filter(child__in=children, source_record__isnull=False).delete()
    rebuilt: list[Identifier] = []
    for record in SourceRecord.objects.filter(child__in=children).select_related("child"):
        assert record.child is not None
        rebuilt.extend(identifiers_for(record.child, record))
    Identifier.objects.bulk_create(rebuilt, ignore_conflicts=True)


def _pks(queryset: Any) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def children_merge(*, survivor: Child, merged: Child) -> dict[str, Any]:
    """Move everything of `merged` to `survivor` and mark it merged; returns what moved."""
    if merged.pk == survivor.pk or merged.merged_into_id is not None:
        raise IndexChangeConflict(f"{merged.child_id} has already been merged.")
    moved: dict[str, Any] = {
        "action": "merge",
        "survivor": survivor.child_id,
        "merged": merged.child_id,
        "records": _pks(SourceRecord.objects.filter(child=merged)),
        "events": _pks(Event.objects.filter(child=merged)),  # noqa: TID251 - moving a merged child's events
        "involvements": _pks(Involvement.objects.filter(child=merged)),
        "households": _pks(HouseholdMembership.objects.filter(child=merged)),
        "relationships": _pks(Relationship.objects.filter(child=merged)),
        "related": _pks(Relationship.objects.filter(related_child=merged)),
        "manual_identifiers": _pks(
            Identifier.objects.filter(child=merged, source_record__isnull=True)
        ),
    }
    SourceRecord.objects.filter(pk__in=moved["records"]).update(child=survivor)
    Event.objects.filter(pk__in=moved["events"]).update(child=survivor)  # noqa: TID251 - as above
    Involvement.objects.filter(pk__in=moved["involvements"]).update(child=survivor)
    HouseholdMembership.objects.filter(pk__in=moved["households"]).update(child=survivor)
    Relationship.objects.filter(pk__in=moved["relationships"]).update(child=survivor)
    Relationship.objects.filter(pk__in=moved["related"]).update(related_child=survivor)
    manual = Identifier.objects.filter(pk__in=moved["manual_identifiers"])
    held = set(Identifier.objects.filter(child=survivor).values_list("scheme", "value"))
    manual.exclude(pk__in=[i.pk for i in manual if (i.scheme, i.value) in held]).update(
        child=survivor
    )
    records_followed(moved["records"])
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    identifiers_rebuild([survivor, merged])
    return moved


def _merge_reverse(applied: dict[str, Any]) -> None:
    survivor = Child.objects.get(child_id=applied["survivor"])  # noqa: TID251 - index change
    merged = Child.objects.get(child_id=applied["merged"])  # noqa: TID251 - index change
    still_there = SourceRecord.objects.filter(pk__in=applied["records"], child=survivor).count()
    if merged.merged_into_id != survivor.pk or still_there != len(applied["records"]):
        raise IndexChangeConflict(
            f"A later decision has moved records of {merged.child_id} or {survivor.child_id}: "
            "undo that decision first."
        )
    on_survivor = {"child": survivor}
    SourceRecord.objects.filter(pk__in=applied["records"]).update(child=merged)
    # Events that arrived since from the records going back go back with them.
    Event.objects.filter(  # noqa: TID251 - index change
        Q(pk__in=applied["events"]) | Q(source_record_id__in=applied["records"]), **on_survivor
    ).update(child=merged)
    Involvement.objects.filter(pk__in=applied["involvements"], **on_survivor).update(child=merged)
    HouseholdMembership.objects.filter(pk__in=applied["households"], **on_survivor).update(
        child=merged
    )
    Relationship.objects.filter(pk__in=applied["relationships"], **on_survivor).update(child=merged)
    Relationship.objects.filter(pk__in=applied["related"], related_child=survivor).update(
        related_child=merged
    )
    Identifier.objects.filter(pk__in=applied["manual_identifiers"]).update(child=merged)
    records_followed(applied["records"])
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    identifiers_rebuild([survivor, merged])


def record_split(*, record: SourceRecord) -> dict[str, Any]:
    """Give `record` a new child of its own, leaving the rest with its current child."""
    child = record.child
    if child is None:
        raise IndexChangeConflict(f"{record} is not linked to a child.")
    staying = list(SourceRecord.objects.filter(child=child).exclude(pk=record.pk))
    if not staying:
        raise IndexChangeConflict(f"{record} is the only record of {child.child_id}.")
    new = Child(**child_identity([record]))
    new.full_clean()
    new.save()
    moving = Q(source_record=record)
    if not any(r.agency_id == record.agency_id for r in staying):
        moving |= Q(agency_id=record.agency_id, source_record__isnull=True)
    applied: dict[str, Any] = {
        "action": "split",
        "child": child.child_id,
        "new_child": new.child_id,
        "records": [record.pk],
        "events": _pks(Event.objects.filter(child=child, source_record=record)),  # noqa: TID251 - index change
        "involvements": _pks(Involvement.objects.filter(moving, child=child)),
        "identity_before": {name: str(getattr(child, name) or "") for name in _IDENTITY},
    }
    record.child = new
    record.save(update_fields=["child"])
    Event.objects.filter(pk__in=applied["events"]).update(child=new)  # noqa: TID251 - index change
    Involvement.objects.filter(pk__in=applied["involvements"]).update(child=new)
    records_followed([record.pk])
    for name, value in child_identity(staying).items():
        setattr(child, name, value)
    child.full_clean()
    child.save()
    identifiers_rebuild([child, new])
    return applied


def _split_reverse(applied: dict[str, Any]) -> None:
    child = Child.objects.get(child_id=applied["child"])  # noqa: TID251 - index change
    new = Child.objects.get(child_id=applied["new_child"])  # noqa: TID251 - index change
    if child.merged_into_id is not None or new.merged_into_id is not None:
        raise IndexChangeConflict(
            f"A later decision has merged {child.child_id} or {new.child_id}: undo it first."
        )
    # Everything the new child now holds goes back, including records linked to it since.
    children_merge(survivor=child, merged=new)
    before = applied["identity_before"]
    child.given_name = before["given_name"]
    child.family_name = before["family_name"]
    child.date_of_birth = before["date_of_birth"] or None
    child.sex = before["sex"]
    child.full_clean()
    child.save()


def applied_reverse(applied: dict[str, Any]) -> None:
    """Undo what a decision did to the index (nothing, for a decision that changed nothing)."""
    action = applied.get("action")
    if action == "merge":
        _merge_reverse(applied)
    elif action == "split":
        _split_reverse(applied)


def children_of_records(record_pks: list[int]) -> list[str]:
    """The child ids now holding these records (for audit entries and notices)."""
    return sorted(
        set(
            SourceRecord.objects.filter(pk__in=record_pks, child__isnull=False).values_list(
                "child__child_id", flat=True
            )
        )
    )


__all__ = [
    "IndexChangeConflict",
    "applied_reverse",
    "children_merge",
    "children_of_records",
    "identifiers_rebuild",
    "merge_survivor",
    "record_split",
]

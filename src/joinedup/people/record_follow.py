"""Involvements, household memberships and relationships from an agency's extract follow the
agency's record of the child (`source_record`; `related_record` for the related child) wherever
the person index puts that record: when linking first gives it a child, when a reviewed merge
moves it, when a split gives it a new child, and when either is undone.

Called by `people.linking` and `people.index_changes`, the only code that changes
`SourceRecord.child`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from joinedup.people.models import HouseholdMembership, Involvement, Relationship, SourceRecord

__all__ = ["records_followed"]


def _child_of(column: str) -> Subquery:
    return Subquery(SourceRecord.objects.filter(pk=OuterRef(column)).values("child_id")[:1])


def records_followed(record_pks: Iterable[int] | None = None) -> int:
    """Put each item's child in step with its record's child: for the given records, or (None)
    for every item still waiting for its record to be linked. Returns the rows updated."""
    changed = 0
    items: list[tuple[Any, str, str]] = [
        (Involvement, "source_record", "child"),
        (HouseholdMembership, "source_record", "child"),
        (Relationship, "source_record", "child"),
        (Relationship, "related_record", "related_child"),
    ]
    pks = None if record_pks is None else sorted(set(record_pks))
    for model, record_field, child_field in items:
        if pks is None:
            scope = Q(
                **{
                    f"{child_field}__isnull": True,
                    f"{record_field}__isnull": False,
                    f"{record_field}__child__isnull": False,
                }
            )
        else:
            scope = Q(**{f"{record_field}_id__in": pks})
        changed += model.objects.filter(scope).update(
            **{child_field: _child_of(f"{record_field}_id")}
        )
    return changed

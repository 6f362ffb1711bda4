"""Linking imported records the way `joinedup link` applies its clusters, with the clusters
given: the real person-index step without a model to train on a handful of rows."""

from __future__ import annotations

from joinedup.people.linking import person_index_apply
from joinedup.people.models import LinkRun, SourceRecord


def link_each_record_alone() -> None:
    """Every record its own cluster (a new child each; linked records stay where they are)."""
    keys = list(SourceRecord.objects.values_list("agency__code", "record_id"))
    run = LinkRun.objects.create()
    person_index_apply(actor=None, run=run, clusters=[(key, f"{key[0]}/{key[1]}") for key in keys])


def link_together(*groups: list[tuple[str, str]]) -> None:
    """Each group of (agency code, record id) one cluster."""
    run = LinkRun.objects.create()
    person_index_apply(
        actor=None,
        run=run,
        clusters=[(key, f"group-{n}") for n, group in enumerate(groups) for key in group],
    )

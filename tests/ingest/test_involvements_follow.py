"""Involvements, household memberships and relationships from agencies' extracts follow the
agency's record of the child: blank until it is linked, then with it through merges and splits
(and their undoing)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from joinedup.governance.models import Agency, AgencyType
from joinedup.ingest.services import ImportOptions, import_file
from joinedup.people.index_changes import (
    applied_reverse,
    children_merge,
    merge_survivor,
    record_split,
)
from joinedup.people.models import (
    Child,
    HouseholdMembership,
    Involvement,
    Relationship,
    SourceRecord,
)
from tests import factories
from tests.ingest.helpers import PERSONS_COLUMNS, person, write_csv
from tests.ingest.linking import link_each_record_alone, link_together

pytestmark = pytest.mark.django_db

CASES = ("record_id", "case_id", "description", "level", "started_on")
HOMES = ("household_reference", "address", "postcode", "record_id", "started_on")
PEOPLE = ("record_id", "relationship_type", "related_record_id", "person_name")


def _import(fmt: str, path: Path, agency: str) -> None:
    import_file(
        actor=None,
        source_format=fmt,
        path=path,
        agency_code=agency,
        options=ImportOptions(extract_date=date(2026, 3, 2)),
    )


@pytest.fixture
def agencies(db: None, tmp_path: Path) -> tuple[Agency, Agency]:
    """Early help holds EH1 and EH2; social care SC1. Each has a case on each record; EH1
    lives at H1 with a named parent and has EH2 as a sibling."""
    early = factories.agency(AgencyType.EARLY_HELP, code="early-help")
    social = factories.agency(AgencyType.SOCIAL_CARE, code="social-care")
    people = [person("EH1", given_name="Ola"), person("EH2", given_name="Ola")]
    _import("persons", write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, people), "early-help")
    _import(
        "persons",
        write_csv(tmp_path / "sc.csv", PERSONS_COLUMNS, [person("SC1")]),
        "social-care",
    )
    cases = [["EH1", "C1", "Family support", "2", "2025-09-01"]]
    cases += [["EH2", "C2", "Family support", "2", "2025-09-01"]]
    _import("involvements", write_csv(tmp_path / "ehc.csv", CASES, cases), "early-help")
    _import(
        "involvements",
        write_csv(tmp_path / "scc.csv", CASES, [["SC1", "S1", "CIN plan", "4", "2025-10-01"]]),
        "social-care",
    )
    homes = [["H1", "1 Test Street", "JU1 2AB", "EH1", "2020-01-01"]]
    _import("households", write_csv(tmp_path / "h.csv", HOMES, homes), "early-help")
    rels = [["EH1", "parent", "", "Ruth Okafor"], ["EH1", "sibling", "EH2", ""]]
    _import("relationships", write_csv(tmp_path / "r.csv", PEOPLE, rels), "early-help")
    return early, social


def _child_of(record_id: str) -> Child:
    record = SourceRecord.objects.select_related("child").get(record_id=record_id)
    assert record.child is not None
    return record.child


def _involvement(record_id: str) -> Involvement:
    return Involvement.objects.get(source_record__record_id=record_id)


def test_items_wait_for_their_record_to_be_linked(agencies: tuple[Agency, Agency]) -> None:
    assert Involvement.objects.filter(child__isnull=False).count() == 0
    assert HouseholdMembership.objects.get().child is None
    link_each_record_alone()
    assert _involvement("EH1").child == _child_of("EH1")
    assert _involvement("SC1").child == _child_of("SC1")
    assert HouseholdMembership.objects.get().child == _child_of("EH1")
    sibling = Relationship.objects.get(relationship_type="sibling")
    assert (sibling.child, sibling.related_child) == (_child_of("EH1"), _child_of("EH2"))
    assert Relationship.objects.get(relationship_type="parent").person_name == "Ruth Okafor"


def test_a_merge_moves_them_and_undoing_it_moves_them_back(
    agencies: tuple[Agency, Agency],
) -> None:
    link_each_record_alone()
    survivor, merged = merge_survivor(_child_of("EH1"), _child_of("SC1"))
    applied = children_merge(survivor=survivor, merged=merged)
    assert _involvement("EH1").child == survivor and _involvement("SC1").child == survivor
    assert HouseholdMembership.objects.get().child == survivor
    applied_reverse(applied)
    assert _involvement("EH1").child == _child_of("EH1") != _child_of("SC1")
    assert _involvement("SC1").child == _child_of("SC1")


def test_a_split_takes_its_records_items_with_it(agencies: tuple[Agency, Agency]) -> None:
    link_together([("early-help", "EH1"), ("early-help", "EH2"), ("social-care", "SC1")])
    one = _child_of("EH1")
    assert {_involvement(r).child for r in ("EH1", "EH2", "SC1")} == {one}
    sibling = Relationship.objects.get(relationship_type="sibling")
    assert sibling.child == sibling.related_child == one
    # EH2 is found to be another child (the twin): its case and the sibling link go with it,
    # though another record of early help (EH1) stays.
    applied = record_split(record=SourceRecord.objects.get(record_id="EH2"))
    twin = _child_of("EH2")
    assert twin != one
    assert _involvement("EH2").child == twin
    assert _involvement("EH1").child == one and _involvement("SC1").child == one
    sibling.refresh_from_db()
    assert (sibling.child, sibling.related_child) == (one, twin)
    assert HouseholdMembership.objects.get().child == one
    applied_reverse(applied)
    assert _involvement("EH2").child == one
    sibling.refresh_from_db()
    assert sibling.related_child == one

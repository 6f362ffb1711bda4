"""Households and relationships from an agency's extracts: loaded onto the agency's records,
bad rows quarantined with the reason, changes on re-import audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from joinedup.governance.models import Agency, AgencyType, AuditEvent
from joinedup.ingest.models import ImportRun, ImportStatus
from joinedup.ingest.services import import_file
from joinedup.people.models import Household, HouseholdMembership, Relationship
from tests import factories
from tests.ingest.helpers import write_csv

pytestmark = pytest.mark.django_db

HOMES = ("household_reference", "address", "postcode", "record_id", "started_on", "ended_on")
PEOPLE = (
    "record_id",
    "relationship_type",
    "related_record_id",
    "related_agency",
    "person_name",
    "description",
    "started_on",
    "ended_on",
)


@pytest.fixture
def housing(db: None) -> Agency:
    agency = factories.agency(AgencyType.HOUSING, code="housing")
    school = factories.agency(AgencyType.SCHOOL, code="school-1")
    for record_id in ("HS1", "HS2", "HS3"):
        factories.source_record(factories.child(), agency, record_id=record_id)
    factories.source_record(factories.child(), school, record_id="P9")
    return agency


def _import(fmt: str, path: Path) -> ImportRun:
    return import_file(actor=None, source_format=fmt, path=path, agency_code="housing")


def _reasons(run: ImportRun) -> dict[int, tuple[str, str]]:
    return {q.row_number: (q.field_name, q.reason) for q in run.quarantined.all()}


def test_households_load_their_members(housing: Agency, tmp_path: Path) -> None:
    rows = [
        ["H1", "1 Mill Lane, Eastbrook", "ju1 2ab", "HS1", "2019-04-01", ""],
        ["H1", "1 Mill Lane, Eastbrook", "ju1 2ab", "HS2", "01/05/2021", ""],
        ["H1", "2 Other Road", "JU1 2AB", "HS3", "", ""],
        ["H2", "9 Far Street", "JU9 9ZZ", "HS404", "", ""],
        ["H3", "", "JU9 9ZZ", "HS3", "", ""],
    ]
    run = _import("households", write_csv(tmp_path / "h.csv", HOMES, rows))
    assert (run.rows_in, run.rows_loaded, run.rows_new, run.rows_quarantined) == (5, 2, 2, 3)
    reasons = _reasons(run)
    assert reasons[4][0] == "address/postcode" and "differ from row 2's" in reasons[4][1]
    assert "housing holds no record" in reasons[5][1]
    assert reasons[6][0] == "address"
    home = Household.objects.get()
    assert (home.agency, home.reference, home.postcode) == (housing, "H1", "JU1 2AB")
    starts = sorted(HouseholdMembership.objects.values_list("started_on", flat=True))
    assert starts == [date(2019, 4, 1), date(2021, 5, 1)]


def test_a_moved_out_member_is_updated_and_audited(housing: Agency, tmp_path: Path) -> None:
    row = ["H1", "1 Mill Lane", "JU1 2AB", "HS1", "2019-04-01", ""]
    path = write_csv(tmp_path / "a.csv", HOMES, [row])
    _import("households", path)
    assert _import("households", path).status == ImportStatus.ALREADY_IMPORTED
    run = _import("households", write_csv(tmp_path / "b.csv", HOMES, [[*row[:5], "2026-01-09"]]))
    assert (run.rows_new, run.rows_changed) == (0, 1)
    assert HouseholdMembership.objects.get().ended_on == date(2026, 1, 9)
    entry = AuditEvent.objects.get(action="households.update")
    assert entry.detail["changed"]["ended_on"] == [None, "2026-01-09"]


def test_relationships_to_a_child_or_a_named_adult(housing: Agency, tmp_path: Path) -> None:
    rows = [
        ["HS1", "Parent", "", "", "Ruth Okafor", "Mother", "", ""],
        ["HS1", "sibling", "HS2", "", "", "Twin", "", ""],
        ["HS1", "trusted adult", "P9", "school-1", "", "", "", ""],
        ["HS1", "key-worker", "", "", "Jo Key", "", "2025-01-01", "2024-01-01"],
        ["HS1", "cousin", "", "", "Al", "", "", ""],
        ["HS1", "carer", "HS2", "", "Both", "", "", ""],
        ["HS1", "carer", "", "", "", "", "", ""],
        ["HS1", "sibling", "P404", "school-1", "", "", "", ""],
        ["HS1", "sibling", "P9", "nowhere", "", "", "", ""],
    ]
    run = _import("relationships", write_csv(tmp_path / "r.csv", PEOPLE, rows))
    assert (run.rows_loaded, run.rows_quarantined) == (3, 6)
    reasons = _reasons(run)
    assert reasons[5][0] == "ended_on"
    assert reasons[6][0] == "relationship_type" and "'cousin' is not one of" in reasons[6][1]
    assert reasons[7][0] == reasons[8][0] == "related_record_id/person_name"
    assert "school-1 holds no record" in reasons[9][1]
    assert reasons[10] == ("related_agency", "related_agency no agency has the code 'nowhere'")
    kinds = dict(Relationship.objects.values_list("relationship_type", "related_record__record_id"))
    assert kinds == {"parent": None, "sibling": "HS2", "trusted_adult": "P9"}
    assert Relationship.objects.get(relationship_type="trusted_adult").related_child is not None
    again = _import(
        "relationships",
        write_csv(
            tmp_path / "r2.csv", PEOPLE, [["HS1", "parent", "", "", "ruth okafor", "", "", ""]]
        ),
    )
    assert (again.rows_new, again.rows_changed) == (0, 1)
    assert Relationship.objects.get(relationship_type="parent").description == ""
    assert AuditEvent.objects.filter(action="relationships.update").count() == 1

"""The agency-shaped extracts: school census roll, health patient list, police notifications,
and each agency's events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from joinedup.chronology.models import Event
from joinedup.governance.models import Agency, AgencyType
from joinedup.ingest.models import ImportRun
from joinedup.ingest.services import ImportRefused, import_file
from joinedup.people.models import SourceRecord
from tests import factories
from tests.ingest.helpers import (
    EVENT_COLUMNS,
    HEALTH_COLUMNS,
    PERSONS_COLUMNS,
    POLICE_COLUMNS,
    SCHOOL_COLUMNS,
    person,
    write_csv,
)

pytestmark = pytest.mark.django_db


def _import(path: Path, source_format: str, agency_code: str) -> ImportRun:
    return import_file(actor=None, source_format=source_format, path=path, agency_code=agency_code)


def _reasons(run: ImportRun) -> dict[int, tuple[str, str]]:
    return {q.row_number: (q.field_name, q.reason) for q in run.quarantined.all()}


def _pupil(ref: str, **kw: str) -> list[str]:
    values = dict.fromkeys(SCHOOL_COLUMNS, "")
    values.update(
        PupilRef=ref, UPN="E990200019100", Surname="Mason", Forename="Olive", DOB="2015-06-16"
    )
    values.update(Sex="F", Postcode="JU2 4GT", SENprovision="N", URN="102443")
    values.update(kw)
    return [values[c] for c in SCHOOL_COLUMNS]


def test_school_census_roll_loads_with_census_fields_kept_raw(tmp_path: Path) -> None:
    factories.agency(AgencyType.SCHOOL, code="school-102443")
    rows = [_pupil("102443-00001"), _pupil("102443-00002", DOB="16/06/2015")]
    run = _import(
        write_csv(tmp_path / "s.csv", SCHOOL_COLUMNS, rows), "school-census", "school-102443"
    )
    assert (run.rows_loaded, run.rows_quarantined) == (1, 1)
    record = SourceRecord.objects.get(record_id="102443-00001")
    assert (record.family_name, record.upn, record.raw["SENprovision"]) == (
        "Mason",
        "E990200019100",
        "N",
    )
    assert _reasons(run)[3] == ("DOB", "DOB '16/06/2015' is not a date in the format YYYY-MM-DD")


def test_a_school_roll_without_pupil_refs_is_keyed_by_upn(tmp_path: Path) -> None:
    factories.agency(AgencyType.SCHOOL, code="school-1")
    header = [c for c in SCHOOL_COLUMNS if c != "PupilRef"]
    rows = [_pupil("x")[1:], _pupil("y", UPN="")[1:]]
    run = _import(write_csv(tmp_path / "s.csv", header, rows), "school-census", "school-1")
    assert SourceRecord.objects.get().record_id == "E990200019100"
    assert _reasons(run)[3][0] == "UPN" and "is blank" in _reasons(run)[3][1]


def test_a_school_roll_with_neither_pupil_ref_nor_upn_is_refused(tmp_path: Path) -> None:
    factories.agency(AgencyType.SCHOOL, code="school-1")
    path = write_csv(tmp_path / "s.csv", ["Surname", "Forename", "DOB"], [["A", "B", "2015-01-01"]])
    with pytest.raises(ImportRefused, match=r"missing column\(s\): PupilRef \(or UPN\)"):
        _import(path, "school-census", "school-1")


def test_health_patient_list_reads_day_month_year_dates(tmp_path: Path) -> None:
    factories.agency(AgencyType.HEALTH, code="health")
    rows = [
        ["9991000003", "RJU0000001", "Caitlin", "Hodgson", "09/08/2014", "Female", "JU6 5TQ", "x"],
        ["9991000003", "RJU0000002", "Caitlin", "Hodgson", "2014-08-09", "Female", "JU6 5TQ", "x"],
        ["", "RJU0000003", "Ann", "Hodgson", "31/02/2014", "Female", "", ""],
    ]
    run = _import(write_csv(tmp_path / "h.csv", HEALTH_COLUMNS, rows), "health-contacts", "health")
    record = SourceRecord.objects.get(record_id="RJU0000001")
    assert (record.date_of_birth, record.sex, record.nhs_number) == (
        "09/08/2014",
        "Female",
        "9991000003",
    )
    assert {n: f for n, (f, _) in _reasons(run).items()} == {3: "DateOfBirth", 4: "DateOfBirth"}
    assert "DD/MM/YYYY" in _reasons(run)[3][1]


def test_police_notifications_load_with_a_blank_date_of_birth(tmp_path: Path) -> None:
    factories.agency(AgencyType.POLICE, code="police")
    rows = [
        [
            "JU/24/000013",
            "Lucy",
            "Marsh",
            "20/08/2024",
            "1 Church St",
            "JU6 4TP",
            "Domestic Abuse",
            "27/12/2024 05:07",
        ],
        [
            "JU/24/000018",
            "Saoirse",
            "McKenzie",
            "",
            "2 Valley Rd",
            "",
            "Domestic Abuse",
            "17/12/2024 07:52",
        ],
        [
            "JU/24/000013",
            "Lucy",
            "Marsh",
            "20/08/2024",
            "1 Church St",
            "JU6 4TP",
            "Domestic Abuse",
            "x",
        ],
    ]
    run = _import(
        write_csv(tmp_path / "p.csv", POLICE_COLUMNS, rows), "police-notification", "police"
    )
    assert (run.rows_loaded, run.rows_quarantined) == (2, 1)
    assert SourceRecord.objects.get(record_id="JU/24/000018").date_of_birth == ""
    assert (
        SourceRecord.objects.get(record_id="JU/24/000013").raw["NotificationType"]
        == "Domestic Abuse"
    )
    assert "repeats the record id of row 2" in _reasons(run)[4][1]


# -- events ------------------------------------------------------------------------------------


def _event(record_id: str, event_type: str = "early_help_episode", **kw: str) -> list[str]:
    values = {
        "record_id": record_id,
        "event_type": event_type,
        "occurred_at": "2026-06-10T14:45:00+00:00",
        "summary": "Early help assessment completed",
        "payload_json": '{"stage":"assessment"}',
    }
    values.update(kw)
    return [values[c] for c in EVENT_COLUMNS]


@pytest.fixture
def persons_loaded(agency: Agency, tmp_path: Path) -> Agency:
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, [person("EH1"), person("EH2")])
    _import(path, "persons", agency.code)
    return agency


def test_events_attach_to_their_source_record_with_sensitivity_from_type(
    persons_loaded: Agency, tmp_path: Path
) -> None:
    rows = [
        _event("EH1"),
        _event("EH1", "referral", occurred_at="2026-06-11 09:30"),
        _event("EH2", "police_notification", payload_json=""),
    ]
    run = _import(write_csv(tmp_path / "ev.csv", EVENT_COLUMNS, rows), "events", "early-help")
    assert (run.rows_loaded, run.rows_new, run.rows_quarantined) == (3, 3, 0)
    events = {e.event_type: e for e in Event.objects.all()}  # noqa: TID251
    assert events["early_help_episode"].source_record.record_id == "EH1"
    assert events["early_help_episode"].child is None  # until linkage
    assert events["early_help_episode"].payload == {"stage": "assessment"}
    assert {t: e.sensitivity for t, e in events.items()} == {
        "early_help_episode": "sensitive",
        "referral": "sensitive",
        "police_notification": "special_category",
    }
    # A time without an offset is local time (Europe/London, BST in June).
    assert events["referral"].occurred_at == datetime(2026, 6, 11, 8, 30, tzinfo=UTC)


def test_an_event_for_a_linked_record_is_attached_to_its_child(
    persons_loaded: Agency, tmp_path: Path
) -> None:
    child = factories.child()
    SourceRecord.objects.filter(record_id="EH1").update(child=child)
    _import(write_csv(tmp_path / "ev.csv", EVENT_COLUMNS, [_event("EH1")]), "events", "early-help")
    assert Event.objects.get().child == child  # noqa: TID251


BAD_EVENTS = {
    "unknown record": (_event("EH404"), "record_id", "import the agency's person file first"),
    "blank record": (_event(""), "record_id", "is blank"),
    "unknown type": (_event("EH1", "visit"), "event_type", "'visit' is not a known event type"),
    "bad time": (_event("EH1", occurred_at="yesterday"), "occurred_at", "not a date and time"),
    "bad JSON": (_event("EH1", payload_json="{stage:1}"), "payload_json", "not valid JSON"),
    "JSON list": (_event("EH1", payload_json="[1]"), "payload_json", "must be a JSON object"),
    "blank summary": (_event("EH1", summary=" "), "summary", "is blank"),
    "long summary": (_event("EH1", summary="x" * 501), "summary", "the most it can hold is 500"),
}


@pytest.mark.parametrize("case", sorted(BAD_EVENTS))
def test_each_bad_event_is_quarantined_naming_the_field_and_why(
    case: str, persons_loaded: Agency, tmp_path: Path
) -> None:
    bad, field, words = BAD_EVENTS[case]
    rows = [_event("EH1"), bad]
    run = _import(write_csv(tmp_path / "ev.csv", EVENT_COLUMNS, rows), "events", "early-help")
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (2, 1, 1)
    assert _reasons(run)[3][0] == field and words in _reasons(run)[3][1]


def test_events_already_held_are_not_added_again(persons_loaded: Agency, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", EVENT_COLUMNS, [_event("EH1"), _event("EH1")])
    run = _import(first, "events", "early-help")
    assert (run.rows_loaded, run.rows_new) == (2, 1)
    payload = json.dumps({"stage": "review"})
    second = write_csv(
        tmp_path / "b.csv", EVENT_COLUMNS, [_event("EH1"), _event("EH2", payload_json=payload)]
    )
    run = _import(second, "events", "early-help")
    assert (run.rows_loaded, run.rows_new) == (2, 1)
    assert Event.objects.count() == 2  # noqa: TID251


def test_events_for_another_agencys_record_are_quarantined(
    persons_loaded: Agency, tmp_path: Path
) -> None:
    factories.agency(AgencyType.HEALTH, code="health")
    path = write_csv(tmp_path / "ev.csv", EVENT_COLUMNS, [_event("EH1")])
    run = _import(path, "events", "health")
    assert (run.rows_loaded, run.rows_quarantined) == (0, 1)

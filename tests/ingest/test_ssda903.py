"""SSDA903 children looked after: the Header table gives records, the Episodes table gives
looked-after events on them; codes checked against the SSDA903 lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.chronology.models import Event
from joinedup.governance.models import AgencyType
from joinedup.ingest.models import ImportRun, ImportStatus
from joinedup.ingest.services import ImportRefused, import_file
from joinedup.people.models import SourceRecord
from tests import factories
from tests.ingest.helpers import write_csv

pytestmark = pytest.mark.django_db

HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]


def _episode(child: str = "CS000001", **kw: str) -> list[str]:
    values = dict.fromkeys(EPISODES, "")
    values.update(CHILD=child, DECOM="03/02/2025", RNE="S", LS="C1", CIN="N1", PLACE="U6")
    values.update(PLACE_PROVIDER="PR1", HOME_POST="JU1 2", PL_POST="JU3 4", URN="SC123456")
    values.update(kw)
    return [values[c] for c in EPISODES]


@pytest.fixture
def social_care(db: None) -> None:
    factories.agency(AgencyType.SOCIAL_CARE, code="sc")


def _import(path: Path) -> ImportRun:
    return import_file(actor=None, source_format="ssda903", path=path, agency_code="sc")


def _reasons(run: ImportRun) -> dict[int, tuple[str, str]]:
    return {q.row_number: (q.field_name, q.reason) for q in run.quarantined.all()}


def _header_file(tmp_path: Path) -> Path:
    rows = [
        ["CS000001", "2", "14/03/2012", "WBRI", "A990200019100", "", ""],
        ["CS000002", "1", "2010-01-30", "WBRI", "UN2", "", ""],
    ]
    return write_csv(tmp_path / "header.csv", HEADER, rows)


def test_the_header_table_gives_records_keyed_by_the_la_child_id(
    tmp_path: Path, social_care: None
) -> None:
    run = _import(_header_file(tmp_path))
    assert (run.rows_in, run.rows_loaded, run.rows_new) == (2, 2, 2)
    first = SourceRecord.objects.get(record_id="CS000001")
    assert (first.la_child_id, first.sex, first.date_of_birth, first.upn) == (
        "CS000001",
        "2",
        "14/03/2012",
        "A990200019100",
    )
    assert SourceRecord.objects.get(record_id="CS000002").upn == ""  # UN2: no UPN


def test_episodes_become_looked_after_events_without_postcodes(
    tmp_path: Path, social_care: None
) -> None:
    _import(_header_file(tmp_path))
    rows = [
        _episode(DEC="10/06/2025", REC="X1"),
        _episode(
            DECOM="10/06/2025",
            RNE="P",
            PLACE="K2",
            REASON_PLACE_CHANGE="CREQB",
            DEC="2025-09-01",
            REC="E4A",
        ),
        _episode("CS000002", DECOM="2025-04-01", LS="V2", PLACE="U3"),
    ]
    run = _import(write_csv(tmp_path / "episodes.csv", EPISODES, rows))
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined, run.rows_new) == (3, 3, 0, 3)
    events = list(
        Event.objects.filter(source_record__record_id="CS000001")
        .order_by("occurred_at")
        .values_list("event_type", "sensitivity", "summary", "payload")
    )
    assert [(t, s, text) for t, s, text, _ in events] == [
        (
            "looked_after",
            "sensitive",
            "Became looked after (interim care order); foster placement with other foster carers",
        ),
        ("looked_after", "sensitive", "Placement changed: children's home"),
        ("looked_after", "sensitive", "Ceased to be looked after: returned home as planned"),
    ]
    assert events[1][3] == {
        "legal_status": "C1",
        "placement_type": "K2",
        "reason_new_episode": "P",
        "place_provider": "PR1",
        "cin": "N1",
        "placement_urn": "SC123456",
        "reason_place_change": "CREQB",
        "stage": "placement_change",
    }
    assert not any("JU3" in str(payload) for *_, payload in events)


def test_each_bad_episode_is_quarantined_naming_the_field_and_why(
    tmp_path: Path, social_care: None
) -> None:
    _import(_header_file(tmp_path))
    rows = [
        _episode(LS="Z9"),
        _episode(PLACE=""),
        _episode(DECOM="2025-02-30"),
        _episode(DEC="01/01/2025", REC="E4A"),
        _episode(DEC="01/03/2025"),
        _episode(REC="E4A"),
        _episode("CS999999"),
        _episode(""),
        _episode(RNE="Q"),
    ]
    run = _import(write_csv(tmp_path / "episodes.csv", EPISODES, rows))
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (9, 0, 9)
    reasons = _reasons(run)
    assert reasons[2][0] == "LS" and reasons[2][1].startswith(
        "LS 'Z9' is not an SSDA903 legal status; use one of: C1, C2,"
    )
    assert reasons[3] == ("PLACE", "PLACE is blank: give an SSDA903 placement type code")
    assert reasons[4] == ("DECOM", "DECOM '2025-02-30' is not a date (DD/MM/YYYY or YYYY-MM-DD)")
    assert reasons[5] == ("DEC", "DEC '01/01/2025' is before DECOM '03/02/2025'")
    assert reasons[6] == ("REC", "REC is blank: an episode that ended (DEC) needs its reason")
    assert reasons[7] == ("DEC", "DEC is blank but REC is given: when did the episode end?")
    assert reasons[8] == (
        "CHILD",
        "CHILD 'CS999999' is not a record sc has sent: import the agency's person file first",
    )
    assert reasons[9] == ("CHILD", "CHILD is blank: every row needs the LA's child id")
    assert reasons[10][0] == "RNE" and "is not an SSDA903 reason for new episode" in reasons[10][1]
    assert not Event.objects.exists()


def test_bad_header_rows_are_quarantined(tmp_path: Path, social_care: None) -> None:
    rows = [["CS1", "3", "14/03/2012", "", "", "", ""], ["CS2", "1", "", "", "", "", ""]]
    run = _import(write_csv(tmp_path / "header.csv", HEADER, rows))
    assert _reasons(run) == {
        2: ("SEX", "SEX '3' is not an SSDA903 sex code; use 1 (male) or 2"),
        3: ("DOB", "DOB is blank: the Header table gives each child's DOB"),
    }


def test_a_file_of_neither_shape_is_refused(tmp_path: Path, social_care: None) -> None:
    path = write_csv(tmp_path / "x.csv", ["CHILD", "DECOM", "LS"], [["CS1", "01/01/2025", "C1"]])
    with pytest.raises(ImportRefused, match=r"x.csv is missing column\(s\): RNE, PLACE; found"):
        _import(path)
    path = write_csv(tmp_path / "y.csv", ["CHILD", "SEX"], [["CS1", "1"]])
    with pytest.raises(ImportRefused, match=r"missing column\(s\): DOB, \(or DECOM, RNE, LS"):
        _import(path)
    assert not SourceRecord.objects.exists()


def test_importing_the_same_episodes_again_changes_nothing(
    tmp_path: Path, social_care: None
) -> None:
    _import(_header_file(tmp_path))
    rows = [_episode(DEC="10/06/2025", REC="E13")]
    path = write_csv(tmp_path / "episodes.csv", EPISODES, rows)
    _import(path)
    before = list(Event.objects.values())
    assert _import(path).status == ImportStatus.ALREADY_IMPORTED
    rerun = _import(write_csv(tmp_path / "again.csv", EPISODES, rows, bom=True))
    assert (rerun.rows_loaded, rerun.rows_new) == (1, 0)
    assert list(Event.objects.values()) == before

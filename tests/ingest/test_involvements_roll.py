"""A school roll (`school-census`) puts each pupil on roll: a level 1, agency-wide involvement
with the school. Pupils missing from a later roll, or with a leaving date, come off it; the
school's DSL then sees exactly the pupils on roll."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import time_machine

from joinedup.access.children import child_search
from joinedup.access.policy import default_purpose
from joinedup.governance.models import Agency, AgencyType, AuditEvent
from joinedup.ingest.models import ImportRun, ImportStatus
from joinedup.ingest.services import ImportOptions, ImportRefused, import_file
from joinedup.people.models import Involvement, SourceRecord
from tests import factories
from tests.ingest.helpers import SCHOOL_COLUMNS, write_csv
from tests.ingest.linking import link_each_record_alone

pytestmark = pytest.mark.django_db

CENSUS_DAY = date(2026, 1, 15)
NAMES = ["Ava", "Ben", "Cara", "Dev", "Ezra", "Fay", "Gus", "Hana", "Ivo", "Jude"]


def pupil(n: int, **kw: str) -> list[str]:
    values = dict.fromkeys(SCHOOL_COLUMNS, "")
    values.update(
        PupilRef=f"P{n:03d}",
        Surname=f"Rollson{'abcdefghij'[n % 10]}",
        Forename=NAMES[n % 10],
        DOB=f"2016-0{1 + n % 9}-1{n % 10}",
        Sex="F",
        NCyearActual="4",
        EntryDate="2022-09-05",
    )
    values.update(kw)
    return [values[c] for c in SCHOOL_COLUMNS]


@pytest.fixture
def school(db: None) -> Agency:
    return factories.agency(AgencyType.SCHOOL, code="school-1")


def _import(path: Path, **options: object) -> ImportRun:
    return import_file(
        actor=None,
        source_format="school-census",
        path=path,
        agency_code="school-1",
        options=ImportOptions(**{"extract_date": CENSUS_DAY, **options}),  # type: ignore[arg-type]
    )


def _on_roll(on: date) -> set[str]:
    return {
        i.source_record.record_id
        for i in Involvement.objects.filter(source_key="roll").select_related("source_record")
        if i.source_record is not None
        and i.started_on <= on
        and (i.ended_on is None or i.ended_on >= on)
    }


def test_the_roll_puts_each_pupil_on_roll(school: Agency, tmp_path: Path) -> None:
    rows = [pupil(1), pupil(2, EntryDate="", NCyearActual="R"), pupil(3, LeavingDate="2025-07-22")]
    run = _import(write_csv(tmp_path / "roll.csv", SCHOOL_COLUMNS, rows))
    assert (run.rows_loaded, run.rows_new) == (3, 3)
    roll = {
        i.source_record.record_id: i  # type: ignore[union-attr]
        for i in Involvement.objects.filter(agency=school).select_related("source_record")
    }
    first = roll["P001"]
    assert (first.level, first.team, first.worker, first.description) == (
        1,
        None,
        None,
        "On roll (Year 4)",
    )
    assert (first.started_on, first.ended_on, first.child) == (date(2022, 9, 5), None, None)
    assert (roll["P002"].started_on, roll["P002"].description) == (
        CENSUS_DAY,
        "On roll (Reception)",
    )
    assert roll["P003"].ended_on == date(2025, 7, 22)


def test_a_bad_entry_or_leaving_date_quarantines_the_row(school: Agency, tmp_path: Path) -> None:
    rows = [pupil(1, EntryDate="05/13/2022"), pupil(2, LeavingDate="2020-01-01"), pupil(3)]
    run = _import(write_csv(tmp_path / "roll.csv", SCHOOL_COLUMNS, rows))
    reasons = {q.row_number: q.field_name for q in run.quarantined.all()}
    assert reasons == {2: "EntryDate", 3: "LeavingDate"}
    assert _on_roll(CENSUS_DAY) == {"P003"}


def test_a_pupil_missing_from_a_later_roll_comes_off_it(school: Agency, tmp_path: Path) -> None:
    _import(write_csv(tmp_path / "a.csv", SCHOOL_COLUMNS, [pupil(n) for n in range(10)]))
    later = [pupil(n) for n in range(1, 10)] + [pupil(10)]
    run = _import(
        write_csv(tmp_path / "b.csv", SCHOOL_COLUMNS, later), extract_date=date(2026, 5, 1)
    )
    assert run.involvements_ended == 1
    ended = Involvement.objects.get(source_record__record_id="P000")
    assert ended.ended_on == date(2026, 5, 1)
    assert _on_roll(date(2026, 5, 2)) == {f"P{n:03d}" for n in range(1, 11)}
    assert AuditEvent.objects.filter(action="involvements.end").count() == 1


def test_a_leaving_date_in_a_later_roll_ends_the_place(school: Agency, tmp_path: Path) -> None:
    _import(write_csv(tmp_path / "a.csv", SCHOOL_COLUMNS, [pupil(1), pupil(2)]))
    run = _import(
        write_csv(
            tmp_path / "b.csv", SCHOOL_COLUMNS, [pupil(1, LeavingDate="2026-02-13"), pupil(2)]
        )
    )
    assert (run.rows_changed, run.involvements_ended) == (1, 0)
    assert Involvement.objects.get(source_record__record_id="P001").ended_on == date(2026, 2, 13)


def test_a_cut_short_roll_is_refused_and_changes_nothing(school: Agency, tmp_path: Path) -> None:
    _import(write_csv(tmp_path / "a.csv", SCHOOL_COLUMNS, [pupil(n) for n in range(10)]))
    records = list(SourceRecord.objects.order_by("pk").values())
    short = write_csv(tmp_path / "b.csv", SCHOOL_COLUMNS, [pupil(0, Surname="Changed")])
    with pytest.raises(ImportRefused) as refused:
        _import(short)
    assert "would end 9 of the 10 open places on its roll" in str(refused.value)
    assert refused.value.run is not None and refused.value.run.status == ImportStatus.REFUSED
    assert list(SourceRecord.objects.order_by("pk").values()) == records
    assert _on_roll(CENSUS_DAY) == {f"P{n:03d}" for n in range(10)}


@time_machine.travel("2026-02-02 10:00:00+00:00", tick=False)
def test_the_schools_dsl_sees_exactly_the_pupils_on_roll(school: Agency, tmp_path: Path) -> None:
    other = factories.agency(AgencyType.SCHOOL, code="school-2")
    rows = [pupil(1), pupil(2), pupil(3, LeavingDate="2025-07-22"), pupil(4)]
    _import(write_csv(tmp_path / "roll.csv", SCHOOL_COLUMNS, rows))
    import_file(
        actor=None,
        source_format="school-census",
        path=write_csv(tmp_path / "other.csv", SCHOOL_COLUMNS, [pupil(5, PupilRef="Q005")]),
        agency_code="school-2",
        options=ImportOptions(extract_date=CENSUS_DAY),
    )
    link_each_record_alone()
    dsl = factories.staff(agency_=school)
    purpose = default_purpose(dsl.role)
    assert purpose is not None
    found = child_search(dsl, purpose=purpose, name="Rollson")
    by_record = dict(SourceRecord.objects.values_list("child__child_id", "record_id"))
    assert sorted(by_record[c.child_id] for c in found) == ["P001", "P002", "P004"]
    assert other.pk != school.pk

"""An agency's case list (`involvements`): each row an involvement on a record the agency
holds, with its team, worker and level; re-imports update and add; a full list ends the open
involvements missing from it, guarded against a cut-short export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from joinedup.governance.models import Agency, AgencyType, AuditEvent, StaffUser, Team
from joinedup.ingest.models import ImportRun, ImportStatus
from joinedup.ingest.services import ImportOptions, ImportRefused, import_file
from joinedup.people.models import Child, Involvement
from tests import factories
from tests.ingest.helpers import write_csv

pytestmark = pytest.mark.django_db

COLUMNS = (
    "record_id",
    "case_id",
    "team",
    "worker",
    "description",
    "level",
    "started_on",
    "ended_on",
    "lead_professional",
)
DAY = date(2026, 3, 2)


def case(record_id: str, **kw: str) -> list[str]:
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        record_id=record_id,
        case_id=f"CASE-{record_id}",
        team="family-support",
        description="Family support",
        level="2",
        started_on="2025-09-01",
    )
    values.update(kw)
    return [values[c] for c in COLUMNS]


class Area:
    def __init__(self) -> None:
        self.agency: Agency = factories.agency(AgencyType.EARLY_HELP, code="early-help")
        self.team: Team = factories.team(self.agency, code="family-support")
        self.worker: StaffUser = factories.staff(
            agency_=self.agency,
            team_=self.team,
            email="sam.worker@example.org",
            staff_number="EH0042",
        )
        self.children: dict[str, Child] = {}
        for n in range(1, 11):
            child = factories.child()
            factories.source_record(child, self.agency, record_id=f"EH{n:03d}")
            self.children[f"EH{n:03d}"] = child


@pytest.fixture
def area(db: None) -> Area:
    return Area()


def _import(path: Path, **options: object) -> ImportRun:
    return import_file(
        actor=None,
        source_format="involvements",
        path=path,
        agency_code="early-help",
        options=ImportOptions(extract_date=DAY, **options),  # type: ignore[arg-type]
    )


def _reasons(run: ImportRun) -> dict[int, tuple[str, str]]:
    return {q.row_number: (q.field_name, q.reason) for q in run.quarantined.all()}


def test_a_case_list_starts_involvements_with_team_worker_and_level(
    area: Area, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "cases.csv",
        COLUMNS,
        [
            case("EH001", worker="sam.worker@example.org", lead_professional="yes"),
            case("EH002", worker="EH0042", level="Targeted", team=""),
            case("EH003", level="early HELP", ended_on="2026-01-31"),
        ],
    )
    run = _import(path)
    assert (run.rows_in, run.rows_loaded, run.rows_new, run.rows_quarantined) == (3, 3, 3, 0)
    first = Involvement.objects.get(child=area.children["EH001"])
    assert (first.team, first.worker, first.level, first.is_lead_professional) == (
        area.team,
        area.worker,
        2,
        True,
    )
    assert first.started_on == date(2025, 9, 1) and first.ended_on is None
    second = Involvement.objects.get(child=area.children["EH002"])
    assert (second.team, second.worker, second.level) == (None, area.worker, 3)
    third = Involvement.objects.get(child=area.children["EH003"])
    assert (third.level, third.ended_on) == (2, date(2026, 1, 31))


def test_unknown_record_team_worker_and_level_are_quarantined_with_the_reason(
    area: Area, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "cases.csv",
        COLUMNS,
        [
            case("EH999"),
            case("EH001", team="no-such-team"),
            case("EH002", worker="nobody@example.org"),
            case("EH003", worker="ZZ9"),
            case("EH004", level="7"),
            case("EH005", started_on="2025-02-30"),
            case("EH006", lead_professional="yes"),
            case("EH007", description="x" * 201),
            case("EH008"),
        ],
    )
    run = _import(path)
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (9, 1, 8)
    reasons = _reasons(run)
    assert reasons[2][0] == "record_id" and "early-help holds no record" in reasons[2][1]
    assert reasons[3] == (
        "team",
        "team 'no-such-team': no team with code 'no-such-team' at agency early-help",
    )
    assert reasons[4] == (
        "worker",
        "worker 'nobody@example.org': no member of staff with email nobody@example.org at "
        "agency early-help",
    )
    assert reasons[5] == (
        "worker",
        "worker 'ZZ9': no member of staff with staff number ZZ9 at agency early-help",
    )
    assert reasons[6][0] == "level" and "'7' is not a level of need" in reasons[6][1]
    assert reasons[7][0] == "started_on" and "not a real date" in reasons[7][1]
    assert reasons[8][0] == "lead_professional"
    assert reasons[9][0] == "description" and "201 characters" in reasons[9][1]
    assert list(Involvement.objects.values_list("source_record__record_id", flat=True)) == ["EH008"]


def test_a_worker_at_another_agency_is_not_found(area: Area, tmp_path: Path) -> None:
    elsewhere = factories.agency(AgencyType.SOCIAL_CARE, code="social-care")
    factories.staff(agency_=elsewhere, email="other@example.org", staff_number="SC1")
    path = write_csv(tmp_path / "cases.csv", COLUMNS, [case("EH001", worker="other@example.org")])
    run = _import(path)
    assert _reasons(run)[2][1].endswith(
        "no member of staff with email other@example.org at agency early-help"
    )


def test_a_re_import_updates_changed_fields_audited_and_adds_new_ones(
    area: Area, tmp_path: Path
) -> None:
    _import(write_csv(tmp_path / "a.csv", COLUMNS, [case("EH001"), case("EH002")]))
    before = Involvement.objects.get(child=area.children["EH001"]).pk
    run = _import(
        write_csv(
            tmp_path / "b.csv",
            COLUMNS,
            [case("EH001", level="3", worker="EH0042"), case("EH002"), case("EH003")],
        )
    )
    assert (run.rows_loaded, run.rows_new, run.rows_changed) == (3, 1, 1)
    changed = Involvement.objects.get(child=area.children["EH001"])
    assert changed.pk == before and (changed.level, changed.worker) == (3, area.worker)
    entry = AuditEvent.objects.get(action="involvements.update")
    assert entry.object_ref == str(before)
    assert entry.child_ref == area.children["EH001"].child_id
    assert entry.detail["changed"]["level"] == [2, 3]
    assert Involvement.objects.count() == 3


def test_re_importing_the_same_file_changes_nothing(area: Area, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", COLUMNS, [case("EH001"), case("EH002")])
    _import(path, full_list=True)
    state = list(Involvement.objects.order_by("pk").values())
    audit = AuditEvent.objects.count()
    again = _import(path, full_list=True)
    assert again.status == ImportStatus.ALREADY_IMPORTED
    assert list(Involvement.objects.order_by("pk").values()) == state
    assert AuditEvent.objects.count() == audit


def test_without_a_case_id_team_and_start_tell_involvements_apart(
    area: Area, tmp_path: Path
) -> None:
    rows = [case("EH001", case_id=""), case("EH001", case_id="", started_on="2024-01-08")]
    _import(write_csv(tmp_path / "a.csv", COLUMNS, rows))
    rows[0] = case("EH001", case_id="", level="4")
    run = _import(write_csv(tmp_path / "b.csv", COLUMNS, rows))
    assert (run.rows_new, run.rows_changed) == (0, 1)
    levels = sorted(Involvement.objects.values_list("started_on", "level"))
    assert levels == [(date(2024, 1, 8), 2), (date(2025, 9, 1), 4)]
    repeat = _import(write_csv(tmp_path / "c.csv", COLUMNS, [rows[0], rows[0]]))
    assert "repeats the team and start date of row 2" in _reasons(repeat)[3][1]


def _open() -> set[str]:
    return set(
        Involvement.objects.filter(ended_on__isnull=True).values_list(
            "source_record__record_id", flat=True
        )
    )


def test_a_full_list_ends_open_involvements_missing_from_it(area: Area, tmp_path: Path) -> None:
    ids = [f"EH{n:03d}" for n in range(1, 11)]
    _import(write_csv(tmp_path / "a.csv", COLUMNS, [case(i) for i in ids]))
    run = _import(
        write_csv(tmp_path / "b.csv", COLUMNS, [case(i) for i in ids[:-2]]), full_list=True
    )
    assert run.status == ImportStatus.LOADED and run.involvements_ended == 2
    assert _open() == set(ids[:-2])
    ended = Involvement.objects.filter(ended_on__isnull=False)
    assert {i.ended_on for i in ended} == {DAY}
    assert AuditEvent.objects.filter(action="involvements.end").count() == 2


def test_a_case_list_not_marked_full_ends_nothing(area: Area, tmp_path: Path) -> None:
    _import(write_csv(tmp_path / "a.csv", COLUMNS, [case("EH001"), case("EH002")]))
    _import(write_csv(tmp_path / "b.csv", COLUMNS, [case("EH003")]))
    assert _open() == {"EH001", "EH002", "EH003"}


def test_a_quarantined_row_does_not_end_its_involvement(area: Area, tmp_path: Path) -> None:
    ids = [f"EH{n:03d}" for n in range(1, 11)]
    _import(write_csv(tmp_path / "a.csv", COLUMNS, [case(i) for i in ids]))
    rows = [case(i) for i in ids]
    rows[0] = case("EH001", worker="gone@example.org")
    run = _import(write_csv(tmp_path / "b.csv", COLUMNS, rows), full_list=True)
    assert run.rows_quarantined == 1 and run.involvements_ended == 0
    assert _open() == set(ids)


def test_a_full_list_that_would_end_too_many_is_refused_whole(area: Area, tmp_path: Path) -> None:
    ids = [f"EH{n:03d}" for n in range(1, 11)]
    _import(write_csv(tmp_path / "a.csv", COLUMNS, [case(i) for i in ids]))
    state = list(Involvement.objects.order_by("pk").values())
    cut_short = write_csv(tmp_path / "b.csv", COLUMNS, [case("EH001", level="4"), case("EH002")])
    with pytest.raises(ImportRefused) as refused:
        _import(cut_short, full_list=True)
    message = str(refused.value)
    assert "would end 8 of the 10 open involvements" in message and "80%" in message
    assert "20% allowed" in message and "--force" in message
    run = refused.value.run
    assert run is not None and run.status == ImportStatus.REFUSED
    assert (tmp_path / "var" / run.archived_path).read_bytes() == cut_short.read_bytes()
    assert list(Involvement.objects.order_by("pk").values()) == state  # not even the level
    assert not AuditEvent.objects.filter(action__startswith="involvements.").exists()
    refused_entry = AuditEvent.objects.get(action="ingest.import", detail__status="refused")
    assert refused_entry.detail["file"] == "b.csv"


def test_a_forced_full_list_ends_them_and_says_so(area: Area, tmp_path: Path) -> None:
    ids = [f"EH{n:03d}" for n in range(1, 11)]
    _import(write_csv(tmp_path / "a.csv", COLUMNS, [case(i) for i in ids]))
    cut_short = write_csv(tmp_path / "b.csv", COLUMNS, [case("EH001"), case("EH002")])
    with pytest.raises(ImportRefused):
        _import(cut_short, full_list=True)
    run = _import(cut_short, full_list=True, force=True)
    assert run.status == ImportStatus.LOADED and run.involvements_ended == 8
    assert _open() == {"EH001", "EH002"}
    assert "forced past the limit" in run.warnings[0]["reason"]


def test_the_allowed_share_can_be_raised_for_one_file(area: Area, tmp_path: Path) -> None:
    ids = [f"EH{n:03d}" for n in range(1, 11)]
    _import(write_csv(tmp_path / "a.csv", COLUMNS, [case(i) for i in ids]))
    half = write_csv(tmp_path / "b.csv", COLUMNS, [case(i) for i in ids[:5]])
    with pytest.raises(ImportRefused):
        _import(half, full_list=True, max_end_share=0.4)
    assert _import(half, full_list=True, max_end_share=0.5).involvements_ended == 5


def test_the_school_roll_is_untouched_by_a_case_list(area: Area, tmp_path: Path) -> None:
    _import(write_csv(tmp_path / "a.csv", COLUMNS, [case("EH001")]))
    made_here = factories.involvement(area.children["EH002"], area.agency, description="TAC")
    run = _import(write_csv(tmp_path / "b.csv", COLUMNS, [case("EH001")]), full_list=True)
    assert run.involvements_ended == 0
    made_here.refresh_from_db()
    assert made_here.ended_on is None

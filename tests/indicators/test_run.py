"""Running the rules and keeping the flags: new flags open, open flags update (and rise from
amber to red), flags that stop firing clear; the run is audited; merged children count as the
survivor; `joinedup indicators run`; and the run after an import."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from joinedup.governance.models import AgencyType, AuditEvent
from joinedup.indicators.models import Flag, FlagStatus, IndicatorRun, RunStatus
from joinedup.indicators.services import decision_due, indicators_run
from joinedup.ingest.attendance import marks_file
from joinedup.ingest.models import ImportRun, ImportStatus
from joinedup.ingest.services import import_file
from joinedup.people.models import Child, SourceRecord
from tests import factories
from tests.indicators.timelines import Pupil, autumn, write_marks

pytestmark = pytest.mark.django_db

DAYS = autumn()
LAST_30 = DAYS[-30:]
END = date(2025, 12, 19)


@pytest.fixture(autouse=True)
def _var_in_tmp(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"  # type: ignore[attr-defined]


class Area:
    """One school with an attendance import whose marks the test rewrites between runs."""

    def __init__(self) -> None:
        self.school = factories.agency(AgencyType.SCHOOL, name="Hillside Primary", urn="100001")
        self.police = factories.agency(AgencyType.POLICE, name="Police")
        self.run = ImportRun.objects.create(
            source_format="attendance",
            agency=self.school,
            original_name="marks.csv",
            sha256="a" * 64,
            archived_path="archive/marks.csv",
            size_bytes=1,
            status=ImportStatus.LOADED,
            finished_at=datetime(2025, 12, 19, 18, 0, tzinfo=UTC),
        )
        self.pupils: dict[int, Pupil] = {}

    def pupil(self, child: Child | None = None) -> tuple[Child, SourceRecord]:
        child = child or factories.child()
        record = SourceRecord.objects.create(
            agency=self.school, record_id=f"P{child.pk}", child=child
        )
        self.pupils[record.pk] = Pupil(record.pk, child.pk, DAYS)
        return child, record

    def marks(self, record: SourceRecord) -> Pupil:
        return self.pupils[record.pk]

    def write(self) -> None:
        path = marks_file(self.run)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_marks(path, list(self.pupils.values()), run=self.run.pk)

    def present(self, record: SourceRecord) -> None:
        self.pupils[record.pk] = Pupil(record.pk, 0, DAYS)


def open_flags(child: Child) -> dict[str, Flag]:
    return {f.rule_id: f for f in Flag.objects.filter(child=child, status=FlagStatus.OPEN)}


def test_a_run_opens_updates_raises_and_clears_flags() -> None:
    area = Area()
    child, record = area.pupil()
    quiet, _ = area.pupil()
    area.marks(record).absent_sessions(LAST_30, 7, "I")  # 88.3%: amber
    area.write()
    first = indicators_run(actor=None, as_of=END, trigger="nightly")
    assert first.status == RunStatus.FINISHED and first.children_evaluated == 2
    flags = open_flags(child)
    assert set(flags) == {"attendance-6-weeks", "attendance-drop"}
    six = flags["attendance-6-weeks"]
    assert (six.level, str(six.value), str(six.threshold), six.is_new) == (
        "amber",
        "88.33",
        "90.00",
        True,
    )
    assert six.first_run == six.last_run == first
    assert six.decision_due_on == date(
        2025, 12, 30
    )  # 5 working days (25, 26 Dec are bank holidays)
    assert six.evidence["series"][-1] == {"end": "2025-12-19", "value": 88.33}
    assert six.data_date == date(2025, 12, 19) and "Hillside Primary" in six.source
    assert open_flags(quiet) == {}
    assert first.flags_raised == 2 and first.flags_cleared == 0
    entry = AuditEvent.objects.filter(action="indicators.run").latest("sequence")
    assert entry.object_ref == str(first.pk)
    assert entry.detail["flags"] == {"raised": 2, "updated": 0, "rising": 0, "cleared": 0}
    assert entry.detail["as_of"] == "2025-12-19" and entry.detail["scope"] == "area"

    # Worse: the same flag, now red and rising, with a fresh decision date; an escalation.
    area.marks(record).absent_sessions(LAST_30, 13, "I")
    area.write()
    second = indicators_run(actor=None, as_of=date(2025, 12, 19), trigger="on_demand")
    flags = open_flags(child)
    six_again = flags["attendance-6-weeks"]
    assert six_again.pk == six.pk
    assert (six_again.level, six_again.is_new, six_again.is_rising) == ("red", False, True)
    assert six_again.first_run == first and six_again.last_run == second
    assert flags["escalation"].is_escalation and flags["escalation"].is_new
    assert second.flags_raised == 1  # the escalation

    # Steady: still red, no longer rising (so no longer escalated by rising alone).
    third = indicators_run(actor=None, as_of=END, trigger="on_demand")
    flags = open_flags(child)
    assert flags["attendance-6-weeks"].is_rising is False
    assert "escalation" not in flags and third.flags_cleared == 1

    # Better: every flag clears, kept with the run that cleared it.
    area.present(record)
    area.write()
    fourth = indicators_run(actor=None, as_of=END, trigger="on_demand")
    assert open_flags(child) == {}
    cleared = Flag.objects.get(pk=six.pk)
    assert cleared.status == FlagStatus.CLEARED and cleared.cleared_run == fourth
    assert fourth.flags_cleared == 2


def test_merged_children_are_evaluated_as_the_survivor() -> None:
    area = Area()
    survivor, _ = area.pupil()
    merged = factories.child()
    _, old_record = area.pupil(merged)
    area.marks(old_record).absent_sessions(LAST_30, 20, "O")
    area.write()
    indicators_run(actor=None, as_of=END, trigger="on_demand")
    assert "attendance-6-weeks" in open_flags(merged)
    merged.merged_into = survivor
    merged.save()
    indicators_run(actor=None, as_of=END, trigger="on_demand")
    assert "attendance-6-weeks" in open_flags(survivor)
    assert open_flags(merged) == {}  # cleared: its marks now count for the survivor


def test_a_run_for_some_children_leaves_the_others_flags_alone() -> None:
    area = Area()
    one, first = area.pupil()
    other, second = area.pupil()
    area.marks(first).absent_sessions(LAST_30, 7, "I")
    area.marks(second).absent_sessions(LAST_30, 7, "I")
    area.write()
    indicators_run(actor=None, as_of=END, trigger="on_demand")
    area.present(first)
    area.present(second)
    area.write()
    run = indicators_run(actor=None, as_of=END, trigger="import", child_ids=[one.pk])
    assert open_flags(one) == {}
    assert "attendance-6-weeks" in open_flags(other)  # not evaluated, so not cleared
    assert run.children_evaluated == 1
    detail = AuditEvent.objects.filter(action="indicators.run").latest("sequence").detail
    assert detail["scope"] == "1 children"


def test_events_count_as_the_childs_events() -> None:
    area = Area()
    child, _ = area.pupil()
    area.write()
    factories.event(
        child,
        area.police,
        "police_notification",
        occurred_at=datetime(2025, 12, 1, 22, 30, tzinfo=UTC),
        payload={"notification_type": "domestic_abuse"},
    )
    indicators_run(actor=None, as_of=END, trigger="on_demand")
    flag = open_flags(child)["police-domestic-abuse"]
    assert flag.level == "amber" and flag.source == "Police"
    assert flag.evidence["items"] == [
        {"date": "2025-12-01", "what": "Police domestic-abuse notification (Police)"}
    ]


def test_a_failed_run_is_recorded_and_audited() -> None:
    area = Area()
    area.pupil()
    path = marks_file(area.run)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not parquet at all")
    with pytest.raises(Exception, match="(?i)parquet"):
        indicators_run(actor=None, as_of=END, trigger="nightly")
    failed = IndicatorRun.objects.get()
    assert failed.status == RunStatus.FAILED and "arquet" in failed.error
    assert Flag.objects.count() == 0
    entry = AuditEvent.objects.filter(action="indicators.run").latest("sequence")
    assert entry.detail["status"] == "failed"


def test_decision_due_counts_working_days() -> None:
    # 25 and 26 December 2025 are bank holidays (Thursday, Friday).
    assert decision_due(date(2025, 12, 19), 5) == date(2025, 12, 30)
    assert decision_due(date(2025, 12, 17), 5) == date(2025, 12, 24)
    assert decision_due(date(2025, 12, 20), 1) == date(2025, 12, 22)  # Saturday -> Monday


def test_the_command_runs_and_reports(tmp_path: Path) -> None:
    area = Area()
    child, record = area.pupil()
    area.marks(record).absent_sessions(LAST_30, 7, "I")
    area.write()
    out = StringIO()
    call_command("indicators", "run", "--as-of", "2025-12-19", "--trigger", "nightly", stdout=out)
    assert "Indicators as at 2025-12-19 (rules 2026.1): 1 children evaluated, 2 flags raised" in (
        out.getvalue()
    )
    assert IndicatorRun.objects.get().trigger == "nightly"
    out = StringIO()
    call_command(
        "indicators", "run", "--as-of", "2025-12-19", "--children", child.child_id, stdout=out
    )
    assert "1 children evaluated, 0 flags raised, 0 cleared" in out.getvalue()


def test_the_command_refuses_plainly(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text('version = "x"\n[[rule]]\nid = "a"\nkind = "vibes"\n')
    with pytest.raises(CommandError, match=r"rules.toml: rule 'a' \(rule 1\) kind: 'vibes'"):
        call_command("indicators", "run", "--rules", str(bad))
    with pytest.raises(CommandError, match="no child has the id C-NOTACHILD"):
        call_command("indicators", "run", "--children", "C-NOTACHILD")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match="is in the future"):
        call_command("indicators", "run", "--as-of", tomorrow)
    assert IndicatorRun.objects.count() == 0


def test_an_import_runs_the_rules_for_the_children_it_touched(tmp_path: Path) -> None:
    police = factories.agency(AgencyType.POLICE, code="police", name="Police")
    child = factories.child()
    SourceRecord.objects.create(agency=police, record_id="JU/25/000001", child=child)
    SourceRecord.objects.create(agency=police, record_id="JU/25/000002")  # not linked yet
    when = (timezone.now() - timedelta(days=3)).replace(microsecond=0).isoformat()
    extract = tmp_path / "events.csv"
    extract.write_text(
        "record_id,event_type,occurred_at,summary,payload_json\n"
        f"JU/25/000001,missing_episode,{when},Reported missing for 5 hours,\n"
        f"JU/25/000002,missing_episode,{when},Reported missing for 9 hours,\n"
    )
    run = import_file(actor=None, source_format="events", path=extract, agency_code="police")
    assert run.status == ImportStatus.LOADED
    indicator_run = IndicatorRun.objects.get()
    assert (indicator_run.trigger, indicator_run.as_of) == ("import", timezone.localdate())
    assert indicator_run.children_evaluated == 1
    assert open_flags(child)["missing-episode"].level == "red"

"""Import runs: idempotent, updating in place, audited once per run, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.access.audit import audit_verify
from joinedup.governance.models import Agency, AuditEvent, Role
from joinedup.ingest import loaders, loading
from joinedup.ingest.models import ImportRun, ImportStatus, QuarantinedRow
from joinedup.ingest.services import import_file
from joinedup.people.models import SourceRecord
from tests import factories
from tests.ingest.helpers import PERSONS_COLUMNS, person, write_csv

pytestmark = pytest.mark.django_db


def _state() -> dict[str, object]:
    return {
        "records": sorted(
            SourceRecord.objects.values_list(
                "record_id", "given_name", "family_name", "date_of_birth", "received_at"
            )
        ),
        "quarantined": QuarantinedRow.objects.count(),
        "loaded_runs": ImportRun.objects.filter(status="loaded").count(),
        "audit": list(AuditEvent.objects.values_list("sequence", "entry_hash")),
    }


def test_reimporting_the_same_file_changes_nothing(agency: Agency, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, [person("EH1"), person("")])
    first = import_file(actor=None, source_format="persons", path=path, agency_code="early-help")
    before = _state()
    again = import_file(actor=None, source_format="persons", path=path, agency_code="early-help")
    assert again.status == ImportStatus.ALREADY_IMPORTED and again.pk != first.pk
    assert f"already imported by run #{first.pk}" in again.error_message
    assert _state() == before


def test_the_same_file_for_another_agency_or_format_is_a_new_import(
    agency: Agency, tmp_path: Path
) -> None:
    other = factories.agency(code="youth-service")
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, [person("EH1")])
    import_file(actor=None, source_format="persons", path=path, agency_code=agency.code)
    run = import_file(actor=None, source_format="persons", path=path, agency_code=other.code)
    assert run.status == ImportStatus.LOADED
    assert SourceRecord.objects.count() == 2


def test_an_updated_file_updates_records_in_place_and_is_audited(
    agency: Agency, tmp_path: Path
) -> None:
    old = write_csv(tmp_path / "v1.csv", PERSONS_COLUMNS, [person("EH1"), person("EH2")])
    import_file(actor=None, source_format="persons", path=old, agency_code="early-help")
    child = factories.child()
    SourceRecord.objects.filter(record_id="EH1").update(child=child)
    rows = [person("EH1", family_name="Okafor-Smith", postcode="JU2 9ZZ"), person("EH2")]
    rows.append(person("EH3"))
    new = write_csv(tmp_path / "v2.csv", PERSONS_COLUMNS, rows)
    run = import_file(actor=None, source_format="persons", path=new, agency_code="early-help")
    assert (run.rows_loaded, run.rows_new, run.rows_changed) == (3, 1, 1)
    assert SourceRecord.objects.count() == 3
    updated = SourceRecord.objects.get(record_id="EH1")
    assert (updated.family_name, updated.postcode) == ("Okafor-Smith", "JU2 9ZZ")
    assert updated.child == child  # the link survives an identity update
    entry = AuditEvent.objects.get(action="ingest.import", object_ref=str(run.pk))
    assert entry.detail["rows_changed"] == 1 and entry.detail["sha256"] == run.sha256


def test_each_run_writes_one_audit_entry_with_counts_checksum_and_run(
    agency: Agency, tmp_path: Path
) -> None:
    analyst = factories.staff(Role.DATA_ANALYST, agency)
    rows = [person(f"EH{n}") for n in range(5)] + [person("")]
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, rows)
    run = import_file(actor=analyst, source_format="persons", path=path, agency_code="early-help")
    entry = AuditEvent.objects.get(action="ingest.import")
    assert entry.actor == analyst and run.actor == analyst
    assert {
        k: entry.detail[k] for k in ("run", "sha256", "rows_in", "rows_loaded", "rows_quarantined")
    } == {
        "run": run.pk,
        "sha256": run.sha256,
        "rows_in": 6,
        "rows_loaded": 5,
        "rows_quarantined": 1,
    }
    assert audit_verify().ok


def test_a_failure_mid_load_leaves_the_database_as_before(
    agency: Agency, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "BATCH_SIZE", 10)
    calls = {"n": 0}
    real_flush = loaders.PersonLoader.flush

    def flaky_flush(self: loaders.PersonLoader) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real_flush(self)

    monkeypatch.setattr(loaders.PersonLoader, "flush", flaky_flush)
    rows = [person(f"EH{n}") for n in range(50)] + [person("")]
    path = write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, rows)
    with pytest.raises(OSError, match="disk full"):
        import_file(actor=None, source_format="persons", path=path, agency_code="early-help")
    assert SourceRecord.objects.count() == 0 and QuarantinedRow.objects.count() == 0
    failed = ImportRun.objects.get()
    assert failed.status == ImportStatus.FAILED and "disk full" in failed.error_message
    assert (failed.rows_in, failed.rows_loaded, failed.rows_quarantined) == (0, 0, 0)
    assert AuditEvent.objects.get(action="ingest.import").detail["status"] == "failed"
    # The failed file can be imported once the problem is fixed.
    monkeypatch.setattr(loaders.PersonLoader, "flush", real_flush)
    run = import_file(actor=None, source_format="persons", path=path, agency_code="early-help")
    assert (run.status, run.rows_loaded, run.rows_quarantined) == ("loaded", 50, 1)


def test_large_files_are_written_in_batches(
    agency: Agency, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "BATCH_SIZE", 7)
    rows = [person(f"EH{n}") for n in range(40)] + [person(f"EH{n}") for n in range(3)]
    run = import_file(
        actor=None,
        source_format="persons",
        path=write_csv(tmp_path / "eh.csv", PERSONS_COLUMNS, rows),
        agency_code="early-help",
    )
    assert (run.rows_in, run.rows_loaded, run.rows_quarantined) == (43, 40, 3)
    assert SourceRecord.objects.count() == 40

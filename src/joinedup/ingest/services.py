"""Importing an agency's extract file: archive it, read it row by row, load or quarantine.

Rules (DESIGN.md principle 4, "Nothing is lost"):

- The file is archived byte for byte, named by its SHA-256, before it is read; the archived copy
  is what is parsed.
- `rows_in == rows_loaded + rows_quarantined`, always; each quarantined row says which field
  and why.
- One file loads in ONE transaction: a crash (even kill -9) part-way leaves the database as it
  was. A failed run is recorded afterwards, in its own transaction.
- Importing the same file again for the same agency and format changes nothing: the attempt is
  recorded as a run with status `already_imported`, and no child data or audit entry is written.
- A new file holding a record id the agency sent before updates that source record in place
  (its earlier version stays in the archive, under the earlier run's checksum).
- An event already held (same source record, type, time and summary) is not added again.
- A row may carry a person and their events together (CIN census child, SSDA903 table): the
  batch's records are written first, then its events attach to them (`_BundleLoader`).
- One audit entry (`ingest.import`) per run that loads or fails, in the same transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.governance.models import Agency, StaffUser
from joinedup.ingest.adapters import (
    CsvAdapter,
    FileProblem,
    PersonRecord,
    Problem,
    Row,
    adapter_for,
)
from joinedup.ingest.adapters.attendance import AttendanceAdapter
from joinedup.ingest.adapters.base import DAMAGED
from joinedup.ingest.adapters.bundle import Bundle
from joinedup.ingest.adapters.identity import IDENTITY_FIELDS
from joinedup.ingest.archive import archive_file
from joinedup.ingest.attach import Item, attach_events
from joinedup.ingest.models import ImportRun, ImportStatus, QuarantinedRow
from joinedup.people.models import SourceRecord

__all__ = ["BATCH_SIZE", "ImportRefused", "Progress", "import_file"]

BATCH_SIZE = 2000
logger = logging.getLogger(__name__)
PROGRESS_EVERY = 1000
WARNINGS_KEPT = 100

# rows read so far, bytes read so far, file size in bytes
Progress = Callable[[int, int, int], None]


class ImportRefused(Exception):
    """The file cannot be imported. The message names the file and the problem in plain words;
    `run` is the failed ImportRun when one was recorded."""

    def __init__(self, message: str, run: ImportRun | None = None) -> None:
        super().__init__(message)
        self.run = run


def _agency_and_size(agency_code: str, path: Path) -> tuple[Agency, int]:
    """The agency the file is for and the file's size; ImportRefused for an unknown agency, a
    missing file or one over the import limit."""
    name = path.name
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        codes = ", ".join(Agency.objects.order_by("code").values_list("code", flat=True))
        raise ImportRefused(
            f"Unknown agency code {agency_code!r}; "
            + (f"the agencies are: {codes}" if codes else "no agencies have been set up yet")
        )
    if not path.is_file():
        raise ImportRefused(f"{name} does not exist or is not a file ({path})")
    size = path.stat().st_size
    limit = int(settings.IMPORT_MAX_BYTES)
    if size > limit:
        raise ImportRefused(
            f"{name} is {size:,} bytes, more than the import limit of {limit:,} bytes "
            "(JOINEDUP_IMPORT_MAX_BYTES); split it, or raise the limit"
        )
    return agency, size


def import_file(
    *,
    actor: StaffUser | None,
    source_format: str,
    path: Path | str,
    agency_code: str,
    progress: Progress | None = None,
) -> ImportRun:
    """Import one extract file for one agency; return its run (loaded or already imported)."""
    path = Path(path)
    name = path.name
    try:
        adapter = adapter_for(source_format, name)
    except FileProblem as exc:
        raise ImportRefused(str(exc)) from None
    agency, size = _agency_and_size(agency_code, path)
    archived = archive_file(path)
    run = ImportRun(
        source_format=source_format,
        agency=agency,
        original_name=name[:255],
        sha256=archived.sha256,
        archived_path=archived.relative_path,
        size_bytes=archived.size_bytes,
        actor=actor,
    )
    previous = ImportRun.objects.filter(
        agency=agency,
        sha256=archived.sha256,
        source_format=source_format,
        status=ImportStatus.LOADED,
    ).first()
    if previous is not None:
        run.status = ImportStatus.ALREADY_IMPORTED
        run.finished_at = timezone.now()
        run.error_message = f"{name} was already imported by run #{previous.pk}; nothing changed"
        run.save()
        return run

    loaders: dict[str, type[_Loader]] = {"events": _EventLoader, "bundles": _BundleLoader}
    loader: _Loader = loaders.get(adapter.kind, _PersonLoader)(run, adapter)
    try:
        with transaction.atomic():
            run.full_clean()
            run.save()
            if isinstance(adapter, AttendanceAdapter):  # read in bulk by DuckDB, not by row
                adapter.load(run, archived.path, progress)
            else:
                for row_number, row in adapter.parse(archived.path):
                    loader.add(row_number, row)
                    if progress is not None and loader.rows_in % PROGRESS_EVERY == 0:
                        progress(loader.rows_in, adapter.bytes_read, size)
                loader.finish()
            run.status = ImportStatus.LOADED
            run.finished_at = timezone.now()
            run.save()
            _audit(run, actor)
    except FileProblem as exc:
        raise ImportRefused(str(exc), _failed(run, actor, str(exc))) from None
    except (Exception, KeyboardInterrupt) as exc:
        _failed(run, actor, f"{name}: the import stopped at row {loader.last_row} ({exc!r})")
        raise
    if progress is not None:
        progress(run.rows_in, size, size)
    _indicators_after(run)
    return run


def _indicators_after(run: ImportRun) -> None:
    """Incremental indicators: re-run the rules for the children this import touched. The
    import has committed and stands whatever happens here; a failed indicator run is recorded
    as failed (indicators.services) and logged."""
    from joinedup.indicators.services import indicators_after_import

    try:
        indicators_after_import(run)
    except Exception:
        logger.exception("indicators after import run #%s failed", run.pk)


def _failed(run: ImportRun, actor: StaffUser | None, message: str) -> ImportRun:
    """Record a failed run after its load was rolled back: nothing of the file was kept."""
    failed = ImportRun(
        source_format=run.source_format,
        agency=run.agency,
        original_name=run.original_name,
        sha256=run.sha256,
        archived_path=run.archived_path,
        size_bytes=run.size_bytes,
        actor=actor,
        started_at=run.started_at,
        status=ImportStatus.FAILED,
        error_message=message,
        finished_at=timezone.now(),
    )
    with transaction.atomic():
        failed.save()
        _audit(failed, actor)
    return failed


def _audit(run: ImportRun, actor: StaffUser | None) -> None:
    audit_record(
        actor=actor,
        action="ingest.import",
        object_type="import_run",
        object_ref=str(run.pk),
        detail={
            "run": run.pk,
            "status": run.status,
            "file": run.original_name,
            "sha256": run.sha256,
            "source_format": run.source_format,
            "agency": run.agency.code,
            "rows_in": run.rows_in,
            "rows_loaded": run.rows_loaded,
            "rows_quarantined": run.rows_quarantined,
            "rows_new": run.rows_new,
            "rows_changed": run.rows_changed,
            "warnings": run.warning_count,
            **({"error": run.error_message} if run.error_message else {}),
        },
    )


def _storable(value: str) -> str:
    """Text PostgreSQL can store: a NUL (which no text column or JSON may hold) becomes DAMAGED."""
    return value.replace("\x00", DAMAGED) if isinstance(value, str) else value


class _Loader:
    """Counts rows, batches writes and quarantines; subclasses load one kind of record."""

    def __init__(self, run: ImportRun, adapter: CsvAdapter) -> None:
        self.run = run
        self.adapter = adapter
        self.rows_in = 0
        self.last_row = 1
        self.now = timezone.now()
        self.quarantine: list[QuarantinedRow] = []
        self.pending: list[tuple[int, Row, Any]] = []

    def add(self, row_number: int, row: Row) -> None:
        self.rows_in += 1
        self.last_row = row_number
        result = self.adapter.validate(row)
        if isinstance(result, list):
            self.reject(row_number, row, result)
        else:
            self.accept(row_number, row, result)
        if len(self.pending) >= BATCH_SIZE:
            self.flush()
        if len(self.quarantine) >= BATCH_SIZE:
            QuarantinedRow.objects.bulk_create(self.quarantine, batch_size=BATCH_SIZE)
            self.quarantine = []

    def accept(self, row_number: int, row: Row, record: Any) -> None:
        self.pending.append((row_number, row, record))

    def reject(self, row_number: int, row: Row, problems: list[Problem]) -> None:
        self.run.rows_quarantined += 1
        self.quarantine.append(
            QuarantinedRow(
                run=self.run,
                row_number=row_number,
                field_name=", ".join(dict.fromkeys(p.field for p in problems))[:200],
                reason=_storable("; ".join(f"{p.field} {p.reason}" for p in problems)),
                raw={_storable(k): _storable(v) for k, v in row.items()},
            )
        )

    def warn(self, row_number: int, problem: Problem) -> None:
        self.run.warning_count += 1
        if len(self.run.warnings) < WARNINGS_KEPT:
            self.run.warnings.append(
                {"row": row_number, "field": problem.field, "reason": problem.reason}
            )

    def flush(self) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        self.flush()
        QuarantinedRow.objects.bulk_create(self.quarantine, batch_size=BATCH_SIZE)
        self.quarantine = []
        self.run.rows_in = self.rows_in
        for column in self.adapter.unknown_columns:
            self.warn(1, Problem(column, "is not a column of this format; kept in the raw row"))
        assert self.run.rows_in == self.run.rows_loaded + self.run.rows_quarantined


class _PersonLoader(_Loader):
    """Source records: created, updated in place when their identity changed, else left."""

    def __init__(self, run: ImportRun, adapter: CsvAdapter) -> None:
        super().__init__(run, adapter)
        self.first_row_of: dict[str, int] = {}

    def accept(self, row_number: int, row: Row, record: PersonRecord) -> None:
        first = self.first_row_of.get(record.record_id)
        if first is not None:
            column = getattr(self.adapter, "record_id_column", lambda: "record_id")()
            self.reject(
                row_number,
                row,
                [Problem(column, f"{record.record_id!r} repeats the record id of row {first}")],
            )
            return
        self.first_row_of[record.record_id] = row_number
        for warning in record.warnings:
            self.warn(row_number, warning)
        super().accept(row_number, row, record)

    def flush(self) -> None:
        if not self.pending:
            return
        agency = self.run.agency
        ids = [record.record_id for _, _, record in self.pending]
        existing = {
            s.record_id: s for s in SourceRecord.objects.filter(agency=agency, record_id__in=ids)
        }
        new: list[SourceRecord] = []
        changed: list[SourceRecord] = []
        for _, _, record in self.pending:
            current = existing.get(record.record_id)
            if current is None:
                new.append(
                    SourceRecord(
                        agency=agency,
                        record_id=record.record_id,
                        raw=record.raw,
                        received_at=self.now,
                        **record.fields,
                    )
                )
            elif current.raw != record.raw or any(
                getattr(current, f) != v for f, v in record.fields.items()
            ):
                for f, v in record.fields.items():
                    setattr(current, f, v)
                current.raw = record.raw
                current.received_at = self.now
                changed.append(current)
        SourceRecord.objects.bulk_create(new, batch_size=BATCH_SIZE)
        _update_in_place(changed, [*IDENTITY_FIELDS, "raw", "received_at"])
        self.touched = {r.record_id for r in new} | {r.record_id for r in changed}
        self.run.rows_loaded += len(self.pending)
        self.run.rows_new += len(new)
        self.run.rows_changed += len(changed)
        self.pending = []


def _update_in_place(records: list[SourceRecord], fields: list[str]) -> None:
    """UPDATE each record by primary key in one executemany.

    Not bulk_update: its CASE WHEN statement grows with the batch, and SQLite's 999-parameter
    limit makes the batches tiny: 50,000 changed records took four minutes, this takes seconds.
    """
    if not records:
        return
    meta = SourceRecord._meta
    columns = [cast("Field[Any, Any]", meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(c.column))} = %s" for c in columns)
    # Table and column names come from the model, never from the file.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    params = [
        [c.get_db_prep_save(getattr(r, c.attname), connection) for c in columns] + [r.pk]
        for r in records
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


class _EventLoader(_Loader):
    """Chronology events, each attached to its source record (and its child, once linked)."""

    def flush(self) -> None:
        if not self.pending:
            return
        items: list[Item] = [(n, row, [record]) for n, row, record in self.pending]
        attached = attach_events(self.run.agency, self.now, items)
        for row_number, row, problems in attached.rejected:
            self.reject(row_number, row, problems)
        self.run.rows_loaded += len(attached.loaded_rows)
        self.run.rows_new += len(attached.new_rows)
        self.pending = []


class _BundleLoader(_PersonLoader):
    """Rows that each carry a person and/or their events (CIN census, SSDA903). The batch's
    source records are written first, then its events attach to them; a row with events only
    attaches them to a record the agency already holds, or is quarantined like an events row."""

    def accept(self, row_number: int, row: Row, record: Any) -> None:
        assert isinstance(record, Bundle)
        person = record.person
        if person is not None:
            first = self.first_row_of.get(person.record_id)
            if first is not None:
                column = getattr(self.adapter, "record_id_column", lambda: "record_id")()
                why = f"{person.record_id!r} repeats the record id of row {first}"
                self.reject(row_number, row, [Problem(column, why)])
                return
            self.first_row_of[person.record_id] = row_number
            for warning in person.warnings:
                self.warn(row_number, warning)
        self.pending.append((row_number, row, record))

    def flush(self) -> None:
        if not self.pending:
            return
        bundles: list[tuple[int, Row, Bundle]] = self.pending
        self.pending = [(n, row, b.person) for n, row, b in bundles if b.person is not None]
        self.touched: set[str] = set()
        super().flush()  # the source records: counted as loaded, new or changed
        with_person = [(n, row, b.events) for n, row, b in bundles if b.person is not None]
        attached = attach_events(self.run.agency, self.now, with_person)
        assert not attached.rejected  # their records were written just above
        for n, _, b in bundles:
            person = b.person
            if person is not None and person.record_id not in self.touched:
                self.run.rows_changed += n in attached.new_rows  # new events, same record
        events_only = [(n, row, b.events) for n, row, b in bundles if b.person is None]
        attached = attach_events(self.run.agency, self.now, events_only)
        for row_number, row, problems in attached.rejected:
            self.reject(row_number, row, problems)
        self.run.rows_loaded += len(attached.loaded_rows)
        self.run.rows_new += len(attached.new_rows)

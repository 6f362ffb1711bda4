"""The row loaders of person, event and bundle extracts (`ingest.services` runs them)."""

from __future__ import annotations

from typing import Any, cast

from django.db import connection
from django.db.models import Field

from joinedup.ingest.adapters import CsvAdapter, PersonRecord, Problem, Row
from joinedup.ingest.adapters.bundle import Bundle
from joinedup.ingest.adapters.identity import IDENTITY_FIELDS
from joinedup.ingest.attach import Item, attach_events
from joinedup.ingest.loading import BATCH_SIZE, ImportOptions, Loader
from joinedup.ingest.models import ImportRun
from joinedup.people.models import SourceRecord

__all__ = ["BundleLoader", "EventLoader", "PersonLoader", "update_in_place"]


class PersonLoader(Loader):
    """Source records: created, updated in place when their identity changed, else left."""

    def __init__(
        self, run: ImportRun, adapter: CsvAdapter, options: ImportOptions | None = None
    ) -> None:
        super().__init__(run, adapter, options)
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
        update_in_place(changed, [*IDENTITY_FIELDS, "raw", "received_at"])
        self.touched = {r.record_id for r in new} | {r.record_id for r in changed}
        self.run.rows_loaded += len(self.pending)
        self.run.rows_new += len(new)
        self.run.rows_changed += len(changed)
        self.pending = []


def update_in_place(records: list[SourceRecord], fields: list[str]) -> None:
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


class EventLoader(Loader):
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


class BundleLoader(PersonLoader):
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

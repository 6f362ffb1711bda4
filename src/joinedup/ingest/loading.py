"""What every row-by-row loader shares: counting rows, batching writes, quarantining a row
with its field(s) and reason, and warnings kept on the run (see `ingest.services`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from joinedup.ingest.adapters import CsvAdapter, Problem, Row
from joinedup.ingest.adapters.base import DAMAGED
from joinedup.ingest.models import ImportRun, QuarantinedRow

__all__ = ["BATCH_SIZE", "ImportOptions", "ListRefused", "Loader", "storable"]

BATCH_SIZE = 2000
WARNINGS_KEPT = 100


class ListRefused(Exception):
    """A full list refused whole (it would end too many involvements); the message says why."""


@dataclass(frozen=True)
class ImportOptions:
    """How a file is imported, besides its format and agency.

    `full_list`: the file lists every open involvement of its kind the agency has (a school
    roll always does), so open ones missing from it end on `extract_date` (default today) —
    unless that would end more than `max_end_share` of them (default: the setting
    IMPORT_MAX_END_SHARE) and `force` is not given.
    """

    full_list: bool = False
    extract_date: date | None = None
    max_end_share: float | None = None
    force: bool = False


def storable(value: str) -> str:
    """Text PostgreSQL can store: a NUL (which no text column or JSON may hold) becomes DAMAGED."""
    return value.replace("\x00", DAMAGED) if isinstance(value, str) else value


class Loader:
    """Counts rows, batches writes and quarantines; subclasses load one kind of record."""

    def __init__(
        self, run: ImportRun, adapter: CsvAdapter, options: ImportOptions | None = None
    ) -> None:
        self.run = run
        self.options = options or ImportOptions()
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
                reason=storable("; ".join(f"{p.field} {p.reason}" for p in problems)),
                raw={storable(k): storable(v) for k, v in row.items()},
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

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

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.governance.models import Agency, StaffUser
from joinedup.ingest.adapters import FileProblem, adapter_for
from joinedup.ingest.adapters.attendance import AttendanceAdapter
from joinedup.ingest.archive import archive_file
from joinedup.ingest.families import HouseholdLoader, RelationshipLoader
from joinedup.ingest.involvements import InvolvementLoader, RollLoader
from joinedup.ingest.loaders import BundleLoader, EventLoader, PersonLoader
from joinedup.ingest.loading import BATCH_SIZE, ImportOptions, ListRefused, Loader
from joinedup.ingest.models import ImportRun, ImportStatus

__all__ = ["BATCH_SIZE", "ImportOptions", "ImportRefused", "Progress", "import_file"]

LOADERS: dict[str, type[Loader]] = {
    "persons": PersonLoader,
    "events": EventLoader,
    "bundles": BundleLoader,
    "roll": RollLoader,
    "involvements": InvolvementLoader,
    "households": HouseholdLoader,
    "relationships": RelationshipLoader,
}

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 1000

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
    options: ImportOptions | None = None,
) -> ImportRun:
    """Import one extract file for one agency; return its run (loaded or already imported).

    A full list that would end too many involvements is refused whole (`ImportRefused`, its
    run recorded as refused): see `ImportOptions`."""
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

    loader = LOADERS.get(adapter.kind, PersonLoader)(run, adapter, options)
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
    except ListRefused as exc:
        message = f"{name}: {exc}"
        refused = _failed(run, actor, message, status=ImportStatus.REFUSED)
        raise ImportRefused(message, refused) from None
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


def _failed(
    run: ImportRun, actor: StaffUser | None, message: str, status: str = ImportStatus.FAILED
) -> ImportRun:
    """Record a failed (or refused) run after its load was rolled back: nothing of the file
    was kept."""
    failed = ImportRun(
        source_format=run.source_format,
        agency=run.agency,
        original_name=run.original_name,
        sha256=run.sha256,
        archived_path=run.archived_path,
        size_bytes=run.size_bytes,
        actor=actor,
        started_at=run.started_at,
        status=status,
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
            "involvements_ended": run.involvements_ended,
            **({"error": run.error_message} if run.error_message else {}),
        },
    )

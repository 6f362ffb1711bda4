"""Reading import runs for the import pages: data analysts only, and reads of quarantined rows
(which hold agencies' raw rows, names and dates of birth included) are audited."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import Http404

from joinedup.access.audit import audit_record
from joinedup.access.policy import Action, role_allows
from joinedup.access.writes import audit_denied
from joinedup.governance.models import Agency, StaffUser
from joinedup.ingest.models import ImportRun, QuarantinedRow

__all__ = [
    "access_import_run_by_id",
    "agency_choices",
    "can_import",
    "import_run_list",
    "quarantined_row_export",
    "quarantined_row_list",
]


def can_import(viewer: StaffUser) -> bool:
    return role_allows(viewer.role, Action.IMPORT_EXTRACTS)


def _require_import_role(viewer: StaffUser) -> None:
    if not can_import(viewer):
        raise Http404()


def agency_choices(*, viewer: StaffUser) -> list[tuple[str, str]]:
    """(code, name) of every agency, by name: the agencies an extract may come from."""
    _require_import_role(viewer)
    return list(Agency.objects.order_by("name").values_list("code", "name"))


def import_run_list(*, viewer: StaffUser) -> QuerySet[ImportRun]:
    """Import runs, newest first. Counts and file names only: no rows, so not audited."""
    _require_import_role(viewer)
    return ImportRun.objects.select_related("agency", "actor").order_by("-started_at", "-id")


def access_import_run_by_id(viewer: StaffUser, run_id: int) -> ImportRun:
    """One import run, or 404 for a run that is missing or a viewer who may not see it (the
    refusal is audited)."""
    run = ImportRun.objects.select_related("agency", "actor").filter(pk=run_id).first()
    if not can_import(viewer):
        audit_denied(
            actor=viewer,
            action="import_runs.view",
            reason="role",
            object_type="import_run",
            object_ref=str(run_id),
        )
        raise Http404()
    if run is None:
        raise Http404()
    return run


def quarantined_row_list(*, viewer: StaffUser, run: ImportRun, limit: int) -> list[QuarantinedRow]:
    """The run's first `limit` quarantined rows, by row number; the read is audited."""
    _require_import_role(viewer)
    rows = list(run.quarantined.order_by("row_number", "id")[:limit])
    audit_record(
        actor=viewer,
        action="quarantined_rows.view",
        object_type="import_run",
        object_ref=str(run.pk),
        detail={"run": run.pk, "rows_shown": len(rows), "rows_quarantined": run.rows_quarantined},
    )
    return rows


def quarantined_row_export(*, viewer: StaffUser, run: ImportRun) -> Iterator[QuarantinedRow]:
    """Every quarantined row of the run, for a CSV download; audited once, before the first."""
    _require_import_role(viewer)
    audit_record(
        actor=viewer,
        action="quarantined_rows.export",
        object_type="import_run",
        object_ref=str(run.pk),
        detail={"run": run.pk, "rows": run.rows_quarantined},
    )
    return run.quarantined.order_by("row_number", "id").iterator(chunk_size=2000)

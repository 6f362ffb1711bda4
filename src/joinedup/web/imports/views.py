"""The import pages for data analysts: upload an extract, watch it load, read its report."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from joinedup.governance.models import StaffUser
from joinedup.ingest.adapters import ADAPTERS
from joinedup.ingest.adapters.base import column_key
from joinedup.ingest.jobs import (
    ImportJob,
    JobState,
    import_job_create,
    import_job_get,
    import_job_running_list,
    import_job_start,
)
from joinedup.ingest.selectors import (
    access_import_run_by_id,
    agency_choices,
    can_import,
    import_run_list,
    quarantined_row_export,
    quarantined_row_list,
)
from joinedup.web.context import page_context, staff
from joinedup.web.imports.forms import ImportUploadForm
from joinedup.web.imports.uploads import SpooledUpload, SpoolUploadHandler

SHOWN_QUARANTINE = 50
LISTED_RUNS = 100
POLL_SECONDS = 1

View = Callable[..., HttpResponse]


def _importer(request: HttpRequest) -> StaffUser:
    viewer = staff(request)
    if not can_import(viewer):
        raise Http404()
    return viewer


def _read_only_session_while_importing(view: View) -> View:
    """SQLite has one writer, and an import holds it until it commits; Django saves the session
    on every request (SESSION_SAVE_EVERY_REQUEST), so a progress poll would wait for the very
    import it reports on. On SQLite these views leave the session unsaved while the import
    runs (so polling alone does not extend an idle session)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if connection.vendor == "sqlite" and getattr(response, "import_running", False):
            del request.session  # SessionMiddleware then has nothing to save
        return response

    return wrapped


@csrf_exempt  # upload handlers must be set before the body is read; _import_new checks CSRF
def import_new(request: HttpRequest) -> HttpResponse:
    viewer = _importer(request)
    if request.method != "POST":
        return _import_new(request, viewer=viewer, job=None, handler=None)
    job = import_job_create()
    handler = SpoolUploadHandler(
        request, folder=job.upload_dir, limit=int(settings.IMPORT_MAX_BYTES)
    )
    request.upload_handlers = [handler]
    try:
        return _import_new(request, viewer=viewer, job=job, handler=handler)
    finally:
        if not job.started:
            job.discard()


@csrf_protect
def _import_new(
    request: HttpRequest,
    *,
    viewer: StaffUser,
    job: ImportJob | None,
    handler: SpoolUploadHandler | None,
) -> HttpResponse:
    max_bytes = int(settings.IMPORT_MAX_BYTES)
    agencies = agency_choices(viewer=viewer)
    if job is None or handler is None:
        form = ImportUploadForm(agencies=agencies, max_bytes=max_bytes)
    else:
        data, files = request.POST, request.FILES  # reading them runs the upload handler
        form = ImportUploadForm(
            data, files, agencies=agencies, max_bytes=max_bytes, too_large=handler.too_large
        )
        if form.is_valid():
            upload = form.cleaned_data["file"]
            assert isinstance(upload, SpooledUpload)
            upload.close()
            import_job_start(
                actor=viewer,
                job=job,
                upload=upload.path,
                source_format=form.cleaned_data["source_format"],
                agency_code=form.cleaned_data["agency"],
                full_list=bool(form.cleaned_data["full_list"]),
            )
            return redirect("import-job", key=job.key)
    return render(
        request,
        "imports/import_new.html",
        page_context(
            request,
            "imports",
            form=form,
            formats=[(name, adapter.description) for name, adapter in ADAPTERS.items()],
        ),
    )


def _job(request: HttpRequest, key: str) -> ImportJob:
    _importer(request)
    job = import_job_get(key)
    if job is None:
        raise Http404()
    return job


@_read_only_session_while_importing
def import_job(request: HttpRequest, key: str) -> HttpResponse:
    """A started import: its progress while it runs, then its report (or why it was refused)."""
    job = _job(request, key)
    state = job.state
    if state in {JobState.FINISHED, JobState.REFUSED} and job.run_id is not None:
        return redirect("import-run", run_id=job.run_id)
    response = render(
        request,
        "imports/import_job.html",
        page_context(request, "imports", job=job, state=state, poll_seconds=POLL_SECONDS),
    )
    response.import_running = state not in JobState.FINAL  # type: ignore[attr-defined]
    return response


@_read_only_session_while_importing
def import_job_progress(request: HttpRequest, key: str) -> HttpResponse:
    """The progress panel alone, for htmx to poll; once the import ends, back to the job page
    (htmx follows HX-Redirect; a plain request is redirected)."""
    job = _job(request, key)
    state = job.state
    if state in JobState.FINAL:
        target = reverse("import-job", kwargs={"key": key})
        if request.headers.get("HX-Request") == "true":
            done = HttpResponse(status=200)
            done["HX-Redirect"] = target
            return done
        return redirect(target)
    response = render(
        request,
        "imports/_job_progress.html",
        {"job": job, "state": state, "poll_seconds": POLL_SECONDS},
    )
    response.import_running = True  # type: ignore[attr-defined]
    return response


@_read_only_session_while_importing
def import_list(request: HttpRequest) -> HttpResponse:
    viewer = _importer(request)
    runs = list(import_run_list(viewer=viewer)[:LISTED_RUNS])
    running = import_job_running_list()
    response = render(
        request,
        "imports/import_list.html",
        page_context(request, "imports", runs=runs, running=running),
    )
    response.import_running = bool(running)  # type: ignore[attr-defined]
    return response


def import_run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    viewer = staff(request)
    run = access_import_run_by_id(viewer, run_id)
    quarantined = (
        quarantined_row_list(viewer=viewer, run=run, limit=SHOWN_QUARANTINE)
        if run.rows_quarantined
        else []
    )
    return render(
        request,
        "imports/import_run.html",
        page_context(
            request,
            "imports",
            run=run,
            quarantined=quarantined,
            shown=SHOWN_QUARANTINE,
            rows_unchanged=run.rows_loaded - run.rows_new - run.rows_changed,
        ),
    )


# Spreadsheet programs run a cell that starts with one of these as a formula (OWASP, "CSV
# injection"); such cells from an agency's file are written with a leading apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _column_order(source_format: str, raw: dict[str, Any]) -> list[str]:
    """The raw row's columns in the format's own order (JSON storage may not keep the file's),
    then any others by name."""
    adapter = ADAPTERS.get(source_format)
    known = [column_key(c) for c in getattr(adapter, "columns", ())]

    def position(name: str) -> tuple[int, str]:
        key = column_key(name)
        return (known.index(key) if key in known else len(known), name)

    return sorted(raw, key=position)


class _Echo:
    def write(self, value: str) -> str:
        return value


def import_run_quarantined_csv(request: HttpRequest, run_id: int) -> StreamingHttpResponse:
    """Every quarantined row of a run: where and why, then the row's columns as read."""
    viewer = staff(request)
    run = access_import_run_by_id(viewer, run_id)
    rows = quarantined_row_export(viewer=viewer, run=run)

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        columns: list[str] | None = None
        for row in rows:
            raw = row.raw if isinstance(row.raw, dict) else {}
            if columns is None:
                columns = _column_order(run.source_format, raw)
                yield writer.writerow(["row_number", "field", "reason", *columns, "other_values"])
            other = {k: v for k, v in raw.items() if k not in columns}
            yield writer.writerow(
                [
                    row.row_number,
                    row.field_name,
                    row.reason,
                    *(_cell(raw.get(c)) for c in columns),
                    json.dumps(other) if other else "",
                ]
            )
        if columns is None:
            yield writer.writerow(["row_number", "field", "reason"])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-quarantined-rows.csv"'
    return response

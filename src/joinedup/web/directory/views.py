"""The directory pages: search (practitioners), import (data analysts) and the shared language
of need (everyone signed in). Thin views over selectors and services."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from joinedup.directory.selectors import (
    directory_import_list,
    may_manage_directory,
    may_search_directory,
    service_search,
)
from joinedup.directory.services import directory_import
from joinedup.needs.continuum import continuum_reference
from joinedup.web.context import page_context, staff
from joinedup.web.directory.forms import DirectoryUploadForm, ServiceSearchForm

LIMIT = 50


def directory_search_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    if not may_search_directory(viewer):
        raise Http404()
    form = ServiceSearchForm(request.GET or None)
    hits = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        hits = service_search(
            viewer=viewer,
            text=data.get("text") or "",
            age=data.get("age"),
            include_inactive=bool(data.get("include_inactive")),
            limit=LIMIT,
        )
    return render(
        request,
        "directory/search.html",
        page_context(
            request,
            "directory",
            form=form,
            hits=hits,
            limit=LIMIT,
            may_manage=may_manage_directory(viewer),
        ),
    )


def directory_import_page(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    if not may_manage_directory(viewer):
        raise Http404()
    posted = request.method == "POST"
    form = DirectoryUploadForm(request.POST, request.FILES) if posted else DirectoryUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory(prefix="directory-upload-") as folder:
            path = Path(folder) / "upload.json"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            started = timezone.now()
            try:
                run = directory_import(actor=viewer, path=path, file_name=upload.name)
            except ValidationError as exc:
                form.add_error("file", " ".join(exc.messages))
            else:
                if run.imported_at < started:
                    messages.success(
                        request,
                        f"{upload.name} was already imported (import #{run.pk}); nothing changed.",
                    )
                    return redirect("directory-import")
                messages.success(
                    request,
                    f"{run.file_name}: {run.services_loaded} services loaded, "
                    f"{run.services_rejected} rejected (import #{run.pk}).",
                )
                return redirect("directory-import")
    return render(
        request,
        "directory/import.html",
        page_context(request, "directory", form=form, imports=directory_import_list(viewer=viewer)),
    )


def continuum_page(request: HttpRequest) -> HttpResponse:
    """The area's shared language: levels of need, the needs vocabulary, each agency type's
    own words mapped to a level. Reference material, no child data."""
    staff(request)
    return render(
        request,
        "directory/continuum.html",
        page_context(request, "continuum", **continuum_reference()),
    )

"""The import pages, under /imports/ (data analysts only)."""

from __future__ import annotations

from django.urls import path

from joinedup.ingest import views

urlpatterns = [
    path("", views.import_list, name="import-list"),
    path("new/", views.import_new, name="import-new"),
    path("jobs/<slug:key>/", views.import_job, name="import-job"),
    path("jobs/<slug:key>/progress/", views.import_job_progress, name="import-job-progress"),
    path("<int:run_id>/", views.import_run_detail, name="import-run"),
    path(
        "<int:run_id>/quarantined.csv",
        views.import_run_quarantined_csv,
        name="import-run-quarantined",
    ),
]

"""Import runs of agency extract files, and the rows each run quarantined."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running"
    LOADED = "loaded", "Loaded"
    FAILED = "failed", "Failed"
    ALREADY_IMPORTED = "already_imported", "Already imported"
    # Read whole, then refused as a whole (a full list that would end too many involvements):
    # the file is archived, nothing of it kept.
    REFUSED = "refused", "Refused"


class ImportRun(models.Model):
    """One attempt to import one extract file for one agency.

    `rows_in == rows_loaded + rows_quarantined` always. `rows_new` and `rows_changed` split the
    loaded rows into rows that created a record (or event) and rows that changed an existing
    record; the rest were already held exactly as received. `warnings` keeps the first few
    loaded-with-a-warning rows (e.g. an NHS number failing its check), `warning_count` all.
    """

    source_format = models.CharField(max_length=40)
    agency = models.ForeignKey(
        "governance.Agency", on_delete=models.PROTECT, related_name="import_runs"
    )
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    archived_path = models.CharField(
        max_length=300, help_text="Where the file's bytes are kept, relative to VAR_DIR."
    )
    size_bytes = models.PositiveBigIntegerField()
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    rows_in = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_quarantined = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_changed = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    # A full list (a case list marked so, a school roll) ends the open involvements it no
    # longer holds; how many this run ended.
    involvements_ended = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    error_message = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # Failed and repeated attempts are kept as history; only one load per file.
            models.UniqueConstraint(
                fields=["agency", "sha256", "source_format"],
                condition=models.Q(status="loaded"),
                name="import_run_one_load_per_file",
            )
        ]

    def __str__(self) -> str:
        return f"run #{self.pk} {self.source_format} {self.original_name} ({self.status})"


class QuarantinedRow(models.Model):
    """A row that was not loaded, with the field(s) at fault and why, and the row as read."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="quarantined")
    row_number = models.PositiveIntegerField(
        help_text="As a spreadsheet numbers it: the header is row 1."
    )
    field_name = models.CharField(max_length=200)
    reason = models.TextField()
    raw = models.JSONField(default=dict)

    class Meta:
        ordering = ["run", "row_number"]

    def __str__(self) -> str:
        return f"row {self.row_number}, field {self.field_name}: {self.reason}"

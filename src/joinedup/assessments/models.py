"""Assessments as configurable structured forms, and standardised measures as scores and bands.

A form's questions live in a definition file (`assessments/forms/*.toml`), not in code; an
assessment stores the form id and version it was written against, with its answers. Licensed
instruments (SDQ, SWEMWBS, Outcomes Star) are recorded as the scores and bands the practitioner
worked out on the licensed form: their questions are never reproduced here.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"


class Assessment(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="assessments")
    form = models.CharField(max_length=60)  # form definition id, e.g. "eha-360"
    form_version = models.CharField(max_length=40)
    agency = models.ForeignKey("governance.Agency", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        "governance.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey("governance.StaffUser", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    answers = models.JSONField(default=dict, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)  # level of need found
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A review assessment points at the baseline it is compared with.
    baseline = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["child", "form"])]

    def __str__(self) -> str:
        return self.reference


class MeasureScore(models.Model):
    """One administration of a standardised measure: subscale scores and their bands."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="measures")
    instrument = models.CharField(max_length=40)  # e.g. "sdq-parent", "swemwbs", "star-youth"
    instrument_version = models.CharField(max_length=40)
    scores = models.JSONField(default=dict)  # {"total": 18, "emotional": 6, ...}
    bands = models.JSONField(default=dict)  # {"total": "High", ...} worked out from the scores
    administered_on = models.DateField()
    agency = models.ForeignKey("governance.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        "governance.StaffUser", on_delete=models.PROTECT, related_name="+"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="measures"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-administered_on", "-id"]
        indexes = [models.Index(fields=["child", "instrument"])]

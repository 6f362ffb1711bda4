"""Linkage runs and link decisions: how source records became one child, and who said so."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class LinkRun(models.Model):
    """One run of `joinedup link`: the trained model, thresholds and what changed."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    engine = models.CharField(max_length=20, default="duckdb")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    records = models.PositiveIntegerField(default=0)
    clusters = models.PositiveIntegerField(default=0)
    children_created = models.PositiveIntegerField(default=0)
    records_assigned = models.PositiveIntegerField(default=0)
    review_items = models.PositiveIntegerField(default=0)
    model = models.JSONField(default=dict, blank=True)
    thresholds = models.JSONField(default=dict, blank=True)
    # Splink's saved model (JSON text), reused by real-time matching (`joinedup match`).
    model_json = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]


class LinkDecisionKind(models.TextChoices):
    MATCH = "match", "Same child"
    NON_MATCH = "non_match", "Different children"
    REVIEW = "review", "Uncertain: for review"


class DecidedBy(models.TextChoices):
    IDENTIFIER = "identifier", "Shared identifier"
    MODEL = "model", "Linkage model"
    TWIN_GUARD = "twin_guard", "Twin and sibling guard"
    PERSON = "person", "Reviewed by a person"


class LinkDecision(models.Model):
    """That two source records are (or are not) the same child.

    Decisions are never edited: a new decision on the same pair supersedes the old one
    (`is_active=False` on the old), so every merge and split is reversible and visible.
    A person's decision overrides the model's in every later run. A person's decision says
    why (`reason`) and what it did to the index (`applied`: the merge or split, with the
    records, events and involvements it moved, so that undoing it can put them back); an
    undo is its own decision, pointing at the one it `reverses`.
    """

    run = models.ForeignKey(
        LinkRun, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    record_left = models.ForeignKey(
        "people.SourceRecord", on_delete=models.PROTECT, related_name="+"
    )
    record_right = models.ForeignKey(
        "people.SourceRecord", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=LinkDecisionKind.choices)
    decided_by = models.CharField(max_length=12, choices=DecidedBy.choices)
    probability = models.FloatField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)
    reason = models.TextField(blank=True)
    applied = models.JSONField(default=dict, blank=True)
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["record_left", "record_right", "is_active"])]

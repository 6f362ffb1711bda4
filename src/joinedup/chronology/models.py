"""Chronology events: anything dated in a child's story, from any agency."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from joinedup.chronology.vocabulary import EventType, Sensitivity
from joinedup.dates import govuk_date

__all__ = ["Event", "EventType", "Sensitivity"]


class Event(models.Model):
    # Null until record linkage attaches the event's source record to a child; the access
    # layer filters events by child, so an unlinked event is seen by no one.
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    event_type = models.CharField(max_length=40, choices=EventType.choices)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)
    agency = models.ForeignKey(
        "governance.Agency", on_delete=models.PROTECT, related_name="recorded_events"
    )
    sensitivity = models.CharField(
        max_length=20, choices=Sensitivity.choices, default=Sensitivity.STANDARD
    )
    summary = models.CharField(max_length=500)
    payload = models.JSONField(default=dict, blank=True)
    source_record = models.ForeignKey(
        "people.SourceRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["child", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} on {govuk_date(self.occurred_at)}"

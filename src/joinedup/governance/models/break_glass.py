"""Break-glass grants: an emergency relationship to one child. A model that names a child, so
pages and the API never import this module (an import-linter contract)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from joinedup.governance.models.area import Purpose, StaffUser


class BreakGlassAccess(models.Model):
    """An emergency grant of a relationship to one child, with a written reason, for review."""

    staff = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="break_glass")
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-granted_at"]

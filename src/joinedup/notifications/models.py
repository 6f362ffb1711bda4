"""In-app notifications, also sent by email through Django's mail backend.

A notification carries a reference and a link, never a child's name or details: email leaves
the access layer, so the detail stays behind the sign-in.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Notification(models.Model):
    recipient = models.ForeignKey(
        "governance.StaffUser", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)  # dotted, like audit actions: "referrals.sent"
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    # The same reminder is not sent twice: one notification per recipient and key.
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

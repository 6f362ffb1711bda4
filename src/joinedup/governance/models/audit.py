"""The audit log: append-only, hash-chained (ADR 0002)."""

from __future__ import annotations

from typing import Any

from django.db import models

from joinedup.governance.models.area import StaffUser


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    DENIED = "denied", "Denied"


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only: they cannot be updated.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only: they cannot be deleted.")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only: they cannot be updated.")

    def bulk_create(self, *args: Any, **kwargs: Any) -> list[AuditEvent]:  # type: ignore[override]
        raise PermissionError("Write audit events one at a time through joinedup.access.audit.")


class AuditEvent(models.Model):
    """One entry in the append-only, hash-chained audit log.

    `entry_hash` = HMAC-SHA-256 (key: settings.AUDIT_CHAIN_KEY) over the previous entry's hash
    and this entry's canonical content, so editing, deleting, inserting or reordering any row
    breaks the chain (see `joinedup.access.audit.audit_verify`).
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        StaffUser, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_username = models.CharField(max_length=150)
    action = models.CharField(max_length=80)
    child_ref = models.CharField(max_length=20, blank=True, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_ref = models.CharField(max_length=120, blank=True)
    purpose = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=10, choices=AuditOutcome.choices)
    detail = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["actor", "occurred_at"]),
            # The audit search (governance/audit_search.py): a child's entries, or one action's,
            # newest first.
            models.Index(fields=["child_ref", "occurred_at"], name="audit_child_time"),
            models.Index(fields=["action", "occurred_at"], name="audit_action_time"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only: they cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only: they cannot be deleted.")


class AuditChainHead(models.Model):
    """A single row holding the last sequence and hash; locked to serialise appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

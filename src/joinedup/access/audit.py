"""The append-only, hash-chained audit log: writing entries and verifying the chain."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from joinedup.governance.models import AuditChainHead, AuditEvent, AuditOutcome, StaffUser

GENESIS_HASH = "0" * 64


# The fields each entry's hash covers, in the order they are stored.
HASHED_FIELDS = (
    "sequence",
    "occurred_at",
    "actor_id",
    "actor_username",
    "action",
    "child_ref",
    "object_type",
    "object_ref",
    "purpose",
    "outcome",
    "detail",
    "previous_hash",
)


def _canonical(fields: dict[str, Any]) -> bytes:
    body = {name: fields[name] for name in HASHED_FIELDS}
    body["occurred_at"] = fields["occurred_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _entry_hash(previous_hash: str, canonical: bytes) -> str:
    # Keyed (HMAC-SHA-256) so that someone with write access to the database alone cannot
    # recompute a consistent chain after tampering; the key lives outside the database.
    key = settings.AUDIT_CHAIN_KEY.encode()
    return hmac.new(key, previous_hash.encode() + canonical, hashlib.sha256).hexdigest()


def audit_record(
    *,
    actor: StaffUser | None,
    action: str,
    outcome: str = AuditOutcome.ALLOWED,
    child_ref: str = "",
    object_type: str = "",
    object_ref: str = "",
    purpose: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit entry. Runs inside the caller's transaction (or its own)."""
    detail = json.loads(json.dumps(detail or {}, default=str))
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        fields: dict[str, Any] = {
            "sequence": head.last_sequence + 1,
            # Stored to the microsecond on every backend; the hash covers exactly that.
            "occurred_at": timezone.now().astimezone(UTC),
            "actor_id": actor.pk if actor is not None else None,
            "actor_username": actor.get_username() if actor is not None else "system",
            "action": action,
            "child_ref": child_ref,
            "object_type": object_type,
            "object_ref": object_ref,
            "purpose": purpose,
            "outcome": str(outcome),
            "detail": detail,
            "previous_hash": head.last_hash,
        }
        entry_hash = _entry_hash(head.last_hash, _canonical(fields))
        event = AuditEvent(**fields, entry_hash=entry_hash)
        event.save(force_insert=True)
        AuditChainHead.objects.filter(id=1).update(
            last_sequence=fields["sequence"], last_hash=entry_hash
        )
    return event


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    entries_checked: int
    first_broken_sequence: int | None = None
    problem: str = ""


def audit_verify(*, batch_size: int = 5000) -> AuditVerification:
    """Walk the whole chain in order and name the first entry that does not verify."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    rows = AuditEvent.objects.order_by("sequence").values(*HASHED_FIELDS, "entry_hash")
    for row in rows.iterator(chunk_size=batch_size):
        seq = row["sequence"]
        if seq != expected_sequence:
            what = "missing (deleted)" if seq > expected_sequence else "out of order or inserted"
            return AuditVerification(
                False,
                checked,
                expected_sequence,
                f"Entry {expected_sequence} is {what}: found sequence {seq} next.",
            )
        if row["previous_hash"] != expected_previous:
            return AuditVerification(
                False,
                checked,
                seq,
                f"Entry {seq} does not follow entry {seq - 1}: its previous-hash does not match.",
            )
        if _entry_hash(row["previous_hash"], _canonical(row)) != row["entry_hash"]:
            return AuditVerification(
                False,
                checked,
                seq,
                f"Entry {seq} has been altered: its content does not match its hash.",
            )
        expected_previous = row["entry_hash"]
        expected_sequence = seq + 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    last_sequence = head.last_sequence if head else 0
    last_hash = head.last_hash if head else GENESIS_HASH
    if last_sequence != expected_sequence - 1 or last_hash != expected_previous:
        return AuditVerification(
            False,
            checked,
            expected_sequence,
            f"The chain ends at entry {expected_sequence - 1} but the head records entry "
            f"{last_sequence}: entries have been removed from or added to the end.",
        )
    return AuditVerification(True, checked)

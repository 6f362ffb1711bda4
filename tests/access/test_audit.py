"""The audit log: written with every read, append-only, and tamper-evident."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from joinedup.access.audit import audit_record, audit_verify
from joinedup.governance.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> list[AuditEvent]:
    return [
        audit_record(
            actor=None,
            action="children.view",
            child_ref=f"C-TEST000{i}",
            detail={"n": i, "note": "naïve ünïcode"},
        )
        for i in range(1, 7)
    ]


def _sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _verify_fails_at(sequence: int, words: str) -> None:
    with pytest.raises(CommandError) as info:
        call_command("audit", "verify")
    message = str(info.value)
    assert f"BROKEN at entry {sequence}" in message
    assert words in message


def test_intact_chain_verifies(chain: list[AuditEvent], capsys: pytest.CaptureFixture) -> None:
    call_command("audit", "verify")
    assert "Audit log intact: 6 entries verified" in capsys.readouterr().out


def test_edit_is_detected(chain: list[AuditEvent]) -> None:
    _sql("UPDATE governance_auditevent SET child_ref = 'C-OTHER123' WHERE sequence = 3")
    _verify_fails_at(3, "altered")


def test_edit_of_detail_is_detected(chain: list[AuditEvent]) -> None:
    _sql("UPDATE governance_auditevent SET outcome = 'denied' WHERE sequence = 5")
    _verify_fails_at(5, "altered")


def test_delete_is_detected(chain: list[AuditEvent]) -> None:
    _sql("DELETE FROM governance_auditevent WHERE sequence = 4")
    _verify_fails_at(4, "missing")


def test_delete_from_the_end_is_detected(chain: list[AuditEvent]) -> None:
    _sql("DELETE FROM governance_auditevent WHERE sequence = 6")
    _verify_fails_at(6, "removed from or added to the end")


def test_insert_is_detected(chain: list[AuditEvent]) -> None:
    # Forge an entry between 2 and 3 by renumbering the rest up by one.
    for seq in range(6, 2, -1):
        _sql("UPDATE governance_auditevent SET sequence = %s WHERE sequence = %s", [seq + 1, seq])
    forged = chain[2]
    _sql(
        "INSERT INTO governance_auditevent (sequence, occurred_at, actor_username, action, "
        "child_ref, object_type, object_ref, purpose, outcome, detail, previous_hash, entry_hash)"
        " VALUES (3, %s, 'system', 'children.view', 'C-FORGED12', '', '', '', 'allowed', '{}', "
        "%s, %s)",
        [forged.occurred_at, chain[1].entry_hash, "f" * 64],
    )
    _verify_fails_at(3, "altered")


def test_reorder_is_detected(chain: list[AuditEvent]) -> None:
    _sql("UPDATE governance_auditevent SET sequence = 100 WHERE sequence = 2")
    _sql("UPDATE governance_auditevent SET sequence = 2 WHERE sequence = 3")
    _sql("UPDATE governance_auditevent SET sequence = 3 WHERE sequence = 100")
    _verify_fails_at(2, "does not follow")


def test_recomputed_plain_sha256_chain_does_not_verify(chain: list[AuditEvent]) -> None:
    """Someone who edits a row and recomputes unkeyed hashes is still caught."""
    import hashlib

    _sql("UPDATE governance_auditevent SET child_ref = 'C-OTHER123' WHERE sequence = 6")
    forged = hashlib.sha256(b"anything").hexdigest()
    _sql("UPDATE governance_auditevent SET entry_hash = %s WHERE sequence = 6", [forged])
    _sql("UPDATE governance_auditchainhead SET last_hash = %s", [forged])
    _verify_fails_at(6, "altered")


def test_the_orm_cannot_update_or_delete_audit_rows(chain: list[AuditEvent]) -> None:
    entry = AuditEvent.objects.get(sequence=1)
    entry.action = "edited"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(sequence=1).update(action="edited")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(sequence=1).delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_create([AuditEvent(sequence=99)])
    assert audit_verify().ok


def test_chain_links_each_entry_to_the_previous(chain: list[AuditEvent]) -> None:
    rows = list(AuditEvent.objects.order_by("sequence"))
    assert [r.sequence for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0].previous_hash == "0" * 64
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.previous_hash == before.entry_hash

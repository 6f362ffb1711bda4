"""One way to refuse: `joinedup.access.writes.audit_denied` is the only code that records the
outcome "denied", and every service that changes child data is a `guarded_write` (STYLE.md 14).
A hand-written denial elsewhere can forget its own transaction and be rolled back with the
refused work."""

from __future__ import annotations

import re
from pathlib import Path

import joinedup

SRC = Path(joinedup.__file__).parent
THE_ONE = SRC / "access" / "writes.py"
DENIED = re.compile(r"AuditOutcome\.DENIED|outcome\s*=\s*[\"']denied[\"']")
# The helpers the one shape replaced; none may come back.
REPLACED = re.compile(
    r"\b(tac_change|tac_refuse|access_referral_for_change|referral_change_denied"
    r"|child_for_recording|involved_child_ids|break_glass_child_ids)\b|\bdef _deny\("
)


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_only_audit_denied_records_a_denial() -> None:
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in _sources()
        if path != THE_ONE
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DENIED.search(line)
    ]
    assert found == [], "Audit a refusal with joinedup.access.writes.audit_denied: " + ", ".join(
        found
    )
    assert DENIED.search(THE_ONE.read_text(encoding="utf-8"))


def test_the_replaced_guarded_write_shapes_are_gone() -> None:
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in _sources()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if REPLACED.search(line)
    ]
    assert found == [], "Use joinedup.access.writes.guarded_write: " + ", ".join(found)

"""The one shape of a guarded write, and the one way a refusal is audited.

A service that changes child data (or what opens it) runs its change inside `guarded_write`:

    with guarded_write(tac_guard(reference), actor=actor, action="tac.close", purpose=p) as w:
        tac = w.target          # opened by the guard: loaded, locked, checked
        ...                     # the change
        w.audit(detail={...})   # the audit entry, in the same transaction

The guard checks role, relationship and (where the write reads another agency's data) the
sharing agreement, and locks the rows the write changes (`select_for_update`). The write's
transaction is durable, like Zulip's actions (`zerver/actions/`): it commits when the block
ends, so no caller can roll an audited change back. A write that ends without an audit entry
is a programming error.

A refusal — raised by the guard or by the body as `Refused` — rolls the change back, then
`audit_denied` writes the denial in a transaction of its own, so that it is kept, and the
error the refusal names (by default the guard's "not found": a forbidden record and a
missing one answer alike) is raised. A guarded read refused inside a write (say, the
baseline an assessment names) is audited the same way, after the rollback.

`writes_together` runs several guarded writes as one transaction (all or none), for the few
callers that must (a page that saves and sends a referral in one go, the demo's casework);
their refusals are audited after it ends.

`audit_denied` is the only code that records the outcome "denied" (a test in
tests/architecture keeps it so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, NoReturn, TypeVar

from django.db import transaction

from joinedup.access.audit import audit_record
from joinedup.governance.models import AuditEvent, AuditOutcome, StaffUser

__all__ = [
    "Guard",
    "GuardedWrite",
    "Refused",
    "audit_denied",
    "guarded_write",
    "writes_together",
]

T = TypeVar("T")


@dataclass(frozen=True)
class _Denial:
    actor: StaffUser | None
    action: str
    child_ref: str
    object_type: str
    object_ref: str
    purpose: str
    detail: dict[str, Any]


# Denials waiting for the transaction they were refused in to end (None: not in a write).
_waiting: ContextVar[list[_Denial] | None] = ContextVar("joinedup_denials", default=None)


def _write(denial: _Denial) -> None:
    # Durable: a denial written inside a transaction that then rolls back would be lost.
    with transaction.atomic(durable=True):
        audit_record(
            actor=denial.actor,
            action=denial.action,
            outcome=AuditOutcome.DENIED,
            child_ref=denial.child_ref,
            object_type=denial.object_type,
            object_ref=denial.object_ref,
            purpose=denial.purpose,
            detail=denial.detail,
        )


def audit_denied(
    *,
    actor: StaffUser | None,
    action: str,
    reason: str = "",
    child_ref: str = "",
    object_type: str = "",
    object_ref: str = "",
    purpose: str = "",
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Audit a refusal (`outcome` "denied") in a transaction of its own.

    `child_ref`, `object_ref` and `purpose` are as the actor gave them (cut to their column
    sizes); `reason`, when given, is stored as `detail["reason"]`. Inside a guarded write the
    entry waits until the write's transaction has ended (rolled back, usually), then is written.
    """
    denial = _Denial(
        actor=actor,
        action=action,
        child_ref=child_ref[:20],
        object_type=object_type,
        object_ref=object_ref[:120],
        purpose=purpose[:20],
        detail={**(detail or {}), **({"reason": reason} if reason else {})},
    )
    waiting = _waiting.get()
    if waiting is not None:
        waiting.append(denial)
    else:
        _write(denial)


@contextmanager
def _denials_after() -> Iterator[bool]:
    """Hold denials until the outermost write ends, then write each on its own. Yields whether
    this is the outermost (the one whose transaction must be durable)."""
    if _waiting.get() is not None:
        yield False
        return
    waiting: list[_Denial] = []
    token = _waiting.set(waiting)
    try:
        yield True
    finally:
        _waiting.reset(token)
        for denial in waiting:
            _write(denial)


class Refused(Exception):
    """Refuse a guarded write, from its guard or its body: the change rolls back, the denial is
    audited on its own, and `error` (by default the guard's not-found error) is raised.

    `detail` adds to the denial's detail; `child_ref`, `object_type` and `object_ref` replace
    the guard's (for a guard that has found out more than the actor gave it)."""

    def __init__(
        self,
        reason: str,
        *,
        error: Exception | None = None,
        detail: Mapping[str, Any] | None = None,
        child_ref: str | None = None,
        object_type: str | None = None,
        object_ref: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error
        self.detail = dict(detail or {})
        self.child_ref = child_ref
        self.object_type = object_type
        self.object_ref = object_ref


@dataclass(frozen=True)
class Guard(Generic[T]):
    """What a guarded write changes, and how it is opened.

    `open(actor, purpose)` loads and locks the rows the write changes and checks that the actor
    may change them, returning the target; it raises `Refused` (or a guarded getter's own
    not-found error, already audited) otherwise. `object_type`, `object_ref` and `child_ref`
    describe the target in a denial, as the actor named it."""

    open: Callable[[StaffUser, str], T]
    not_found: Callable[[], Exception]
    object_type: str = ""
    object_ref: str = ""
    child_ref: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class GuardedWrite(Generic[T]):
    """A guarded write under way: its target, opened by the guard, and its audit entry."""

    actor: StaffUser
    action: str
    purpose: str
    target: T
    audited: list[AuditEvent] = field(default_factory=list)

    def audit(
        self,
        *,
        child_ref: str = "",
        object_type: str = "",
        object_ref: str = "",
        detail: Mapping[str, Any] | None = None,
        action: str = "",
        purpose: str | None = None,
    ) -> AuditEvent:
        """Write the change's audit entry (under the write's action, unless another is named)."""
        entry = audit_record(
            actor=self.actor,
            action=action or self.action,
            child_ref=child_ref,
            object_type=object_type,
            object_ref=object_ref,
            purpose=self.purpose if purpose is None else purpose,
            detail=dict(detail) if detail is not None else None,
        )
        self.audited.append(entry)
        return entry

    def refuse(self, reason: str, *, error: Exception | None = None) -> NoReturn:
        """Refuse from the body, after the guard let the actor in (see `Refused`)."""
        raise Refused(reason, error=error)


@contextmanager
def guarded_write(
    guard: Guard[T], *, actor: StaffUser, action: str, purpose: str
) -> Iterator[GuardedWrite[T]]:
    """Open the guard's target, run the change and its audit entry in one durable transaction;
    on a refusal, roll back, audit the denial on its own and raise (see the module's doc)."""
    with _denials_after() as outermost:
        try:
            with transaction.atomic(durable=outermost):
                write = GuardedWrite(actor, action, purpose, guard.open(actor, purpose))
                yield write
                if not write.audited:
                    raise RuntimeError(f"The guarded write {action!r} wrote no audit entry.")
        except Refused as refusal:
            audit_denied(
                actor=actor,
                action=action,
                reason=refusal.reason,
                child_ref=guard.child_ref if refusal.child_ref is None else refusal.child_ref,
                object_type=(
                    guard.object_type if refusal.object_type is None else refusal.object_type
                ),
                object_ref=guard.object_ref if refusal.object_ref is None else refusal.object_ref,
                purpose=purpose,
                detail={**guard.detail, **refusal.detail},
            )
            raise (refusal.error or guard.not_found()) from None


@contextmanager
def writes_together() -> Iterator[None]:
    """Several guarded writes as one durable transaction: all of them, or (on error) none.
    Their refusals are audited after it ends."""
    with _denials_after() as outermost, transaction.atomic(durable=outermost):
        yield

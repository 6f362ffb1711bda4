"""A sharing agreement's life, run by information governance: draft -> approved -> live -> ended.

Each step is keyword-only, takes `actor=` (whose role may manage agreements), runs in one
transaction with the agreement locked, and records one audit entry (`agreements.<verb>`, with
`before`/`after`). A step the agreement has already left (somebody else approved it, ended it)
is a `ValidationError` saying so.

Only a live agreement within its dates shares (`access/agreements.py`): making one live starts
sharing at `starts_at`; ending one sets `ends_at` to now and sharing stops at once.

Approval needs a second pair of eyes (ADR 0014): whoever drafted or last edited the draft may
not approve it. The drafter and editors are read from the audit log, which records each of
them, so no field of the agreement carries it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.access.policy import Action, role_allows
from joinedup.governance.admin_services import refuse_control_characters
from joinedup.governance.models import (
    Agency,
    AgreementStatus,
    AuditEvent,
    SharingAgreement,
    StaffUser,
)

__all__ = [
    "AGREEMENT_EDITABLE_FIELDS",
    "agreement_approve",
    "agreement_create",
    "agreement_end",
    "agreement_make_live",
    "agreement_review_record",
    "agreement_update",
]

AGREEMENT_EDITABLE_FIELDS = (
    "title",
    "purposes",
    "article_6_basis",
    "article_9_condition",
    "event_types",
    "fields",
    "retention",
    "starts_at",
    "review_at",
    "ends_at",
)
# Actions that make someone the author of a draft (they may not approve it).
AUTHOR_ACTIONS = ("agreements.drafted", "agreements.edited")


def _require(actor: StaffUser | None) -> StaffUser:
    if (
        actor is None
        or not actor.is_active
        or not role_allows(actor.role, Action.MANAGE_AGREEMENTS)
    ):
        raise PermissionDenied("Only information governance may manage sharing agreements.")
    return actor


def _state(agreement: SharingAgreement) -> dict[str, Any]:
    state = {name: getattr(agreement, name) for name in AGREEMENT_EDITABLE_FIELDS}
    state["status"] = agreement.status
    state["parties"] = sorted(agreement.parties.values_list("code", flat=True))
    state["approved_by"] = agreement.approved_by.username if agreement.approved_by else None
    state["approved_at"] = agreement.approved_at
    return state


def _audit(actor: StaffUser, verb: str, agreement: SharingAgreement, before: Any) -> None:
    audit_record(
        actor=actor,
        action=f"agreements.{verb}",
        object_type="sharing_agreement",
        object_ref=agreement.code,
        detail={"before": before, "after": _state(agreement)},
    )


def _locked(agreement_id: int) -> SharingAgreement:
    agreement = SharingAgreement.objects.select_for_update().filter(pk=agreement_id).first()
    if agreement is None:
        raise ValidationError("That sharing agreement no longer exists.")
    return agreement


def _in_status(agreement: SharingAgreement, allowed: set[str], doing: str) -> None:
    if agreement.status not in allowed:
        raise ValidationError(
            f"{agreement.title} is {agreement.get_status_display().lower()}: it cannot be "
            f"{doing} now (someone else may have changed it since you loaded the page)."
        )


def _parties(party_ids: list[int]) -> list[Agency]:
    parties = list(Agency.objects.filter(pk__in=party_ids, ended_on__isnull=True))
    if len(parties) < 2 or len(parties) != len(set(party_ids)):
        raise ValidationError(
            {"parties": "Select at least two open agencies that are party to the agreement."}
        )
    return parties


def _check_text(values: dict[str, Any]) -> None:
    for name in ("title", "article_9_condition", "retention"):
        if isinstance(values.get(name), str):
            refuse_control_characters(values[name], field=name, label=name.replace("_", " "))


@transaction.atomic
def agreement_create(
    *, actor: StaffUser, code: str, party_ids: list[int], **values: Any
) -> SharingAgreement:
    """Draft an agreement. `values` are the editable fields (AGREEMENT_EDITABLE_FIELDS)."""
    _require(actor)
    unknown = set(values) - set(AGREEMENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an agreement field: {sorted(unknown)}")
    refuse_control_characters(code, field="code", label="Code")
    if SharingAgreement.objects.filter(code=code).exists():
        raise ValidationError({"code": f"An agreement with the code {code} already exists."})
    _check_text(values)
    agreement = SharingAgreement(code=code, status=AgreementStatus.DRAFT, **values)
    parties = _parties(party_ids)
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(parties)
    _audit(actor, "drafted", agreement, None)
    return agreement


@transaction.atomic
def agreement_update(
    *, actor: StaffUser, agreement_id: int, party_ids: list[int], **values: Any
) -> SharingAgreement:
    """Change a draft. Once approved, an agreement's terms are fixed: end it and draft anew."""
    _require(actor)
    agreement = _locked(agreement_id)
    _in_status(agreement, {AgreementStatus.DRAFT}, "edited")
    unknown = set(values) - set(AGREEMENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not an agreement field: {sorted(unknown)}")
    before = _state(agreement)
    _check_text(values)
    for name, value in values.items():
        setattr(agreement, name, value)
    parties = _parties(party_ids)
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(parties)
    _audit(actor, "edited", agreement, before)
    return agreement


def agreement_authors(agreement: SharingAgreement) -> set[int]:
    """Who drafted or edited the agreement, by the audit log."""
    return set(
        AuditEvent.objects.filter(
            object_type="sharing_agreement",
            object_ref=agreement.code,
            action__in=AUTHOR_ACTIONS,
            actor__isnull=False,
        ).values_list("actor_id", flat=True)
    )


@transaction.atomic
def agreement_approve(
    *, actor: StaffUser, agreement_id: int, now: datetime | None = None
) -> SharingAgreement:
    _require(actor)
    agreement = _locked(agreement_id)
    _in_status(agreement, {AgreementStatus.DRAFT}, "approved")
    if actor.pk in agreement_authors(agreement):
        raise ValidationError(
            "You drafted or edited this agreement: another information governance officer "
            "must approve it."
        )
    before = _state(agreement)
    agreement.status = AgreementStatus.APPROVED
    agreement.approved_by = actor
    agreement.approved_at = now or timezone.now()
    agreement.save(update_fields=["status", "approved_by", "approved_at"])
    _audit(actor, "approved", agreement, before)
    return agreement


@transaction.atomic
def agreement_make_live(
    *, actor: StaffUser, agreement_id: int, now: datetime | None = None
) -> SharingAgreement:
    """Approved -> live: sharing starts at `starts_at` (at once if that has passed)."""
    _require(actor)
    agreement = _locked(agreement_id)
    _in_status(agreement, {AgreementStatus.APPROVED}, "made live")
    now = now or timezone.now()
    if agreement.ends_at is not None and agreement.ends_at <= now:
        raise ValidationError(
            f"{agreement.title}'s end date has passed: it would share nothing. End it instead."
        )
    before = _state(agreement)
    agreement.status = AgreementStatus.LIVE
    agreement.save(update_fields=["status"])
    _audit(actor, "made_live", agreement, before)
    return agreement


@transaction.atomic
def agreement_end(
    *, actor: StaffUser, agreement_id: int, now: datetime | None = None
) -> SharingAgreement:
    """End an agreement now: sharing under it stops at once (every check compares `ends_at`
    with the current time, and an ended agreement shares nothing whatever its dates)."""
    _require(actor)
    agreement = _locked(agreement_id)
    _in_status(
        agreement, {AgreementStatus.DRAFT, AgreementStatus.APPROVED, AgreementStatus.LIVE}, "ended"
    )
    before = _state(agreement)
    now = now or timezone.now()
    agreement.status = AgreementStatus.ENDED
    if agreement.ends_at is None or agreement.ends_at > now:
        agreement.ends_at = now
    # Not full_clean(): an agreement ended before its start would break "end after start",
    # and an ended agreement shares nothing whatever its dates.
    agreement.save(update_fields=["status", "ends_at"])
    _audit(actor, "ended", agreement, before)
    return agreement


@transaction.atomic
def agreement_review_record(
    *, actor: StaffUser, agreement_id: int, next_review: date, today: date | None = None
) -> SharingAgreement:
    """Record that the agreement was reviewed, and when it is next due."""
    _require(actor)
    agreement = _locked(agreement_id)
    _in_status(
        agreement,
        {AgreementStatus.DRAFT, AgreementStatus.APPROVED, AgreementStatus.LIVE},
        "reviewed",
    )
    today = today or timezone.localdate()
    if next_review <= today:
        raise ValidationError({"review_at": "The next review date must be in the future."})
    if agreement.ends_at is not None and next_review > agreement.ends_at.date():
        raise ValidationError(
            {"review_at": "The next review date must be on or before the agreement's end."}
        )
    before = _state(agreement)
    agreement.review_at = next_review
    agreement.save(update_fields=["review_at"])
    _audit(actor, "reviewed", agreement, before)
    return agreement

"""Apply a plan: in one transaction, each change saved through the model's checks and audited
with the fields before and after. Disabling a member of staff ends their sessions at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from joinedup.access.audit import audit_record
from joinedup.governance.area_file.plan import Change, Plan, area_plan
from joinedup.governance.area_file.schema import AreaError, AreaFileInvalid
from joinedup.governance.area_file.validate import AreaSource, area_read
from joinedup.governance.models import Agency, SharingAgreement, StaffUser, Team
from joinedup.governance.staff_sessions import sessions_end_for


@dataclass(frozen=True)
class ApplyResult:
    plan: Plan
    applied: bool  # False for a dry run (or when there was nothing to do)


def sources_from_paths(paths: list[Path]) -> list[AreaSource]:
    """Each file's bytes; a file that cannot be read is an error naming it."""
    sources, errors = [], []
    for path in paths:
        try:
            sources.append(AreaSource(str(path), path.read_bytes()))
        except OSError as exc:
            errors.append(AreaError(str(path), "", "", f"cannot be read ({exc.strerror})"))
    if errors:
        raise AreaFileInvalid(errors)
    return sources


def area_apply(
    *,
    sources: list[AreaSource],
    actor: StaffUser | None,
    today: date,
    now: datetime,
    dry_run: bool = False,
) -> ApplyResult:
    """Check the files together, plan, and (unless a dry run) apply the plan. Raises
    AreaFileInvalid, with every error, before anything is written."""
    area, errors = area_read(sources)
    if errors:
        raise AreaFileInvalid(errors)
    plan = area_plan(area, today=today, now=now)
    return plan_apply(plan, actor=actor, now=now, dry_run=dry_run)


def plan_apply(plan: Plan, *, actor: StaffUser | None, now: datetime, dry_run: bool) -> ApplyResult:
    if plan.errors:
        raise AreaFileInvalid(plan.errors)
    if dry_run or not plan.changes:
        return ApplyResult(plan, applied=False)
    with transaction.atomic():
        for change in plan.changes:
            try:
                _apply_one(change, actor=actor, now=now)
            except ValidationError as exc:
                # A check only the models know (should the files pass every one above): the
                # transaction rolls back, so nothing is half-written.
                where = f"{change.object_type} {change.ref}"
                errors = [
                    AreaError("", where, name, " ".join(messages))
                    for name, messages in exc.message_dict.items()
                ]
                raise AreaFileInvalid(errors) from exc
    return ApplyResult(plan, applied=True)


def _apply_one(change: Change, *, actor: StaffUser | None, now: datetime) -> None:
    state = change.state
    obj: Any
    if change.object_type == "agency":
        obj = Agency.objects.get(pk=change.pk) if change.pk else Agency(code=change.ref)
        obj.name, obj.agency_type, obj.urn = state["name"], state["type"], state["urn"]
        obj.ods_code, obj.ended_on = state["ods_code"], state["ended_on"]
        obj.full_clean()
        obj.save()
    elif change.object_type == "team":
        agency = Agency.objects.get(code=state["agency"])
        code = change.ref.split("/", 1)[1]
        obj = Team.objects.get(pk=change.pk) if change.pk else Team(agency=agency, code=code)
        obj.name, obj.ended_on = state["name"], state["ended_on"]
        obj.full_clean()
        obj.save()
    elif change.object_type == "staff":
        _staff_save(change, now=now)
    else:
        _agreement_save(change)
    audit_record(
        actor=actor,
        action=change.action,
        object_type=change.object_type,
        object_ref=change.ref,
        detail={"before": change.before, "after": change.after, **_why(change)},
    )


def _why(change: Change) -> dict[str, str]:
    return {"reason": change.why} if change.why else {}


def _staff_save(change: Change, *, now: datetime) -> None:
    state = change.state
    if change.pk:
        user = StaffUser.objects.get(pk=change.pk)
    else:
        user = StaffUser()
        user.set_unusable_password()  # they sign in through the area's identity provider
    agency = Agency.objects.get(code=state["agency"])
    user.username, user.email = state["username"], state["email"]
    user.first_name, user.last_name = state["first_name"], state["last_name"]
    user.agency, user.role, user.staff_number = agency, state["role"], state["staff_number"]
    user.team = Team.objects.get(agency=agency, code=state["team"]) if state["team"] else None
    was_active = user.is_active if change.pk else True
    user.is_active = state["active"]
    if was_active and not user.is_active:
        user.disabled_at = now
    elif user.is_active:
        user.disabled_at = None
    user.full_clean()
    user.save()
    if not user.is_active:
        sessions_end_for(user)


def _agreement_save(change: Change) -> None:
    state = change.state
    obj = (
        SharingAgreement.objects.get(pk=change.pk)
        if change.pk
        else SharingAgreement(code=change.ref)
    )
    obj.title, obj.purposes, obj.event_types = (
        state["title"],
        state["purposes"],
        state["event_types"],
    )
    obj.article_6_basis = state["article_6_basis"]
    obj.article_9_condition = state["article_9_condition"]
    obj.fields, obj.retention, obj.status = state["fields"], state["retention"], state["status"]
    obj.starts_at, obj.review_at, obj.ends_at = state["starts"], state["review"], state["ends"]
    obj.full_clean()
    obj.save()
    obj.parties.set(Agency.objects.filter(code__in=state["parties"]))

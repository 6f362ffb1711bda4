"""A team around the child's meetings and action plan.

Recording a meeting validates everything and reports every problem at once (nothing is
half-written), writes the meeting, its new actions, a chronology event (a plan event with a
fixed summary: no free text leaves the team) and the audit entry in one transaction, then
tells each new action's owner (reference and link only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.access.audit import audit_record
from joinedup.access.tac import tac_change, tac_refuse
from joinedup.chronology.models import Event, EventType
from joinedup.chronology.vocabulary import default_sensitivity
from joinedup.governance.models import StaffUser
from joinedup.notifications.services import notification_send
from joinedup.tac.models import ActionStatus, TacAction, TacMeeting, TacMember
from joinedup.tac.rules import format_date, refuse_if_closed, tac_link

MEETING_EVENT_SUMMARY = "Team around the child meeting"
TEXT_LIMIT = 5000


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def tac_meeting_record(
    *,
    actor: StaffUser,
    purpose: str,
    reference: str,
    held_on: date | None,
    attendee_ids: Iterable[int],
    others_present: str = "",
    child_attended: bool = False,
    child_views: str = "",
    notes: str = "",
    decisions: str,
    actions: Iterable[Mapping[str, Any]] = (),
) -> TacMeeting:
    """Record a meeting: attendees (current members), decisions and new actions, each with an
    owner who is a current member and a due date on or after the meeting. An action's errors
    say "Action N", N its place in `actions` counting from 1, or its own `row` when it has one
    (the meeting page numbers its rows and leaves the blank ones out)."""
    with tac_change(actor, reference, purpose=purpose, action="tac.meeting_record") as tac:
        refuse_if_closed(tac)
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if held_on is None:
            errors["held_on"] = "Enter the date of the meeting."
        elif held_on > today:
            errors["held_on"] = "The date of the meeting must be today or in the past."
        members: dict[int, StaffUser] = {}
        for m in TacMember.objects.filter(
            tac=tac, left_on__isnull=True, worker__isnull=False
        ).select_related("worker"):
            if m.worker is not None:
                members[m.worker.pk] = m.worker
        attendee_pks = [_as_int(a) for a in attendee_ids]
        if not attendee_pks:
            errors["attendee_ids"] = "Choose the members of the team who attended."
        elif any(pk not in members for pk in attendee_pks):
            errors["attendee_ids"] = "Attendees must be current members of the team."
        if not decisions.strip():
            errors["decisions"] = "Enter what the meeting decided."
        for name, value, limit in (
            ("others_present", others_present, 500),
            ("child_views", child_views, TEXT_LIMIT),
            ("notes", notes, TEXT_LIMIT),
            ("decisions", decisions, TEXT_LIMIT),
        ):
            if len(value) > limit and name not in errors:
                errors[name] = f"{_label(name)} must be {limit} characters or fewer."
        new_actions = []
        for i, row in enumerate(actions):
            where, n = f"actions[{i}]", _as_int(row.get("row")) or i + 1
            description = str(row.get("description") or "").strip()
            owner_id = _as_int(row.get("owner_id"))
            due_on = _as_date(row.get("due_on"))
            if not description:
                errors[f"{where}.description"] = f"Action {n}: describe the action."
            elif len(description) > 1000:
                errors[f"{where}.description"] = (
                    f"Action {n}: the description must be 1000 characters or fewer."
                )
            if owner_id not in members:
                errors[f"{where}.owner_id"] = (
                    f"Action {n}: choose an owner who is a current member of the team."
                )
            if due_on is None:
                errors[f"{where}.due_on"] = f"Action {n}: enter a real due date."
            elif isinstance(held_on, date) and due_on < held_on:
                errors[f"{where}.due_on"] = (
                    f"Action {n}: the due date must be on or after the meeting "
                    f"({format_date(held_on)})."
                )
            new_actions.append((description, owner_id, due_on))
        if errors or held_on is None:
            raise ValidationError(errors)
        meeting = TacMeeting(
            tac=tac,
            held_on=held_on,
            others_present=others_present.strip(),
            child_attended=bool(child_attended),
            child_views=child_views.strip(),
            notes=notes.strip(),
            decisions=decisions.strip(),
            recorded_by=actor,
        )
        meeting.full_clean()
        meeting.save()
        meeting.attendees.set([members[pk] for pk in attendee_pks if pk in members])
        created = []
        for description, owner_id, due_on in new_actions:
            assert owner_id is not None and due_on is not None
            action = TacAction(
                tac=tac,
                meeting=meeting,
                description=description,
                owner=members[owner_id],
                due_on=due_on,
                created_by=actor,
            )
            action.full_clean()
            action.save()
            created.append(action)
        event = Event(
            child=tac.child,
            event_type=EventType.PLAN,
            occurred_at=timezone.make_aware(datetime.combine(held_on, time(12, 0))),
            agency=actor.agency,
            sensitivity=default_sensitivity(EventType.PLAN),
            summary=MEETING_EVENT_SUMMARY,
            payload={"tac": tac.reference, "level": tac.level},
        )
        event.full_clean()
        event.save()
        audit_record(
            actor=actor,
            action="tac.meeting_record",
            child_ref=tac.child.child_id,
            object_type="tac",
            object_ref=tac.reference,
            purpose=purpose,
            detail={
                "meeting": meeting.pk,
                "attendees": sorted(pk for pk in attendee_pks if pk is not None),
                "actions": [a.pk for a in created],
                "event": event.pk,
            },
        )
        for action in created:
            if action.owner_id != actor.pk:
                notification_send(
                    recipient=action.owner,
                    kind="tac.action",
                    subject=f"An action for you in {tac.reference}, "
                    f"due {format_date(action.due_on)}",
                    link=tac_link(tac, f"action-{action.pk}"),
                    dedupe_key=f"tac.action.{action.pk}",
                )
    return meeting


def _label(name: str) -> str:
    return {
        "others_present": "Others present",
        "child_views": "The child's views",
        "notes": "Notes",
        "decisions": "Decisions",
    }[name]


def tac_action_update(
    *, actor: StaffUser, purpose: str, action_id: int, status: str, note: str = ""
) -> TacAction:
    """The action's owner or the lead professional marks it done, cancelled or open again.
    Done and cancelled need a note saying what happened."""
    found = TacAction.objects.filter(pk=action_id).select_related("tac").first()
    reference = found.tac.reference if found is not None else f"action {action_id}"
    with tac_change(actor, reference, purpose=purpose, action="tac.action_update") as tac:
        action = (
            TacAction.objects.select_for_update()
            .filter(pk=action_id, tac=tac)
            .select_related("owner")
            .first()
        )
        if action is None:
            tac_refuse("missing")
        refuse_if_closed(tac)
        if actor.pk not in {action.owner_id, tac.lead_professional_id}:
            lead = (
                f" or the lead professional ({tac.lead_professional})"
                if tac.lead_professional
                else ""
            )
            raise ValidationError(
                f"Only the action's owner ({action.owner}){lead} can update this action."
            )
        errors: dict[str, str] = {}
        if status not in ActionStatus.values:
            errors["status"] = "Choose open, done or cancelled."
        elif status == action.status:
            errors["status"] = f"The action is already {ActionStatus(status).label.lower()}."
        if status in {ActionStatus.DONE, ActionStatus.CANCELLED} and not note.strip():
            word = "done" if status == ActionStatus.DONE else "cancelled"
            errors["note"] = (
                f"Enter a note saying what happened: an action marked {word} needs one."
            )
        if len(note) > TEXT_LIMIT:
            errors["note"] = f"The note must be {TEXT_LIMIT} characters or fewer."
        if errors:
            raise ValidationError(errors)
        previous = action.status
        action.status = status
        if status == ActionStatus.OPEN:
            action.completed_at = None
        else:
            action.completed_at = timezone.now()
        if note.strip():
            action.completion_note = note.strip()
        action.full_clean()
        action.save()
        audit_record(
            actor=actor,
            action="tac.action_update",
            child_ref=tac.child.child_id,
            object_type="tac_action",
            object_ref=str(action.pk),
            purpose=purpose,
            detail={"tac": tac.reference, "from": previous, "to": status},
        )
    return action


__all__ = ["MEETING_EVENT_SUMMARY", "tac_action_update", "tac_meeting_record"]

"""A team around the child's meetings and action plan.

Recording a meeting validates everything and reports every problem at once (nothing is
half-written), writes the meeting, its new actions, a chronology event (a plan event with a
fixed summary: no free text leaves the team) and the audit entry in one transaction, then
tells each new action's owner (reference and link only).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from joinedup.access.tac import tac_guard
from joinedup.access.writes import guarded_write
from joinedup.chronology.models import Event, EventType
from joinedup.chronology.vocabulary import default_sensitivity
from joinedup.dates import govuk_date
from joinedup.governance.models import StaffUser
from joinedup.notifications.services import notification_send
from joinedup.tac.models import ActionStatus, TacAction, TacMeeting, TacMember, TeamAroundChild
from joinedup.tac.rules import refuse_if_closed, tac_audit, tac_link

MEETING_EVENT_SUMMARY = "Team around the child meeting"
TEXT_LIMIT = 5000
TEXT_LIMITS = {
    "others_present": 500,
    "child_views": TEXT_LIMIT,
    "notes": TEXT_LIMIT,
    "decisions": TEXT_LIMIT,
}


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


@dataclass(frozen=True)
class _NewAction:
    description: str
    owner_id: int | None
    due_on: date | None


def _current_workers(tac: TeamAroundChild) -> dict[int, StaffUser]:
    """The team's current members by name, by staff pk: who may attend and own actions."""
    members = TacMember.objects.filter(tac=tac, left_on__isnull=True, worker__isnull=False)
    return {m.worker.pk: m.worker for m in members.select_related("worker") if m.worker}


def _meeting_errors(
    *,
    held_on: date | None,
    attendee_pks: list[int | None],
    members: dict[int, StaffUser],
    texts: dict[str, str],
) -> dict[str, str]:
    """The problems with the meeting itself: its date, who attended, what it decided."""
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = "Enter the date of the meeting."
    elif held_on > timezone.localdate():
        errors["held_on"] = "The date of the meeting must be today or in the past."
    if not attendee_pks:
        errors["attendee_ids"] = "Choose the members of the team who attended."
    elif any(pk not in members for pk in attendee_pks):
        errors["attendee_ids"] = "Attendees must be current members of the team."
    if not texts["decisions"].strip():
        errors["decisions"] = "Enter what the meeting decided."
    for name, limit in TEXT_LIMITS.items():
        if len(texts[name]) > limit and name not in errors:
            errors[name] = f"{_label(name)} must be {limit} characters or fewer."
    return errors


def _new_actions(
    actions: Iterable[Mapping[str, Any]],
    *,
    held_on: date | None,
    members: dict[int, StaffUser],
    errors: dict[str, str],
) -> list[_NewAction]:
    """The action plan's new rows, each checked; problems go into `errors` as "Action N: ..."."""
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
                f"Action {n}: the due date must be on or after the meeting ({govuk_date(held_on)})."
            )
        new_actions.append(_NewAction(description, owner_id, due_on))
    return new_actions


def _meeting_event(tac: TeamAroundChild, actor: StaffUser, held_on: date) -> Event:
    """The plan event in the child's chronology: a fixed summary, no free text."""
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
    return event


def _actions_create(
    tac: TeamAroundChild,
    meeting: TacMeeting,
    actor: StaffUser,
    new_actions: list[_NewAction],
    members: dict[int, StaffUser],
) -> list[TacAction]:
    created = []
    for new in new_actions:
        assert new.owner_id is not None and new.due_on is not None  # checked above
        action = TacAction(
            tac=tac,
            meeting=meeting,
            description=new.description,
            owner=members[new.owner_id],
            due_on=new.due_on,
            created_by=actor,
        )
        action.full_clean()
        action.save()
        created.append(action)
    return created


def _owners_tell(tac: TeamAroundChild, actor: StaffUser, created: list[TacAction]) -> None:
    """Tell each new action's owner (not the person recording): reference and link only."""
    for action in created:
        if action.owner_id != actor.pk:
            notification_send(
                recipient=action.owner,
                kind="tac.action",
                subject=f"An action for you in {tac.reference}, due {govuk_date(action.due_on)}",
                link=tac_link(tac, f"action-{action.pk}"),
                dedupe_key=f"tac.action.{action.pk}",
            )


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
    texts = {
        "others_present": others_present,
        "child_views": child_views,
        "notes": notes,
        "decisions": decisions,
    }
    with guarded_write(
        tac_guard(reference), actor=actor, action="tac.meeting_record", purpose=purpose
    ) as write:
        tac = write.target
        refuse_if_closed(tac)
        members = _current_workers(tac)
        attendee_pks = [_as_int(a) for a in attendee_ids]
        errors = _meeting_errors(
            held_on=held_on, attendee_pks=attendee_pks, members=members, texts=texts
        )
        new_actions = _new_actions(actions, held_on=held_on, members=members, errors=errors)
        if errors or held_on is None:
            raise ValidationError(errors)
        meeting = TacMeeting(
            tac=tac,
            held_on=held_on,
            child_attended=bool(child_attended),
            recorded_by=actor,
            **{name: value.strip() for name, value in texts.items()},
        )
        meeting.full_clean()
        meeting.save()
        meeting.attendees.set([members[pk] for pk in attendee_pks if pk in members])
        created = _actions_create(tac, meeting, actor, new_actions, members)
        event = _meeting_event(tac, actor, held_on)
        tac_audit(
            write,
            tac,
            meeting=meeting.pk,
            attendees=sorted(pk for pk in attendee_pks if pk is not None),
            actions=[a.pk for a in created],
            event=event.pk,
        )
        _owners_tell(tac, actor, created)
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
    with guarded_write(
        tac_guard(reference), actor=actor, action="tac.action_update", purpose=purpose
    ) as write:
        tac = write.target
        action = (
            TacAction.objects.select_for_update()
            .filter(pk=action_id, tac=tac)
            .select_related("owner")
            .first()
        )
        if action is None:
            write.refuse("missing")
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
        write.audit(
            child_ref=tac.child.child_id,
            object_type="tac_action",
            object_ref=str(action.pk),
            detail={"tac": tac.reference, "from": previous, "to": status},
        )
    return action


__all__ = ["MEETING_EVENT_SUMMARY", "tac_action_update", "tac_meeting_record"]
